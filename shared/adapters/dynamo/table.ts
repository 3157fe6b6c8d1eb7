/**
 * The one place that speaks lib-dynamodb: reads by key, queries by partition (paginated with checked cursors,
 * or read to the end for the short lists), batch reads, and transactions whose cancellation comes back as the
 * reason code of each item. The entity modules and the committer use only this, so the library stays inside
 * the adapter and the domain never sees it.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '#shared/domain/ports/repositories.ts';
import { type CursorKey, type CursorScope, cursorKeyOf, decodeCursor, encodeCursor } from './cursor.ts';
import { type ItemKey, indexKeyAttributes, type TableItem } from './keys.ts';

export interface QuerySpec extends CursorScope {
  /** Descending sort key order (newest first for keys that start with an instant). */
  readonly newestFirst?: boolean;
  /** Items of the range that are not wanted; they are read (and paid for) but not returned. */
  readonly where?: (item: TableItem) => boolean;
  /**
   * With `where`, how many items one page may read at most: past it, the page ends short (even empty) with a
   * cursor after the last item read, so a filter that matches little never reads a whole partition at once.
   */
  readonly maxItemsRead?: number;
}

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * Either written, or cancelled with DynamoDB's reason code for each item, in the order they were given, and
 * the cancellation itself to rethrow when the reasons are not the caller's to answer.
 */
export type TransactOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly reasons: readonly (string | undefined)[]; readonly error: Error };

export interface DynamoTable {
  readonly tableName: string;
  /** A strongly consistent read of one item. */
  get(key: ItemKey): Promise<TableItem | undefined>;
  /** Strongly consistent reads of many items, in the order of `keys`; missing ones are left out. */
  getMany(keys: readonly ItemKey[]): Promise<TableItem[]>;
  queryPage(spec: QuerySpec, page: PageRequest): Promise<Page<TableItem>>;
  /** Every item of the range: for lists that stay short (a property's locks, a grant's codes). */
  queryAll(spec: QuerySpec): Promise<TableItem[]>;
  queryFirst(spec: QuerySpec): Promise<TableItem | undefined>;
  transactWrite(items: readonly TransactItem[]): Promise<TransactOutcome>;
}

const batchGetLimit = 100;
const maxUnprocessedRounds = 8;
// Read ahead when a filter may drop items, so that a page rarely needs a second round trip.
const filteredReadAhead = 50;

