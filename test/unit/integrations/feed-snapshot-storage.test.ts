/**
 * A large feed's snapshot stays clear of DynamoDB's 400 KB item limit: the integration item keeps only the
 * count, the snapshot goes compressed into chunk items written in the same transaction, and reading the
 * integration gives the snapshot back whole. The table is aws-sdk-client-mock's, backed by a map.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createIntegrationStore } from '#shared/adapters/dynamo/integrations.ts';
import { createDynamoTable } from '#shared/adapters/dynamo/table.ts';
import type { FeedReservation } from '#shared/integrations/ical.ts';
import { type Integration, integrationView } from '#shared/integrations/integration.ts';

const itemLimitBytes = 400 * 1024;
const tableName = 'lockstay';
const documents = mockClient(DynamoDBDocumentClient);
const items = new Map<string, Record<string, unknown>>();
const keyOf = (key: Record<string, unknown>) => `${key.pk}|${key.sk}`;

/** A generous estimate of DynamoDB's item size: names and JSON values, binary counted as raw bytes. */
function itemBytes(item: Record<string, unknown>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    size += name.length;
    size += value instanceof Uint8Array ? value.byteLength : JSON.stringify(value).length;
  }
  return size;
}

beforeEach(() => {
  documents.reset();
  items.clear();
  documents.on(TransactWriteCommand).callsFake((input) => {
    for (const entry of input.TransactItems ?? []) {
      if (entry.Put) items.set(keyOf(entry.Put.Item), structuredClone(entry.Put.Item));
      if (entry.Delete) items.delete(keyOf(entry.Delete.Key));
    }
    return {};
  });
  documents.on(GetCommand).callsFake((input) => ({ Item: items.get(keyOf(input.Key)) }));
  documents.on(BatchGetCommand).callsFake((input) => ({
    Responses: Object.fromEntries(
      Object.entries(input.RequestItems ?? {}).map(([table, request]) => [
        table,
        (request as { Keys: Record<string, unknown>[] }).Keys.flatMap((key) => items.get(keyOf(key)) ?? []),
      ]),
    ),
  }));
  documents.on(QueryCommand).resolves({ Items: [] });
});

const store = createIntegrationStore({
  table: createDynamoTable({
    client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })),
    tableName,
  }),
});

/** A big Airbnb calendar's worth of reservations, with random UIDs that compress poorly. */
function reservations(count: number): FeedReservation[] {
  return Array.from({ length: count }, (_, index) => ({
    uid: `${crypto.randomUUID()}-${crypto.randomUUID()}@airbnb.com`,
    arrivalDate: `2027-${String((index % 12) + 1).padStart(2, '0')}-01`,
    departureDate: `2027-${String((index % 12) + 1).padStart(2, '0')}-05`,
    reservationCode: `HM${crypto.randomUUID().slice(0, 8).toUpperCase()}`,
    phoneLast4: String(1000 + (index % 9000)),
  }));
}

function feedIntegration(snapshot: FeedReservation[], version = 1): Integration {
  return {
    tenantId: 'tnt_a',
    id: 'int_feed',
    kind: 'ical',
    name: 'Airbnb',
    listings: {},
    secrets: [],
    feed: { url: 'https://www.airbnb.com/calendar/ical/1.ics', propertyId: 'prp_loft', snapshot },
    createdAt: '2026-10-01T09:00:00.000Z',
    updatedAt: '2026-10-01T09:00:00.000Z',
    version,
  };
}

describe('Storing a feed’s snapshot', () => {
  it('a 10,000-reservation feed is saved with every item under 400 KB and read back whole', async () => {
    const snapshot = reservations(10_000);
    expect(JSON.stringify(snapshot).length).toBeGreaterThan(itemLimitBytes * 2);

    await store.save(feedIntegration(snapshot));

    const [written] = documents.commandCalls(TransactWriteCommand);
    const puts = written?.args[0].input.TransactItems?.flatMap((entry) => entry.Put?.Item ?? []) ?? [];
    expect(puts.length).toBeGreaterThan(1);
    for (const item of puts) expect(itemBytes(item)).toBeLessThan(itemLimitBytes);
    const read = await store.get({ tenantId: 'tnt_a', integrationId: 'int_feed' });
    expect(read?.feed?.snapshot).toEqual(snapshot);
    expect(integrationView(read as Integration, new Date()).feed?.reservations).toBe(10_000);
  });

  it('a smaller snapshot saved later replaces the larger one', async () => {
    await store.save(feedIntegration(reservations(3_000)));
    const smaller = reservations(2);

    await store.save(feedIntegration(smaller, 2));

    const read = await store.get({ tenantId: 'tnt_a', integrationId: 'int_feed' });
    expect(read?.feed?.snapshot).toEqual(smaller);
  });

  it('removing the integration removes its snapshot', async () => {
    await store.save(feedIntegration(reservations(3_000)));

    await store.remove({ tenantId: 'tnt_a', integrationId: 'int_feed' });

    expect(items.size).toBe(0);
  });
});
