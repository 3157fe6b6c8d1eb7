/**
 * The readiness check's record of a grant, beside the grant: `T#<t>#GRANT#<grantId>` / `READINESS` (which window
 * it checked, which locks the host was alerted about), created only if absent and replaced only at the version
 * before, each write in one transaction with the check's audit events, so an alert is recorded exactly once.
 */
import type { ReadinessCheckRecord, ReadinessCheckStore } from '#shared/access/readiness.ts';
import { commitVersionedRecord } from './commit.ts';
import { entityOf, type ItemKey, storable, tenantKey } from './keys.ts';
import type { DynamoTable } from './table.ts';

export const readinessCheckKeys = {
  item: ({ tenantId, grantId }: { tenantId: string; grantId: string }): ItemKey => ({
    pk: tenantKey(tenantId, 'GRANT', grantId),
    sk: 'READINESS',
  }),
};

export function createReadinessCheckStore({ table }: { table: DynamoTable }): ReadinessCheckStore {
  return {
    async get({ tenantId, grantId }) {
      const item = await table.get(readinessCheckKeys.item({ tenantId, grantId }));
      return item && entityOf<ReadinessCheckRecord>(item);
    },

    save({ record, auditEvents }) {
      const item = { ...storable(record), ...readinessCheckKeys.item(record), itemType: 'readinessCheck' };
      return commitVersionedRecord({ table, item, version: record.version, auditEvents });
    },
  };
}
