/**
 * Offline codes in the table, beside their grant (its codes share its partition, see access-codes.ts):
 * - a grant's offline codes: `T#<t>#GRANT#<grantId>` / `OFFLINE_CODE#<lockId>`, read consistently; one per
 *   grant and lock, created only if absent and replaced only at the version before, each write in one
 *   transaction with its audit events (commit.ts)
 * - a lock's offline codes by the end of their window: gsi1 `T#<t>#LOCK#<lockId>#OFFLINE_CODES` /
 *   `<validUntil>#<offlineCodeId>`, read from an instant on (codes whose window is over are never read), to keep
 *   a new code different from those already valid on the lock
 */
import type { OfflineCode, OfflineCodeStore } from '#shared/access/offline-code-issuance.ts';
import { commitVersionedRecord } from './commit.ts';
import { entityOf, type ItemKey, storable, type TableItem, tenantKey } from './keys.ts';
import type { DynamoTable } from './table.ts';

export const offlineCodeKeys = {
  item: ({ tenantId, grantId, lockId }: { tenantId: string; grantId: string; lockId: string }): ItemKey => ({
    pk: tenantKey(tenantId, 'GRANT', grantId),
    sk: `OFFLINE_CODE#${lockId}`,
  }),
  ofGrant: ({ tenantId, grantId }: { tenantId: string; grantId: string }) =>
    tenantKey(tenantId, 'GRANT', grantId),
  byLock: ({ tenantId, lockId }: { tenantId: string; lockId: string }) =>
    tenantKey(tenantId, 'LOCK', lockId, 'OFFLINE_CODES'),
};

export function offlineCodeItem(code: OfflineCode): TableItem {
  const { tenantId, grantId, lockId } = code;
  return {
    ...storable(code),
    ...offlineCodeKeys.item({ tenantId, grantId, lockId }),
    gsi1pk: offlineCodeKeys.byLock({ tenantId, lockId }),
    gsi1sk: `${code.validUntil}#${code.id}`,
    itemType: 'offlineCode',
  };
}

export function createOfflineCodeStore({ table }: { table: DynamoTable }): OfflineCodeStore {
  const codeOf = (item: TableItem) => entityOf<OfflineCode>(item);
  return {
    async listByGrant({ tenantId, grantId }) {
      const items = await table.queryAll({
        tenantId,
        partition: offlineCodeKeys.ofGrant({ tenantId, grantId }),
        sort: { beginsWith: 'OFFLINE_CODE#' },
      });
      return items.map(codeOf);
    },

    async listByLock({ tenantId, lockId, after }) {
      const items = await table.queryAll({
        tenantId,
        index: 'gsi1',
        partition: offlineCodeKeys.byLock({ tenantId, lockId }),
        // `$` sorts after `#`: a code ending exactly at `after` is over.
        sort: { after: `${after}$` },
      });
      return items.map(codeOf);
    },

    save({ code, auditEvents }) {
      return commitVersionedRecord({
        table,
        item: offlineCodeItem(code),
        version: code.version,
        auditEvents,
      });
    },
  };
}
