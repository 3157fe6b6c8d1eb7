/**
 * Grants in the table.
 * - get by id: `T#<t>#GRANT#<grantId>` / `GRANT` (the grant's codes share its partition, see access-codes.ts)
 * - live at an instant (neither revoked nor over): gsi1 `T#<t>#PROPERTY#<propertyId>#LIVE_GRANTS` /
 *   `<endsAt, or the end of time>#<grantId>`, read from the instant on, so grants already over are never read;
 *   a revoked grant leaves this index (the attributes are dropped).
 * - a property's grants, newest first: gsi2 `T#<t>#PROPERTY#<propertyId>#GRANTS` / `<createdAt>#<grantId>`
 * - a team member's grants (turnover, owner codes), newest first: holder links in the member's partition,
 *   `T#<t>#USER#<userId>` / `GRANT#<createdAt>#<grantId>`, written once with the grant (holder and creation
 *   time never change), then the grants themselves read by key.
 */
import { type Grant, holderUserIdOf } from '#shared/domain/grant.ts';
import type { GrantRepository } from '#shared/domain/ports/repositories.ts';
import { endOfTime, entityOf, type ItemKey, storable, type TableItem, tenantKey } from './keys.ts';
import type { DynamoTable } from './table.ts';

export const grantKeys = {
  item: ({ tenantId, grantId }: { tenantId: string; grantId: string }): ItemKey => ({
    pk: tenantKey(tenantId, 'GRANT', grantId),
    sk: 'GRANT',
  }),
  liveByProperty: ({ tenantId, propertyId }: { tenantId: string; propertyId: string }) =>
    tenantKey(tenantId, 'PROPERTY', propertyId, 'LIVE_GRANTS'),
  byProperty: ({ tenantId, propertyId }: { tenantId: string; propertyId: string }) =>
    tenantKey(tenantId, 'PROPERTY', propertyId, 'GRANTS'),
  holderPartition: ({ tenantId, userId }: { tenantId: string; userId: string }) =>
    tenantKey(tenantId, 'USER', userId),
  holderLink: ({
    tenantId,
    userId,
    createdAt,
    grantId,
  }: {
    tenantId: string;
    userId: string;
    createdAt: string;
    grantId: string;
  }): ItemKey => ({
    pk: grantKeys.holderPartition({ tenantId, userId }),
    sk: `GRANT#${createdAt}#${grantId}`,
  }),
};

export function grantItem(grant: Grant): TableItem {
  const { tenantId, id: grantId, propertyId } = grant;
  return {
    ...storable(grant),
    ...grantKeys.item({ tenantId, grantId }),
    ...(grant.revocation
      ? {}
      : {
          gsi1pk: grantKeys.liveByProperty({ tenantId, propertyId }),
          gsi1sk: `${grant.window.endsAt ?? endOfTime}#${grantId}`,
        }),
    gsi2pk: grantKeys.byProperty({ tenantId, propertyId }),
    gsi2sk: `${grant.createdAt}#${grantId}`,
    itemType: 'grant',
  };
}

/** The link from the grant's holder to it, for grants held by a team member; undefined for the others. */
export function holderLinkItem(grant: Grant): TableItem | undefined {
  const userId = holderUserIdOf(grant);
  if (userId === undefined) return undefined;
  const { tenantId, id: grantId, createdAt } = grant;
  return {
    ...grantKeys.holderLink({ tenantId, userId, createdAt, grantId }),
    itemType: 'grant-holder',
    tenantId,
    grantId,
  };
}

export function createGrantRepository({ table }: { table: DynamoTable }): GrantRepository {
  const grantOf = (item: TableItem) => entityOf<Grant>(item);
  return {
    async get({ tenantId, grantId }) {
      const item = await table.get(grantKeys.item({ tenantId, grantId }));
      return item && grantOf(item);
    },

    async listByProperty({ tenantId, propertyId, page }) {
      const found = await table.queryPage(
        {
          tenantId,
          index: 'gsi2',
          partition: grantKeys.byProperty({ tenantId, propertyId }),
          newestFirst: true,
        },
        page,
      );
      return { ...found, items: found.items.map(grantOf) };
    },

    async listLiveByProperty({ tenantId, propertyId, at }) {
      // `<endsAt>#<id>` sorts after `<at>$` exactly when endsAt > at ('$' follows '#').
      const instant = new Date(at).toISOString();
      const items = await table.queryAll({
        tenantId,
        index: 'gsi1',
        partition: grantKeys.liveByProperty({ tenantId, propertyId }),
        sort: { after: `${instant}$` },
      });
      return items.map(grantOf);
    },

    async listLiveEndingBetween({ tenantId, propertyId, from, to }) {
      const items = await table.queryAll({
        tenantId,
        index: 'gsi1',
        partition: grantKeys.liveByProperty({ tenantId, propertyId }),
        sort: { between: [new Date(from).toISOString(), `${new Date(to).toISOString()}$`] },
      });
      return items.map(grantOf);
    },

    async listByHolder({ tenantId, userId, page }) {
      const links = await table.queryPage(
        {
          tenantId,
          partition: grantKeys.holderPartition({ tenantId, userId }),
          sort: { beginsWith: 'GRANT#' },
          newestFirst: true,
        },
        page,
      );
      const grants = await table.getMany(
        links.items.map((link) => grantKeys.item({ tenantId, grantId: String(link.grantId) })),
      );
      return { ...links, items: grants.map(grantOf) };
    },
  };
}
