/**
 * The audit log in the table: append-only, read newest first.
 * - the tenant's log: `T#<t>#AUDIT` / `<at>#<commit>#<n>`
 * - a property's log: gsi1 `T#<t>#PROPERTY#<propertyId>#AUDIT` / same sort key (events naming a property)
 * - a lock's log: gsi2 `T#<t>#LOCK#<lockId>#AUDIT` / same sort key (events naming a lock)
 * - a stay's log: gsi3 `T#<t>#GRANT#<grantId>#AUDIT` (events naming a grant) or `T#<t>#BOOKING#<bookingId>#AUDIT`
 *   (events naming a booking and no grant) / same sort key
 * A time range is a range of the sort key; person, method and stay are filters on the partition's items, read
 * at most `auditReadBudget` per page (a page may then be short, with a cursor to go on).
 * The sort key orders by instant, then keeps the events of one commit together in the order they were
 * recorded (`<commit>` is the id of the commit's first event, `<n>` the event's place in it), so that reading
 * newest first shows an operation's events last-recorded first, as one block.
 */
import type { AuditEvent } from '#shared/domain/audit.ts';
import {
  type AuditFilter,
  matchesAuditFilter,
  narrowsBeyondTime,
  stayOfEvent,
} from '#shared/domain/audit-filter.ts';
import type { AuditLogRepository } from '#shared/domain/ports/repositories.ts';
import type { SortCondition } from './cursor.ts';
import { entityOf, storable, type TableItem, tenantKey } from './keys.ts';
import type { DynamoTable, QuerySpec } from './table.ts';

export const auditKeys = {
  tenant: ({ tenantId }: { tenantId: string }) => tenantKey(tenantId, 'AUDIT'),
  property: ({ tenantId, propertyId }: { tenantId: string; propertyId: string }) =>
    tenantKey(tenantId, 'PROPERTY', propertyId, 'AUDIT'),
  lock: ({ tenantId, lockId }: { tenantId: string; lockId: string }) =>
    tenantKey(tenantId, 'LOCK', lockId, 'AUDIT'),
  grant: ({ tenantId, grantId }: { tenantId: string; grantId: string }) =>
    tenantKey(tenantId, 'GRANT', grantId, 'AUDIT'),
  booking: ({ tenantId, bookingId }: { tenantId: string; bookingId: string }) =>
    tenantKey(tenantId, 'BOOKING', bookingId, 'AUDIT'),
  sort: ({ at, commitId, position }: { at: string; commitId: string; position: number }) =>
    `${at}#${commitId}#${String(position).padStart(3, '0')}`,
};

/** The item of the `position`-th event of a commit whose first event has the id `commitId`. */
export function auditEventItem({
  event,
  commitId,
  position,
}: {
  event: AuditEvent;
  commitId: string;
  position: number;
}): TableItem {
  const { tenantId, propertyId, lockId } = event;
  const sk = auditKeys.sort({ at: event.at, commitId, position });
  const stay = stayOfEvent(event);
  return {
    ...storable(event),
    pk: auditKeys.tenant({ tenantId }),
    sk,
    ...(propertyId === undefined ? {} : { gsi1pk: auditKeys.property({ tenantId, propertyId }), gsi1sk: sk }),
    ...(lockId === undefined ? {} : { gsi2pk: auditKeys.lock({ tenantId, lockId }), gsi2sk: sk }),
    ...(stay === undefined
      ? {}
      : {
          gsi3pk:
            stay.kind === 'grant'
              ? auditKeys.grant({ tenantId, grantId: stay.id })
              : auditKeys.booking({ tenantId, bookingId: stay.id }),
          gsi3sk: sk,
        }),
    itemType: 'auditEvent',
  };
}

/**
 * The sort-key range of a time range: a key starts with its instant, so `<from>` sorts before every key at
 * `from` or later, and `<to>` after every key before `to` and before every key at `to` (`<at>#` > `<at>`).
 */
export function auditSortRange({ from, to }: AuditFilter): SortCondition | undefined {
  if (from !== undefined && to !== undefined) return { between: [from, to] };
  if (from !== undefined) return { from };
  if (to !== undefined) return { before: to };
  return undefined;
}

/** How many events a narrowed page reads at most before it ends short with a cursor. */
export const auditReadBudget = 1000;

export function createAuditLogRepository({ table }: { table: DynamoTable }): AuditLogRepository {
  return {
    async list({ tenantId, scope, filter = {}, page }) {
      const partition: QuerySpec =
        scope.kind === 'property'
          ? {
              tenantId,
              index: 'gsi1',
              partition: auditKeys.property({ tenantId, propertyId: scope.propertyId }),
            }
          : scope.kind === 'lock'
            ? { tenantId, index: 'gsi2', partition: auditKeys.lock({ tenantId, lockId: scope.lockId }) }
            : { tenantId, partition: auditKeys.tenant({ tenantId }) };
      const sort = auditSortRange(filter);
      const spec: QuerySpec = {
        ...partition,
        ...(sort === undefined ? {} : { sort }),
        ...(narrowsBeyondTime(filter)
          ? {
              where: (item: TableItem) => matchesAuditFilter(entityOf<AuditEvent>(item), filter),
              maxItemsRead: auditReadBudget,
            }
          : {}),
        newestFirst: true,
      };
      const found = await table.queryPage(spec, page);
      return { ...found, items: found.items.map((item) => entityOf<AuditEvent>(item)) };
    },

    async listOfStay({ tenantId, stay, limit }) {
      const partitions = [
        auditKeys.grant({ tenantId, grantId: stay.grantId }),
        ...(stay.bookingId === undefined ? [] : [auditKeys.booking({ tenantId, bookingId: stay.bookingId })]),
      ];
      // Each partition newest first, at most `limit` each; together, the newest `limit` of both.
      const pages = await Promise.all(
        partitions.map((partition) =>
          table.queryPage({ tenantId, index: 'gsi3', partition, newestFirst: true }, { limit }),
        ),
      );
      const newestFirst = pages
        .flatMap((found) => found.items)
        // DynamoDB orders sort keys by their bytes; the keys are ASCII, so code-unit order is the same.
        .sort((a, b) => (String(a.gsi3sk) < String(b.gsi3sk) ? 1 : -1));
      const kept = newestFirst.slice(0, limit);
      const complete =
        pages.every((found) => found.nextCursor === undefined) && kept.length === newestFirst.length;
      return { events: kept.reverse().map((item) => entityOf<AuditEvent>(item)), complete };
    },
  };
}
