/**
 * Guest links in the table, one per grant.
 * - the grant's link: `T#<t>#GUEST_LINK#<grantId>` / `GUEST_LINK`
 * - the link a token names (tenantless): gsi2 `LINK#<token hash>` / `GUEST_LINK`
 * Saving again for a grant replaces the item, so the old hash leaves the index with it. `expiresAt` (epoch
 * seconds) lets the table's TTL delete the item a day after the link closes; the link is refused from its
 * `validUntil` on regardless, since TTL deletion runs late.
 */
import type { GuestLink, GuestLinkStore } from '#shared/guests/guest-link.ts';
import { entityOf, type ItemKey, storable, type TableItem, tenantKey } from './keys.ts';
import type { DynamoTable } from './table.ts';

const keptAfterClosingSeconds = 24 * 60 * 60;

export const guestLinkKeys = {
  item: ({ tenantId, grantId }: { tenantId: string; grantId: string }): ItemKey => ({
    pk: tenantKey(tenantId, 'GUEST_LINK', grantId),
    sk: 'GUEST_LINK',
  }),
  byTokenHash: (tokenHash: string) => `LINK#${tokenHash}`,
};

export function guestLinkItem(link: GuestLink): TableItem {
  return {
    ...storable(link),
    ...guestLinkKeys.item({ tenantId: link.tenantId, grantId: link.grantId }),
    gsi2pk: guestLinkKeys.byTokenHash(link.tokenHash),
    gsi2sk: 'GUEST_LINK',
    itemType: 'guestLink',
    expiresAt: Math.floor(Date.parse(link.validUntil) / 1000) + keptAfterClosingSeconds,
  };
}

function linkOf(item: TableItem): GuestLink {
  const { expiresAt: _ttl, ...link } = entityOf<GuestLink & { expiresAt?: number }>(item);
  return link;
}

export function createGuestLinkStore({ table }: { table: DynamoTable }): GuestLinkStore {
  const { tableName } = table;
  return {
    async save(link) {
      const outcome = await table.transactWrite([
        { Put: { TableName: tableName, Item: guestLinkItem(link) } },
      ]);
      if (!outcome.ok) throw outcome.error;
    },

    async findByTokenHash(tokenHash) {
      // No tenant is known yet: the scope's tenant only binds cursors, and this read has none.
      const item = await table.queryFirst({
        tenantId: 'guest-link',
        index: 'gsi2',
        partition: guestLinkKeys.byTokenHash(tokenHash),
        sort: { beginsWith: 'GUEST_LINK' },
      });
      // The index is eventually consistent: the stored item is the truth (a replaced link is gone from it).
      if (!item) return undefined;
      const stored = await table.get(
        guestLinkKeys.item({ tenantId: String(item.tenantId), grantId: String(item.grantId) }),
      );
      if (!stored || stored.tokenHash !== tokenHash) return undefined;
      return linkOf(stored);
    },

    async remove({ tenantId, grantId }) {
      const outcome = await table.transactWrite([
        { Delete: { TableName: tableName, Key: guestLinkKeys.item({ tenantId, grantId }) } },
      ]);
      if (!outcome.ok) throw outcome.error;
    },
  };
}
