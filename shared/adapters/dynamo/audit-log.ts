/**
 * The audit log in the table: append-only, read newest first.
 * - the tenant's log: `T#<t>#AUDIT` / `<at>#<commit>#<n>`
 * - a property's log: gsi1 `T#<t>#PROPERTY#<propertyId>#AUDIT` / same sort key (events naming a property)
 * - a lock's log: gsi2 `T#<t>#LOCK#<lockId>#AUDIT` / same sort key (events naming a lock)
 * The sort key orders by instant, then keeps the events of one commit together in the order they were
 * recorded (`<commit>` is the id of the commit's first event, `<n>` the event's place in it), so that reading
 * newest first shows an operation's events last-recorded first, as one block.
 */
import type { AuditEvent } from '#shared/domain/audit.ts';
import type { AuditLogRepository } from '#shared/domain/ports/repositories.ts';
import { entityOf, storable, type TableItem, tenantKey } from './keys.ts';
import type { DynamoTable, QuerySpec } from './table.ts';

export const auditKeys = {
  tenant: ({ tenantId }: { tenantId: string }) => tenantKey(tenantId, 'AUDIT'),
  property: ({ tenantId, propertyId }: { tenantId: string; propertyId: string }) =>
    tenantKey(tenantId, 'PROPERTY', propertyId, 'AUDIT'),
  lock: ({ tenantId, lockId }: { tenantId: string; lockId: string }) =>
    tenantKey(tenantId, 'LOCK', lockId, 'AUDIT'),
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
  return {
    ...storable(event),
    pk: auditKeys.tenant({ tenantId }),
    sk,
    ...(propertyId === undefined ? {} : { gsi1pk: auditKeys.property({ tenantId, propertyId }), gsi1sk: sk }),
    ...(lockId === undefined ? {} : { gsi2pk: auditKeys.lock({ tenantId, lockId }), gsi2sk: sk }),
    itemType: 'auditEvent',
  };
}

export function createAuditLogRepository({ table }: { table: DynamoTable }): AuditLogRepository {
  return {
    async list({ tenantId, scope, page }) {
      const spec: QuerySpec =
        scope.kind === 'property'
          ? {
              tenantId,
              index: 'gsi1',
              partition: auditKeys.property({ tenantId, propertyId: scope.propertyId }),
            }
          : scope.kind === 'lock'
            ? { tenantId, index: 'gsi2', partition: auditKeys.lock({ tenantId, lockId: scope.lockId }) }
            : { tenantId, partition: auditKeys.tenant({ tenantId }) };
      const found = await table.queryPage({ ...spec, newestFirst: true }, page);
      return { ...found, items: found.items.map((item) => entityOf<AuditEvent>(item)) };
    },
  };
}
