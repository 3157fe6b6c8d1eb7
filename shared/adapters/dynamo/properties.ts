/**
 * Properties in the table.
 * - get by id: `T#<t>#PROPERTY#<propertyId>` / `PROPERTY`
 * - list by name: gsi1 `T#<t>#PROPERTIES` / `<name, case and accents aside>#<propertyId>`
 */
import type { PropertyRepository } from '#shared/domain/ports/repositories.ts';
import type { Property } from '#shared/domain/property.ts';
import { entityOf, type ItemKey, nameSortKey, storable, type TableItem, tenantKey } from './keys.ts';
import type { DynamoTable } from './table.ts';

export const propertyKeys = {
  item: ({ tenantId, propertyId }: { tenantId: string; propertyId: string }): ItemKey => ({
    pk: tenantKey(tenantId, 'PROPERTY', propertyId),
    sk: 'PROPERTY',
  }),
  byName: ({ tenantId }: { tenantId: string }) => tenantKey(tenantId, 'PROPERTIES'),
};

export function propertyItem(property: Property): TableItem {
  const { tenantId, id: propertyId } = property;
  return {
    ...storable(property),
    ...propertyKeys.item({ tenantId, propertyId }),
    gsi1pk: propertyKeys.byName({ tenantId }),
    gsi1sk: `${nameSortKey(property.name)}#${propertyId}`,
    itemType: 'property',
  };
}

export function createPropertyRepository({ table }: { table: DynamoTable }): PropertyRepository {
  return {
    async get({ tenantId, propertyId }) {
      const item = await table.get(propertyKeys.item({ tenantId, propertyId }));
      return item && entityOf<Property>(item);
    },
    async list({ tenantId, page }) {
      const found = await table.queryPage(
        { tenantId, index: 'gsi1', partition: propertyKeys.byName({ tenantId }) },
        page,
      );
      return { ...found, items: found.items.map((item) => entityOf<Property>(item)) };
    },
  };
}
