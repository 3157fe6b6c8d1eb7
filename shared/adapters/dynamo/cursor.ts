/**
 * Opaque cursors for paginated lists: the base64url JSON of the key of the last item handed out, which is
 * where DynamoDB resumes (ExclusiveStartKey). A cursor comes back from a client, so it is checked before use:
 * it must name exactly the key attributes of the query it is used with, lie in that query's partition and
 * range, and belong to the caller's tenant. Anything else is a 400, never a read elsewhere.
 */
import { InvalidInputError } from '#shared/domain/errors.ts';
import { type IndexName, indexKeyAttributes, type TableItem, tenantPrefix } from './keys.ts';

/**
 * Where in a partition a query reads: every item, a prefix, from a value on, strictly after one, between two
 * values (both included), or strictly before one.
 */
export type SortCondition =
  | { readonly beginsWith: string }
  | { readonly from: string }
  | { readonly after: string }
  | { readonly between: readonly [string, string] }
  | { readonly before: string };

/** The part of a query a cursor must fit. */
export interface CursorScope {
  readonly tenantId: string;
  readonly index?: IndexName | undefined;
  readonly partition: string;
  readonly sort?: SortCondition | undefined;
}

export type CursorKey = Readonly<Record<string, string>>;

// DynamoDB's own limits on key values (partition 2048 bytes, sort 1024); a cursor with longer ones is forged.
const maxKeyValueLength = 2048;
const maxCursorLength = 4 * 4096;

function attributesOf(index: IndexName | undefined): string[] {
  if (index === undefined) return ['pk', 'sk'];
  const { partition, sort } = indexKeyAttributes[index];
  return [partition, sort, 'pk', 'sk'];
}

/** The key DynamoDB resumes after, taken from the last item handed out. */
export function cursorKeyOf(item: TableItem, index: IndexName | undefined): CursorKey {
  return Object.fromEntries(attributesOf(index).map((name) => [name, String(item[name])]));
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function invalidCursor(): InvalidInputError {
  return new InvalidInputError('The cursor is not one this list gave out', [
    { field: 'cursor', message: 'Not a cursor of this list: start again without one' },
  ]);
}

export function satisfiesSort(value: string, sort: SortCondition | undefined): boolean {
  if (sort === undefined) return true;
  if ('beginsWith' in sort) return value.startsWith(sort.beginsWith);
  if ('from' in sort) return value >= sort.from;
  if ('between' in sort) return value >= sort.between[0] && value <= sort.between[1];
  if ('before' in sort) return value < sort.before;
  return value > sort.after;
}

/** The key to resume after; throws InvalidInputError for anything this query did not hand out. */
export function decodeCursor({ cursor, scope }: { cursor: string; scope: CursorScope }): CursorKey {
  if (cursor.length > maxCursorLength || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalidCursor();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (decoded === null || typeof decoded !== 'object' || Array.isArray(decoded)) throw invalidCursor();
  const expected = attributesOf(scope.index);
  const entries = Object.entries(decoded);
  const wellFormed =
    entries.length === expected.length &&
    entries.every(
      ([name, value]) =>
        expected.includes(name) &&
        typeof value === 'string' &&
        value.length > 0 &&
        value.length <= maxKeyValueLength,
    );
  if (!wellFormed) throw invalidCursor();
  const key = decoded as CursorKey;
  const [partitionAttribute = 'pk', sortAttribute = 'sk'] = expected;
  const inQuery =
    key[partitionAttribute] === scope.partition &&
    satisfiesSort(key[sortAttribute] ?? '', scope.sort) &&
    (key.pk ?? '').startsWith(tenantPrefix(scope.tenantId));
  if (!inQuery) throw invalidCursor();
  return key;
}
