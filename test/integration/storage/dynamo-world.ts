/**
 * The domain's ports with storage on the local cloud's DynamoDB Local, beside the same world in memory, for
 * tests that run domain operations on both and compare. Each test takes its own tenant, so tests never see
 * each other's data in the shared table.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Endpoints } from '#infra/local/endpoints.ts';
import { createDynamoStorage, type DynamoStorage } from '#shared/adapters/dynamo/index.ts';
import type { DomainPorts } from '#shared/domain/ports/domain-ports.ts';
import type { Page, PageRequest } from '#shared/domain/ports/repositories.ts';
import {
  FakeClock,
  FakeDevices,
  FakeIdentities,
  RecordingNotifier,
  ScriptedRandom,
  SequentialIds,
  testWorld,
} from '../../unit/domain/fakes.ts';

/** A document client as handlers build it, less the marshalling options: the adapter must not need them. */
export function localDocumentClient(endpoints: Endpoints): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: endpoints.services.dynamodb,
      region: endpoints.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
}

export function newTenantId(): string {
  return `tnt-${randomUUID()}`;
}

export interface World {
  readonly ports: DomainPorts;
  readonly clock: FakeClock;
  readonly random: ScriptedRandom;
  readonly devices: FakeDevices;
}

export function dynamoWorld({
  storage,
  now = '2026-10-01T09:00:00.000Z',
  randomScript = [],
}: {
  storage: DynamoStorage;
  now?: string;
  randomScript?: number[];
}): World & { readonly storage: DynamoStorage } {
  const clock = new FakeClock(now);
  const random = new ScriptedRandom(randomScript);
  const devices = new FakeDevices();
  const ports: DomainPorts = {
    ...storage,
    clock,
    ids: new SequentialIds(),
    random,
    devices,
    notifier: new RecordingNotifier(),
    identities: new FakeIdentities(),
  };
  return { ports, clock, random, devices, storage };
}

export function memoryWorld({
  now = '2026-10-01T09:00:00.000Z',
  randomScript = [],
}: {
  now?: string;
  randomScript?: number[];
} = {}): World {
  return testWorld({ now, randomScript });
}

export { createDynamoStorage };

/** Every item of a paginated list, read `limit` at a time by following the cursors. */
export async function readAllPages<T>(
  read: (page: PageRequest) => Promise<Page<T>>,
  limit = 2,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await read({ cursor, limit });
    pages += 1;
    items.push(...page.items);
    cursor = page.nextCursor;
    if (pages > 1_000) throw new Error('The cursors never end');
  } while (cursor !== undefined);
  return { items, pages };
}

/** Plain data as it would travel as JSON: undefined fields gone, so stored and in-memory values compare. */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function byId<T extends { id: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export interface SentCommand {
  readonly command: string;
  readonly input: Record<string, unknown>;
  readonly output: Record<string, unknown> | undefined;
}

/**
 * A document client of its own that records every command it sends with its input and output, to tell what a
 * repository read or wrote (and how many items a query looked at).
 */
export function recordingDocumentClient(endpoints: Endpoints): {
  client: DynamoDBDocumentClient;
  sent: SentCommand[];
} {
  const client = localDocumentClient(endpoints);
  const sent: SentCommand[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      sent.push({
        command: context.commandName ?? 'unknown',
        input: args.input as Record<string, unknown>,
        output: result.output as Record<string, unknown> | undefined,
      });
      return result;
    },
    { step: 'initialize', name: 'recordSentCommands' },
  );
  return { client, sent };
}
