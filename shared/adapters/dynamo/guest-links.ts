/**
 * Guest links in the table, each beside its grant's other links (one per email the guest got).
 * - a link of the grant: `T#<t>#GUEST_LINK#<grantId>` / `GUEST_LINK#<token hash>`
 * - the link a token names (tenantless): gsi2 `LINK#<token hash>` / `GUEST_LINK`
 * A token is confirmed against the item itself (the index is eventually consistent), and `remove` deletes
 * every link of the grant. `expiresAt` (epoch seconds) lets the table's TTL delete an item a day after the link
 * closes; the link is refused from its `validUntil` on regardless, since TTL deletion runs late.
 */
import type { GuestLink, GuestLinkStore } from '#shared/guests/guest-link.ts';
import { entityOf, type ItemKey, storable, type TableItem, tenantKey } from './keys.ts';
import type { DynamoTable } from './table.ts';

const keptAfterClosingSeconds = 24 * 60 * 60;

export const guestLinkKeys = {
  item: ({
    tenantId,
    grantId,
    tokenHash,
  }: {
    tenantId: string;
    grantId: string;
    tokenHash: string;
  }): ItemKey => ({
    pk: tenantKey(tenantId, 'GUEST_LINK', grantId),
    sk: `GUEST_LINK#${tokenHash}`,
  }),
  grant: ({ tenantId, grantId }: { tenantId: string; grantId: string }) =>
    tenantKey(tenantId, 'GUEST_LINK', grantId),
  byTokenHash: (tokenHash: string) => `LINK#${tokenHash}`,
};

export function guestLinkItem(link: GuestLink): TableItem {
  return {
    ...storable(link),
    ...guestLinkKeys.item(link),
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
      const stored = await table.get({ pk: item.pk, sk: item.sk });
      if (!stored || stored.tokenHash !== tokenHash) return undefined;
      return linkOf(stored);
    },

    async remove({ tenantId, grantId }) {
      const links = await table.queryAll({
        tenantId,
        partition: guestLinkKeys.grant({ tenantId, grantId }),
        sort: { beginsWith: 'GUEST_LINK' },
      });
      if (links.length === 0) return;
      const outcome = await table.transactWrite(
        links.map((link) => ({ Delete: { TableName: tableName, Key: { pk: link.pk, sk: link.sk } } })),
      );
      if (!outcome.ok) throw outcome.error;
    },
  };
}
