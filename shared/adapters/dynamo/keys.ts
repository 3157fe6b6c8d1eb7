/**
 * What every key of the one table is made of, and the shape of a stored item. The entity modules build their
 * keys from these parts; ACCESS-PATTERNS.md beside this file lists every key and index they use.
 *
 * Tenant-scoped keys start with `T#<tenantId>#`, so a key built for one tenant can only ever reach that
 * tenant's partitions. Lookups that arrive without a tenant (a device's thing name, a guest link's token hash,
 * a webhook id) go through gsi2 with keys that start with their own kind (`THING#`, `LINK#`...), never `T#`.
 */

export type IndexName = 'gsi1' | 'gsi2' | 'gsi3';

/** An item as stored: the entity's own attributes beside the key attributes of the table and its indexes. */
export interface TableItem {
  readonly pk: string;
  readonly sk: string;
  readonly gsi1pk?: string;
  readonly gsi1sk?: string;
  readonly gsi2pk?: string;
  readonly gsi2sk?: string;
  readonly gsi3pk?: string;
  readonly gsi3sk?: string;
  /** Which kind of item this is: an entity's name, or a claim's. */
  readonly itemType: string;
  readonly [attribute: string]: unknown;
}

export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

/** The attributes that locate an item in the table or an index: never part of the entity read back. */
export const keyAttributes = [
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'gsi3pk',
  'gsi3sk',
] as const;
export const metaAttributes: ReadonlySet<string> = new Set([...keyAttributes, 'itemType']);

export const indexKeyAttributes: Record<
  IndexName,
  { partition: 'gsi1pk' | 'gsi2pk' | 'gsi3pk'; sort: 'gsi1sk' | 'gsi2sk' | 'gsi3sk' }
> = {
  gsi1: { partition: 'gsi1pk', sort: 'gsi1sk' },
  gsi2: { partition: 'gsi2pk', sort: 'gsi2sk' },
  gsi3: { partition: 'gsi3pk', sort: 'gsi3sk' },
};

/**
 * `T#<tenantId>#<part>#<part>...`. A tenant id comes from a verified token, never from a client's body; one
 * with a `#` could reach into another tenant's keys, so it is refused outright.
 */
export function tenantKey(tenantId: string, ...parts: string[]): string {
  if (tenantId.length === 0 || tenantId.includes('#')) {
    throw new Error(
      `A tenant id used in a key must be non-empty and free of '#': ${JSON.stringify(tenantId)}`,
    );
  }
  return ['T', tenantId, ...parts].join('#');
}

export function tenantPrefix(tenantId: string): string {
  return tenantKey(tenantId, '');
}

/**
 * Instants are ISO 8601 UTC with milliseconds (`2026-10-24T13:00:00.000Z`), whose text order is their time
 * order. A window with no end sorts after every instant.
 */
export const endOfTime = '9999-12-31T23:59:59.999Z';

/**
 * A sort key part that orders names as people expect: case and accents aside ("Élan" beside "elan", "apple"
 * before "Zebra"). The stored name itself is untouched.
 */
export function nameSortKey(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The entity an item holds: the item without its key attributes and item type. */
export function entityOf<T>(item: TableItem): T {
  return Object.fromEntries(Object.entries(item).filter(([name]) => !metaAttributes.has(name))) as T;
}

/**
 * A copy of a domain value without its undefined fields, which DynamoDB cannot store (an absent attribute
 * reads back as an absent field, which the domain treats alike).
 */
export function storable<T>(value: T): T {
  if (Array.isArray(value)) return value.map((element) => storable(element)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, field]) => field !== undefined)
        .map(([name, field]) => [name, storable(field)]),
    ) as T;
  }
  return value;
}
