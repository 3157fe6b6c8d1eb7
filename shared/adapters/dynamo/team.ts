/**
 * Team members in the table.
 * - get by user id: `T#<t>#USER#<userId>` / `MEMBER` (the member's grant links share the partition)
 * - list by name: gsi1 `T#<t>#TEAM` / `<name, case and accents aside>#<userId>`
 * - active members by role: gsi2 `T#<t>#TEAM#ROLE#<role>` / `<name>#<userId>`; only active members carry
 *   these attributes, so invited and removed ones are never read
 * - by email: the email claim `T#<t>#EMAIL#<lower-cased email>` / `EMAIL`, written with the member (one
 *   member per email in a tenant), naming the user
 */
import type { TeamRepository } from '#shared/domain/ports/repositories.ts';
import type { HostRole, TeamMember } from '#shared/domain/team.ts';
import { entityOf, type ItemKey, nameSortKey, storable, type TableItem, tenantKey } from './keys.ts';
import type { DynamoTable } from './table.ts';

export const teamKeys = {
  item: ({ tenantId, userId }: { tenantId: string; userId: string }): ItemKey => ({
    pk: tenantKey(tenantId, 'USER', userId),
    sk: 'MEMBER',
  }),
  byName: ({ tenantId }: { tenantId: string }) => tenantKey(tenantId, 'TEAM'),
  activeByRole: ({ tenantId, role }: { tenantId: string; role: HostRole }) =>
    tenantKey(tenantId, 'TEAM', 'ROLE', role),
  email: ({ tenantId, email }: { tenantId: string; email: string }): ItemKey => ({
    pk: tenantKey(tenantId, 'EMAIL', email.toLowerCase()),
    sk: 'EMAIL',
  }),
};

export function teamMemberItem(member: TeamMember): TableItem {
  const { tenantId, userId, role } = member;
  const nameKey = `${nameSortKey(member.name)}#${userId}`;
  return {
    ...storable(member),
    ...teamKeys.item({ tenantId, userId }),
    gsi1pk: teamKeys.byName({ tenantId }),
    gsi1sk: nameKey,
    ...(member.status === 'active'
      ? { gsi2pk: teamKeys.activeByRole({ tenantId, role }), gsi2sk: nameKey }
      : {}),
    itemType: 'teamMember',
  };
}

export function emailClaimItem(member: TeamMember): TableItem {
  const { tenantId, userId, email } = member;
  return { ...teamKeys.email({ tenantId, email }), itemType: 'email-claim', tenantId, userId };
}

export function createTeamRepository({ table }: { table: DynamoTable }): TeamRepository {
  const memberOf = (item: TableItem) => entityOf<TeamMember>(item);
  return {
    async get({ tenantId, userId }) {
      const item = await table.get(teamKeys.item({ tenantId, userId }));
      return item && memberOf(item);
    },

    async findByEmail({ tenantId, email }) {
      const claim = await table.get(teamKeys.email({ tenantId, email }));
      if (typeof claim?.userId !== 'string') return undefined;
      const item = await table.get(teamKeys.item({ tenantId, userId: claim.userId }));
      return item && memberOf(item);
    },

    async list({ tenantId, page }) {
      const found = await table.queryPage(
        { tenantId, index: 'gsi1', partition: teamKeys.byName({ tenantId }) },
        page,
      );
      return { ...found, items: found.items.map(memberOf) };
    },

    async listByRole({ tenantId, role }) {
      const items = await table.queryAll({
        tenantId,
        index: 'gsi2',
        partition: teamKeys.activeByRole({ tenantId, role }),
      });
      return items.map(memberOf);
    },
  };
}
