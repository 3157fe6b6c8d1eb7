/**
 * The ChangeCommitter on DynamoDB: one ChangeSet becomes one TransactWriteItems, so it is written whole or not
 * at all, with the rules of ports/change-set.ts as condition expressions:
 * - a created entity must not exist yet (`attribute_not_exists(pk)`), an updated one must be at the version
 *   before (`version = :previous`);
 * - a created access code claims (lock, PIN), a booking from a channel claims (source, reservation id), a new
 *   team member claims (lower-cased email), each a put only if absent; a code that reaches `removed` deletes
 *   its own PIN claim; a grant held by a team member gets its holder link;
 * - audit events are put only if absent: never overwritten.
 * Each transaction item carries the conflict its failed condition means, so a cancellation maps back, by the
 * index of its reasons, to the domain's answer. A cancellation for contention (another transaction on the
 * same items at that moment) is tried again; anything else is rethrown.
 * Records kept beside the entities (a grant's offline codes, its readiness check) are saved under the same
 * version rules with their audit events by `commitVersionedRecord`.
 */
import { holdsPin } from '#shared/domain/access-code.ts';
import type { AuditEvent } from '#shared/domain/audit.ts';
import type {
  ChangeCommitter,
  ChangeSet,
  CommitConflict,
  EntityWrite,
} from '#shared/domain/ports/change-set.ts';
import { keyOf } from '#shared/domain/ports/change-set.ts';
import { accessCodeItem, accessCodeKeys, pinClaimItem } from './access-codes.ts';
import { auditEventItem } from './audit-log.ts';
import { bookingItem, reservationClaimItem } from './bookings.ts';
import { grantItem, holderLinkItem } from './grants.ts';
import type { TableItem } from './keys.ts';
import { lockItem } from './locks.ts';
import { propertyItem } from './properties.ts';
import { backOff, type DynamoTable, type TransactItem } from './table.ts';
import { emailClaimItem, teamMemberItem } from './team.ts';
import { unlockCommandItem } from './unlock-commands.ts';

/** DynamoDB's limit on the items of one transaction. */
export const maxTransactionItems = 100;
const maxContentionAttempts = 5;

/** One item of the transaction, and what it means when its condition fails (undefined: it never should). */
export interface PlannedItem {
  readonly operation: TransactItem;
  readonly onConditionFailed: CommitConflict | undefined;
  /** Which item this is, for errors. */
  readonly describe: string;
}

export type CommitPlan =
  | { readonly kind: 'transaction'; readonly items: readonly PlannedItem[] }
  | { readonly kind: 'conflict'; readonly conflict: CommitConflict };

const absent = 'attribute_not_exists(pk)';

function itemOf(write: EntityWrite): TableItem {
  switch (write.entity) {
    case 'property':
      return propertyItem(write.value);
    case 'lock':
      return lockItem(write.value);
    case 'booking':
      return bookingItem(write.value);
    case 'grant':
      return grantItem(write.value);
    case 'accessCode':
      return accessCodeItem(write.value);
    case 'unlockCommand':
      return unlockCommandItem(write.value);
    case 'teamMember':
      return teamMemberItem(write.value);
  }
}

/** The transaction items of one write: the entity itself, then the claims and links that go with it. */
function plannedFor(write: EntityWrite, tableName: string): PlannedItem[] {
  const { id } = keyOf(write);
  const describe = `${write.entity} ${id}`;
  const planned: PlannedItem[] = [
    write.op === 'create'
      ? {
          operation: { Put: { TableName: tableName, Item: itemOf(write), ConditionExpression: absent } },
          onConditionFailed: { kind: 'already-exists', entity: write.entity, id },
          describe,
        }
      : {
          operation: {
            Put: {
              TableName: tableName,
              Item: itemOf(write),
              ConditionExpression: '#version = :previous',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':previous': write.value.version - 1 },
            },
          },
          onConditionFailed: { kind: 'stale', entity: write.entity, id },
          describe,
        },
  ];
  const claim = (item: TableItem, onConditionFailed: CommitConflict, what: string): PlannedItem => ({
    operation: { Put: { TableName: tableName, Item: item, ConditionExpression: absent } },
    onConditionFailed,
    describe: `${what} of ${describe}`,
  });

  if (write.entity === 'accessCode') {
    const code = write.value;
    if (write.op === 'create' && holdsPin(code)) {
      planned.push(
        claim(pinClaimItem(code), { kind: 'pin-taken', lockId: code.lockId, accessCodeId: id }, 'PIN claim'),
      );
    } else if (write.op === 'update' && !holdsPin(code)) {
      // Only the code's own claim is released: once released, the PIN may already belong to another code.
      planned.push({
        operation: {
          Delete: {
            TableName: tableName,
            Key: accessCodeKeys.pinClaim(code),
            ConditionExpression: 'attribute_not_exists(pk) OR accessCodeId = :code',
            ExpressionAttributeValues: { ':code': id },
          },
        },
        onConditionFailed: { kind: 'stale', entity: 'accessCode', id },
        describe: `PIN release of ${describe}`,
      });
    }
  }
  if (write.entity === 'booking' && write.op === 'create') {
    const reservation = reservationClaimItem(write.value);
    const { source, sourceReservationId } = write.value;
    if (reservation && sourceReservationId !== undefined) {
      planned.push(
        claim(
          reservation,
          { kind: 'booking-reference-taken', source, sourceReservationId },
          'reservation claim',
        ),
      );
    }
  }
  if (write.entity === 'teamMember' && write.op === 'create') {
    planned.push(
      claim(emailClaimItem(write.value), { kind: 'already-exists', entity: 'teamMember', id }, 'email'),
    );
  }
  if (write.entity === 'grant' && write.op === 'create') {
    const link = holderLinkItem(write.value);
    if (link) {
      planned.push({
        operation: { Put: { TableName: tableName, Item: link } },
        onConditionFailed: undefined,
        describe: `holder link of ${describe}`,
      });
    }
  }
  return planned;
}

