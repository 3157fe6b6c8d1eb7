/**
 * DynamoDB capacity consumed by the storage adapter, as DynamoDB reports it (ReturnConsumedCapacity INDEXES on
 * every request), for:
 * - creating a booking with its grant and codes on a property with two locks (the domain's reads, then the one
 *   transaction), beside an estimate from the sizes of the items written, by DynamoDB's published rules
 *   (a transactional write is 2 WCU per KB per item, each index entry written 1 WCU per KB). DynamoDB Local
 *   reports reads and single writes by those rules, but not transactions (one small item: 4 WCU, two: 4,
 *   three: 8 on the table), so for the commit the estimate is the figure to go by;
 * - reading the property's live grants when it also has a history of past stays;
 * - floors in the same run: one consistent GetItem of the property, one transaction of one small put.
 *
 * `measureDynamoCapacity({ endpoint, region, tableName })` measures against any DynamoDB with the project's
 * table; run this file alone to measure on a DynamoDB Local of its own: `node bench/dynamo-capacity.ts`.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConsumedCapacity, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { cryptoRandomSource } from '#shared/adapters/crypto-random-source.ts';
import { planCommit } from '#shared/adapters/dynamo/commit.ts';
import { createDynamoStorage } from '#shared/adapters/dynamo/index.ts';
import type { TableItem } from '#shared/adapters/dynamo/keys.ts';
import { propertyKeys } from '#shared/adapters/dynamo/properties.ts';
import { randomIdGenerator } from '#shared/adapters/random-id-generator.ts';
import { createBooking } from '#shared/domain/operations/bookings.ts';
import { registerLock } from '#shared/domain/operations/locks.ts';
import { createProperty } from '#shared/domain/operations/properties.ts';
import type { ChangeSet } from '#shared/domain/ports/change-set.ts';
import type { DomainPorts } from '#shared/domain/ports/domain-ports.ts';
import type { MemberPrincipal } from '#shared/domain/team.ts';

export interface CapacityUse {
  readonly requests: number;
  readonly readUnits: number;
  readonly writeUnits: number;
  /** Capacity units by where they were spent: the table, gsi1, gsi2, gsi3. */
  readonly byPlace: Readonly<Record<string, number>>;
}

export interface DynamoCapacityReport {
  /** Whether the DynamoDB measured reported consumed capacity at all. */
  readonly reported: boolean;
  readonly createBooking: {
    readonly reads: CapacityUse;
    readonly commit: CapacityUse;
    readonly transactionItems: number;
    /** Write units the commit costs by item sizes: 2 per KB per transaction item, 1 per KB per index entry. */
    readonly estimatedCommit: {
      readonly writeUnits: number;
      readonly byPlace: Readonly<Record<string, number>>;
    };
    readonly largestItemBytes: number;
  };
  readonly liveGrants: CapacityUse & { readonly returned: number; readonly pastStays: number };
  readonly floors: { readonly getItem: CapacityUse; readonly oneItemTransaction: CapacityUse };
}

type Recorded = { readonly command: string; readonly capacity: ConsumedCapacity[] };

/** A document client that asks every request for its consumed capacity and keeps the answers. */
function measuringClient({ endpoint, region }: { endpoint: string | undefined; region: string }) {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region,
      ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    }),
  );
  const recorded: Recorded[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'INDEXES';
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] })
        .ConsumedCapacity;
      recorded.push({
        command: context.commandName ?? 'unknown',
        capacity: consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed],
      });
      return result;
    },
    { step: 'initialize', name: 'measureConsumedCapacity' },
  );
  return { client, recorded };
}

function use(recorded: readonly Recorded[]): CapacityUse {
  const byPlace: Record<string, number> = {};
  let readUnits = 0;
  let writeUnits = 0;
  const add = (place: string, units: number | undefined) => {
    byPlace[place] = (byPlace[place] ?? 0) + (units ?? 0);
  };
  for (const { command, capacity } of recorded) {
    const isWrite = /Write|Put|Delete|Update/.test(command);
    for (const consumed of capacity) {
      const units = consumed.CapacityUnits ?? 0;
      if (isWrite) writeUnits += units;
      else readUnits += units;
      add('table', consumed.Table?.CapacityUnits ?? (consumed.GlobalSecondaryIndexes ? 0 : units));
      for (const [index, indexUse] of Object.entries(consumed.GlobalSecondaryIndexes ?? {})) {
        add(index, indexUse.CapacityUnits);
      }
    }
  }
  return { requests: recorded.length, readUnits, writeUnits, byPlace };
}

