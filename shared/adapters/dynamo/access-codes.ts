/**
 * Access codes in the table, and the claims that keep a PIN unique among the live codes of a lock.
 * - a grant's codes: `T#<t>#GRANT#<grantId>` / `CODE#<accessCodeId>`, read consistently with the grant's
 *   partition, since revoking and moving a grant rewrite exactly these codes
 * - the live codes of a lock (every status but `removed`), by window start: gsi1
 *   `T#<t>#LOCK#<lockId>#LIVE_CODES` / `<startsAt>#<accessCodeId>`; a removed code leaves this index
 * - the PIN claim: `T#<t>#LOCK#<lockId>` / `PIN#<pin>`, created with the code only if absent, deleted when the
 *   code reaches `removed`. This conditional write, not a read, is what keeps two live codes on one lock from
 *   sharing a PIN, however many allocations race.
 */
import type { AccessCode } from '#shared/domain/access-code.ts';
import { holdsPin } from '#shared/domain/access-code.ts';
import type { AccessCodeRepository } from '#shared/domain/ports/repositories.ts';
import { entityOf, type ItemKey, storable, type TableItem, tenantKey } from './keys.ts';
import type { DynamoTable } from './table.ts';

export const accessCodeKeys = {
  item: ({
    tenantId,
    grantId,
    accessCodeId,
  }: {
    tenantId: string;
    grantId: string;
    accessCodeId: string;
  }): ItemKey => ({ pk: tenantKey(tenantId, 'GRANT', grantId), sk: `CODE#${accessCodeId}` }),
  ofGrant: ({ tenantId, grantId }: { tenantId: string; grantId: string }) =>
    tenantKey(tenantId, 'GRANT', grantId),
  liveByLock: ({ tenantId, lockId }: { tenantId: string; lockId: string }) =>
    tenantKey(tenantId, 'LOCK', lockId, 'LIVE_CODES'),
  pinClaim: ({ tenantId, lockId, pin }: { tenantId: string; lockId: string; pin: string }): ItemKey => ({
    pk: tenantKey(tenantId, 'LOCK', lockId),
    sk: `PIN#${pin}`,
  }),
};

export function accessCodeItem(code: AccessCode): TableItem {
  const { tenantId, id: accessCodeId, grantId, lockId } = code;
  return {
    ...storable(code),
    ...accessCodeKeys.item({ tenantId, grantId, accessCodeId }),
    ...(holdsPin(code)
      ? {
          gsi1pk: accessCodeKeys.liveByLock({ tenantId, lockId }),
          gsi1sk: `${code.window.startsAt}#${accessCodeId}`,
        }
      : {}),
    itemType: 'accessCode',
  };
}

export function pinClaimItem(code: AccessCode): TableItem {
  const { tenantId, lockId, pin } = code;
  return {
    ...accessCodeKeys.pinClaim({ tenantId, lockId, pin }),
    itemType: 'pin-claim',
    tenantId,
    lockId,
    accessCodeId: code.id,
    grantId: code.grantId,
  };
}

export function createAccessCodeRepository({ table }: { table: DynamoTable }): AccessCodeRepository {
  const codeOf = (item: TableItem) => entityOf<AccessCode>(item);
  return {
    async listByGrant({ tenantId, grantId }) {
      const items = await table.queryAll({
        tenantId,
        partition: accessCodeKeys.ofGrant({ tenantId, grantId }),
        sort: { beginsWith: 'CODE#' },
      });
      return items.map(codeOf);
    },

    async listLiveByLock({ tenantId, lockId, page }) {
      const found = await table.queryPage(
        { tenantId, index: 'gsi1', partition: accessCodeKeys.liveByLock({ tenantId, lockId }) },
        page,
      );
      return { ...found, items: found.items.map(codeOf) };
    },
  };
}