function keyOfOperation(operation: TransactItem): string {
  const key =
    operation.Put?.Item ?? operation.Delete?.Key ?? operation.Update?.Key ?? operation.ConditionCheck?.Key;
  return `${String(key?.pk)}\u0000${String(key?.sk)}`;
}

/**
 * The transaction for `changes`, or the conflict it is bound to meet: DynamoDB refuses two operations on one
 * item in a transaction, so two codes claiming one PIN on one lock (or a claim released and taken again) in
 * the same change set are answered here, as the store would have answered them.
 */
export function planCommit({
  changes,
  tableName,
  alongside = [],
}: {
  changes: ChangeSet;
  tableName: string;
  /** Items of the caller's own written in the same transaction (see createChangeCommitter). */
  alongside?: readonly PlannedItem[];
}): CommitPlan {
  const commitId = changes.auditEvents[0]?.id ?? '';
  const items: PlannedItem[] = [
    ...changes.writes.flatMap((write) => plannedFor(write, tableName)),
    ...changes.auditEvents.map(
      (event, position): PlannedItem => ({
        operation: {
          Put: {
            TableName: tableName,
            Item: auditEventItem({ event, commitId, position }),
            ConditionExpression: absent,
          },
        },
        onConditionFailed: undefined,
        describe: `audit event ${event.id}`,
      }),
    ),
    ...alongside,
  ];
  const seen = new Set<string>();
  for (const item of items) {
    const key = keyOfOperation(item.operation);
    if (seen.has(key)) {
      if (item.onConditionFailed?.kind === 'pin-taken')
        return { kind: 'conflict', conflict: item.onConditionFailed };
      throw new Error(`A change set may write each item once; ${item.describe} is written twice`);
    }
    seen.add(key);
  }
  if (items.length > maxTransactionItems) {
    throw new Error(
      `A change set of ${items.length} items is more than one DynamoDB transaction holds (${maxTransactionItems})`,
    );
  }
  return { kind: 'transaction', items };
}

/**
 * `alongside` adds items of the caller's own to every transaction, planned from the change set (an
 * integration's record of the reservation a booking change applies, written only if the booking change is):
 * a failed condition on one of them answers the conflict it names, like any other item's.
 */
export function createChangeCommitter({
  table,
  alongside,
}: {
  table: DynamoTable;
  alongside?: ((changes: ChangeSet) => readonly PlannedItem[]) | undefined;
}): ChangeCommitter {
  return {
    async commit(changes) {
      const plan = planCommit({ changes, tableName: table.tableName, alongside: alongside?.(changes) });
      if (plan.kind === 'conflict') return { ok: false, conflict: plan.conflict };
      if (plan.items.length === 0) return { ok: true };
      const operations = plan.items.map((item) => item.operation);
      for (let attempt = 1; ; attempt += 1) {
        const outcome = await table.transactWrite(operations);
        if (outcome.ok) return { ok: true };
        const failed = outcome.reasons.indexOf('ConditionalCheckFailed');
        if (failed >= 0) {
          const planned = plan.items[failed];
          if (planned?.onConditionFailed) return { ok: false, conflict: planned.onConditionFailed };
          throw new Error(`The commit was refused on ${planned?.describe ?? `item ${failed}`}`, {
            cause: outcome.error,
          });
        }
        const contended = outcome.reasons.includes('TransactionConflict');
        if (!contended || attempt >= maxContentionAttempts) throw outcome.error;
        await backOff(attempt);
      }
    },
  };
}

/**
 * Saves a versioned record with its audit events in one transaction: version 1 is created only if absent, a
 * later version replaces only the one before. False when that condition fails (another writer got there
 * first); any other cancellation is rethrown.
 */
export async function commitVersionedRecord({
  table,
  item,
  version,
  auditEvents,
}: {
  table: DynamoTable;
  item: TableItem;
  version: number;
  auditEvents: readonly AuditEvent[];
}): Promise<boolean> {
  const { tableName } = table;
  const commitId = auditEvents[0]?.id ?? '';
  const write: TransactItem =
    version === 1
      ? { Put: { TableName: tableName, Item: item, ConditionExpression: absent } }
      : {
          Put: {
            TableName: tableName,
            Item: item,
            ConditionExpression: '#version = :previous',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':previous': version - 1 },
          },
        };
  const outcome = await table.transactWrite([
    write,
    ...auditEvents.map(
      (event, position): TransactItem => ({
        Put: {
          TableName: tableName,
          Item: auditEventItem({ event, commitId, position }),
          ConditionExpression: absent,
        },
      }),
    ),
  ]);
  if (outcome.ok) return true;
  if (outcome.reasons[0] === 'ConditionalCheckFailed') return false;
  throw outcome.error;
}