/** DynamoDB's item size: attribute names and values, by its published rules (UTF-8 text, numbers, 3 bytes a container). */
export function itemSize(item: Readonly<Record<string, unknown>>): number {
  const valueSize = (value: unknown): number => {
    if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
    if (typeof value === 'number')
      return Math.ceil(String(Math.abs(value)).replace(/[.-]/g, '').length / 2) + 1;
    if (typeof value === 'boolean' || value === null) return 1;
    if (Array.isArray(value))
      return 3 + value.reduce((sum: number, element) => sum + 1 + valueSize(element), 0);
    if (typeof value === 'object') {
      return (
        3 +
        Object.entries(value as Record<string, unknown>).reduce(
          (sum, [name, field]) => sum + 1 + Buffer.byteLength(name, 'utf8') + valueSize(field),
          0,
        )
      );
    }
    return 0;
  };
  return Object.entries(item).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name, 'utf8') + valueSize(value),
    0,
  );
}

/** What a transaction creating `items` costs by DynamoDB's rules (no index key changes: each entry is one put). */
function estimatedWriteUnits(
  items: readonly TableItem[],
): DynamoCapacityReport['createBooking']['estimatedCommit'] {
  const kilobytes = (item: TableItem) => Math.ceil(itemSize(item) / 1024);
  const byPlace = { table: 0, gsi1: 0, gsi2: 0, gsi3: 0 };
  for (const item of items) {
    byPlace.table += 2 * kilobytes(item);
    if (item.gsi1pk) byPlace.gsi1 += kilobytes(item);
    if (item.gsi2pk) byPlace.gsi2 += kilobytes(item);
    if (item.gsi3pk) byPlace.gsi3 += kilobytes(item);
  }
  return { writeUnits: byPlace.table + byPlace.gsi1 + byPlace.gsi2 + byPlace.gsi3, byPlace };
}

export async function measureDynamoCapacity({
  endpoint,
  region,
  tableName,
}: {
  endpoint: string | undefined;
  region: string;
  tableName: string;
}): Promise<DynamoCapacityReport> {
  const { client, recorded } = measuringClient({ endpoint, region });
  const storage = createDynamoStorage({ client, tableName });
  const committed: ChangeSet[] = [];
  const ports = {
    ...storage,
    clock: { now: () => new Date('2026-12-01T09:00:00.000Z') },
    ids: randomIdGenerator,
    random: cryptoRandomSource,
    changes: {
      commit: async (changes: ChangeSet) => {
        committed.push(changes);
        return storage.changes.commit(changes);
      },
    },
    devices: {
      provision: async ({ thingName }: { thingName: string }) => ({
        certificateId: `cert-${thingName}`,
        keyVersion: 1,
        installerBundle: {
          thingName,
          certificatePem: '',
          privateKeyPem: '',
          caCertificatePem: '',
          endpoint: '',
          deviceKey: '',
        },
      }),
    },
  } as unknown as DomainPorts;
  const tenantId = `bench-${randomUUID()}`;
  const principal: MemberPrincipal = {
    kind: 'member',
    tenantId,
    userId: 'usr_bench',
    role: 'owner',
    assignedPropertyIds: [],
  };
  const { property } = await createProperty({
    ports,
    principal,
    input: {
      name: 'Altbau loft',
      address: { line1: 'Kastanienallee 1', city: 'Berlin', countryCode: 'DE' },
      timeZone: 'Europe/Berlin',
    },
  });
  for (const name of ['Front door', 'Flat door']) {
    await registerLock({ ports, principal, input: { propertyId: property.id, name, connectivity: 'wifi' } });
  }
  const pastStays = 20;
  for (let stay = 0; stay < pastStays; stay += 1) {
    const arrival = new Date(Date.UTC(2026, 0, 2 + stay * 5));
    const departure = new Date(arrival.getTime() + 3 * 86_400_000);
    await createBooking({
      ports,
      principal,
      input: {
        propertyId: property.id,
        guest: { name: `Past guest ${stay}` },
        arrivalDate: arrival.toISOString().slice(0, 10),
        departureDate: departure.toISOString().slice(0, 10),
      },
    });
  }

  const stayInput = {
    propertyId: property.id,
    source: 'webhook',
    sourceReservationId: `HM-${randomUUID().slice(0, 8)}`,
    guest: { name: 'Grace Hopper', email: 'grace@example.com', phone: '+49 30 1234567' },
    arrivalDate: '2026-12-20',
    departureDate: '2026-12-27',
  };
  recorded.length = 0;
  committed.length = 0;
  await createBooking({ ports, principal, input: stayInput });
  const commitIndex = recorded.findIndex((entry) => entry.command === 'TransactWriteItemsCommand');
  const plan = planCommit({ changes: committed[0] as ChangeSet, tableName });
  const written =
    plan.kind === 'transaction' ? plan.items.flatMap((planned) => planned.operation.Put?.Item ?? []) : [];
  const createBookingFigures = {
    reads: use(recorded.slice(0, commitIndex)),
    commit: use(recorded.slice(commitIndex)),
    transactionItems: plan.kind === 'transaction' ? plan.items.length : 0,
    estimatedCommit: estimatedWriteUnits(written as TableItem[]),
    largestItemBytes: Math.max(...written.map((item) => itemSize(item))),
  };

  recorded.length = 0;
  const live = await storage.grants.listLiveByProperty({
    tenantId,
    propertyId: property.id,
    at: '2026-12-01T09:00:00.000Z',
  });
  const liveGrants = { ...use(recorded), returned: live.length, pastStays };

  recorded.length = 0;
  await client.send(
    new GetCommand({
      TableName: tableName,
      Key: propertyKeys.item({ tenantId, propertyId: property.id }),
      ConsistentRead: true,
    }),
  );
  const getItem = use(recorded);
  recorded.length = 0;
  await client.send(
    new TransactWriteCommand({
      TransactItems: [{ Put: { TableName: tableName, Item: { pk: `T#${tenantId}#FLOOR`, sk: 'FLOOR' } } }],
    }),
  );
  const oneItemTransaction = use(recorded);
  client.destroy();

  const reported = [createBookingFigures.commit, liveGrants, getItem].every(
    (figure) => figure.readUnits + figure.writeUnits > 0,
  );
  return {
    reported,
    createBooking: createBookingFigures,
    liveGrants,
    floors: { getItem, oneItemTransaction },
  };
}

