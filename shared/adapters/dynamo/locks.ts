/**
 * Locks in the table.
 * - get by id: `T#<t>#LOCK#<lockId>` / `LOCK`
 * - a property's locks, in registration order: gsi1 `T#<t>#PROPERTY#<propertyId>#LOCKS` / `<createdAt>#<lockId>`
 * - the lock a device event names (tenantless): gsi2 `THING#<thingName>` / `LOCK`
 * The PIN claims of the lock's live codes share its partition (see access-codes.ts).
 */
import type { Lock } from '#shared/domain/lock.ts';
import type { LockRepository } from '#shared/domain/ports/repositories.ts';
import { entityOf, type ItemKey, storable, type TableItem, tenantKey } from './keys.ts';
import type { DynamoTable } from './table.ts';

export const lockKeys = {
  item: ({ tenantId, lockId }: { tenantId: string; lockId: string }): ItemKey => ({
    pk: tenantKey(tenantId, 'LOCK', lockId),
    sk: 'LOCK',
  }),
  byProperty: ({ tenantId, propertyId }: { tenantId: string; propertyId: string }) =>
    tenantKey(tenantId, 'PROPERTY', propertyId, 'LOCKS'),
  byThing: (thingName: string) => `THING#${thingName}`,
};

export function lockItem(lock: Lock): TableItem {
  const { tenantId, id: lockId, propertyId } = lock;
  return {
    ...storable(lock),
    ...lockKeys.item({ tenantId, lockId }),
    gsi1pk: lockKeys.byProperty({ tenantId, propertyId }),
    gsi1sk: `${lock.createdAt}#${lockId}`,
    gsi2pk: lockKeys.byThing(lock.thingName),
    gsi2sk: 'LOCK',
    itemType: 'lock',
  };
}

export function createLockRepository({ table }: { table: DynamoTable }): LockRepository {
  return {
    async get({ tenantId, lockId }) {
      const item = await table.get(lockKeys.item({ tenantId, lockId }));
      return item && entityOf<Lock>(item);
    },
    async listByProperty({ tenantId, propertyId }) {
      const items = await table.queryAll({
        tenantId,
        index: 'gsi1',
        partition: lockKeys.byProperty({ tenantId, propertyId }),
      });
      return items.map((item) => entityOf<Lock>(item));
    },
  };
}
