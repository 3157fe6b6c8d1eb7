/**
 * The one DynamoDB table, described once as plain data. The CDK stack and the local cloud both build the
 * table from this description, so the deployed table and DynamoDB Local cannot drift apart.
 * The entities' key builders and access patterns live beside their repositories; this file only fixes the
 * physical shape: attribute names, indexes, TTL and stream.
 */

export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N';
}

export interface GlobalIndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
}

export interface TableDefinition {
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  readonly globalIndexes: readonly GlobalIndexDefinition[];
  /** Attribute holding an epoch-seconds expiry; DynamoDB deletes the item some time after it passes. */
  readonly timeToLiveAttribute: string;
}

export const tableDefinition: TableDefinition = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalIndexes: [
    // Secondary lookups inside a tenant (by lock, by date, by email...), tenant id still leading the key.
    {
      indexName: 'gsi1',
      partitionKey: { name: 'gsi1pk', type: 'S' },
      sortKey: { name: 'gsi1sk', type: 'S' },
    },
    // Lookups that arrive without a tenant (a device's thing name, a guest link's token hash, a webhook id).
    {
      indexName: 'gsi2',
      partitionKey: { name: 'gsi2pk', type: 'S' },
      sortKey: { name: 'gsi2sk', type: 'S' },
    },
    // The audit events of one stay (a booking or its grant), beside the property's and the lock's logs that
    // gsi1 and gsi2 already carry for the same events, so a stay's timeline reads only its own events.
    {
      indexName: 'gsi3',
      partitionKey: { name: 'gsi3pk', type: 'S' },
      sortKey: { name: 'gsi3sk', type: 'S' },
    },
  ],
  timeToLiveAttribute: 'expiresAt',
};

/** Every attribute that appears in a key of the table or one of its indexes, once each. */
export function keyAttributes(definition: TableDefinition = tableDefinition): KeyAttribute[] {
  const all = [
    definition.partitionKey,
    definition.sortKey,
    ...definition.globalIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  return [...new Map(all.map((attribute) => [attribute.name, attribute])).values()];
}