function describeUse(figure: CapacityUse): string {
  const places = Object.entries(figure.byPlace)
    .filter(([, units]) => units > 0)
    .map(([place, units]) => `${place} ${units}`)
    .join(', ');
  return `${figure.readUnits} RCU + ${figure.writeUnits} WCU in ${figure.requests} requests (${places})`;
}

export function formatCapacityReport(report: DynamoCapacityReport): string {
  const { createBooking: booking, liveGrants, floors } = report;
  return [
    report.reported
      ? 'Consumed capacity as DynamoDB reported it (ReturnConsumedCapacity INDEXES):'
      : 'This DynamoDB reported no consumed capacity: see the estimate from item sizes.',
    `floor: one consistent GetItem                      ${describeUse(floors.getItem)}`,
    `floor: one transaction of one small put            ${describeUse(floors.oneItemTransaction)}`,
    `create a booking, 2 locks: the domain's reads       ${describeUse(booking.reads)}`,
    `create a booking, 2 locks: the commit               ${describeUse(booking.commit)}`,
    `  by item sizes (${booking.transactionItems} items, largest ${booking.largestItemBytes} bytes): ${booking.estimatedCommit.writeUnits} WCU (${Object.entries(
      booking.estimatedCommit.byPlace,
    )
      .map(([place, units]) => `${place} ${units}`)
      .join(', ')})`,
    '  (DynamoDB Local does not price transactions as DynamoDB does: for the commit, go by the item sizes)',
    `live grants of the property (${liveGrants.returned} live, ${liveGrants.pastStays} past stays) ${describeUse(liveGrants)}`,
  ].join('\n');
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('Could not find a free port');
  return address.port;
}

if (import.meta.main) {
  const { ensureTable, startDynamoDbLocal } = await import('#infra/local/services/dynamodb.ts');
  const dataDir = await mkdtemp(join(tmpdir(), 'lockstay-bench-dynamo-'));
  const database = await startDynamoDbLocal({
    port: await freePort(),
    dataDir,
    inMemory: true,
    logFile: join(dataDir, 'dynamodb.log'),
  });
  try {
    const tableName = 'lockstay';
    await ensureTable({ endpoint: database.endpoint, tableName });
    const report = await measureDynamoCapacity({ endpoint: database.endpoint, region: 'local', tableName });
    console.log(formatCapacityReport(report));
  } finally {
    await database.process.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