export function createDynamoTable({
  client,
  tableName,
}: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): DynamoTable {
  function queryInput(spec: QuerySpec, limit: number | undefined, startKey: CursorKey | undefined) {
    const attributes = spec.index ? indexKeyAttributes[spec.index] : { partition: 'pk', sort: 'sk' };
    const names: Record<string, string> = { '#pk': attributes.partition };
    const values: Record<string, string> = { ':pk': spec.partition };
    let condition = '#pk = :pk';
    if (spec.sort) {
      names['#sk'] = attributes.sort;
      if ('beginsWith' in spec.sort) {
        condition += ' AND begins_with(#sk, :sk)';
        values[':sk'] = spec.sort.beginsWith;
      } else if ('from' in spec.sort) {
        condition += ' AND #sk >= :sk';
        values[':sk'] = spec.sort.from;
      } else if ('between' in spec.sort) {
        condition += ' AND #sk BETWEEN :sk AND :skTo';
        [values[':sk'], values[':skTo']] = spec.sort.between;
      } else if ('before' in spec.sort) {
        condition += ' AND #sk < :sk';
        values[':sk'] = spec.sort.before;
      } else {
        condition += ' AND #sk > :sk';
        values[':sk'] = spec.sort.after;
      }
    }
    const input: QueryCommandInput = {
      TableName: tableName,
      KeyConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: !spec.newestFirst,
    };
    // Indexes are eventually consistent by nature; the table itself is read consistently.
    if (spec.index) input.IndexName = spec.index;
    else input.ConsistentRead = true;
    if (limit !== undefined) input.Limit = limit;
    if (startKey !== undefined) input.ExclusiveStartKey = startKey;
    return input;
  }

  async function* pages(spec: QuerySpec, limit: number | undefined, startKey: CursorKey | undefined) {
    for await (const { items } of batches(spec, limit, startKey)) yield items;
  }

  /** Each round trip's items, and whether the range goes on after them. */
  async function* batches(spec: QuerySpec, limit: number | undefined, startKey: CursorKey | undefined) {
    let next = startKey;
    do {
      const output = await client.send(new QueryCommand(queryInput(spec, limit, next)));
      next = output.LastEvaluatedKey as CursorKey | undefined;
      yield { items: (output.Items ?? []) as TableItem[], more: next !== undefined };
    } while (next !== undefined);
  }

  const wanted = (spec: QuerySpec) => (item: TableItem) => spec.where === undefined || spec.where(item);

  return {
    tableName,

    async get(key) {
      const output = await client.send(
        new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
      );
      return output.Item as TableItem | undefined;
    },

    async getMany(keys) {
      const found = new Map<string, TableItem>();
      const id = (key: ItemKey) => `${key.pk}\u0000${key.sk}`;
      for (let start = 0; start < keys.length; start += batchGetLimit) {
        let pending: ItemKey[] = keys.slice(start, start + batchGetLimit);
        for (let round = 0; pending.length > 0; round += 1) {
          if (round >= maxUnprocessedRounds)
            throw new Error('DynamoDB left keys of a batch read unprocessed');
          if (round > 0) await backOff(round);
          const output = await client.send(
            new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
          );
          for (const item of (output.Responses?.[tableName] ?? []) as TableItem[]) found.set(id(item), item);
          pending = (output.UnprocessedKeys?.[tableName]?.Keys ?? []) as ItemKey[];
        }
      }
      return keys.flatMap((key) => found.get(id(key)) ?? []);
    },

    async queryPage(spec, page) {
      const limit = Math.max(1, page.limit);
      const startKey =
        page.cursor === undefined ? undefined : decodeCursor({ cursor: page.cursor, scope: spec });
      // One more than asked tells whether another page follows, so the last page carries no cursor.
      const readAhead = spec.where ? Math.max(limit + 1, filteredReadAhead) : limit + 1;
      const items: TableItem[] = [];
      let read = 0;
      for await (const batch of batches(spec, readAhead, startKey)) {
        items.push(...batch.items.filter(wanted(spec)));
        if (items.length > limit) {
          const shown = items.slice(0, limit);
          const last = shown[shown.length - 1] as TableItem;
          return { items: shown, nextCursor: encodeCursor(cursorKeyOf(last, spec.index)) };
        }
        read += batch.items.length;
        const lastRead = batch.items[batch.items.length - 1];
        if (
          spec.where &&
          spec.maxItemsRead !== undefined &&
          read >= spec.maxItemsRead &&
          batch.more &&
          lastRead
        ) {
          return { items, nextCursor: encodeCursor(cursorKeyOf(lastRead, spec.index)) };
        }
      }
      return { items };
    },

    async queryAll(spec) {
      const items: TableItem[] = [];
      for await (const batch of pages(spec, undefined, undefined)) items.push(...batch.filter(wanted(spec)));
      return items;
    },

    async queryFirst(spec) {
      for await (const batch of pages(spec, spec.where ? filteredReadAhead : 1, undefined)) {
        const first = batch.find(wanted(spec));
        if (first) return first;
      }
      return undefined;
    },

    async transactWrite(items) {
      try {
        await client.send(new TransactWriteCommand({ TransactItems: [...items] }));
        return { ok: true };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        return { ok: false, reasons: (error.CancellationReasons ?? []).map((reason) => reason.Code), error };
      }
    },
  };
}

/** Exponential back-off with full jitter: 2^round × 20 ms at most. */
export function backOff(round: number): Promise<void> {
  const ceiling = 20 * 2 ** Math.min(round, 6);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}
