import { DynamoDBClient, InternalServerError, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { maxTransactionItems } from '#shared/adapters/dynamo/commit.ts';
import { createDynamoStorage } from '#shared/adapters/dynamo/index.ts';
import { revise } from '#shared/domain/entity.ts';
import type { ChangeSet, EntityWrite } from '#shared/domain/ports/change-set.ts';
import { accessCode, auditEvent, booking, grant, property, teamMember, turnover } from './samples.ts';

const documents = mockClient(DynamoDBDocumentClient);
const tableName = 'lockstay';
const { changes } = createDynamoStorage({
  client: DynamoDBDocumentClient.from(new DynamoDBClient({})),
  tableName,
});
const later = '2026-10-02T09:00:00.000Z';

function cancelled(...codes: string[]) {
  return new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

/** The TransactItems of the last transaction sent. */
function sentItems() {
  const calls = documents.commandCalls(TransactWriteCommand);
  return calls[calls.length - 1]?.args[0].input.TransactItems ?? [];
}

const newBooking: ChangeSet = {
  writes: [
    { entity: 'booking', op: 'create', value: booking },
    { entity: 'grant', op: 'create', value: grant },
    { entity: 'accessCode', op: 'create', value: accessCode },
  ],
  auditEvents: [auditEvent(), auditEvent({ id: 'evt_2', action: 'grant.issued' })],
};

describe('committing a change set', () => {
  beforeEach(() => documents.reset());

  it('writes it as one transaction: each entity put only if new, with its claims, then the audit events', async () => {
    documents.on(TransactWriteCommand).resolves({});

    const outcome = await changes.commit(newBooking);

    expect(outcome).toEqual({ ok: true });
    expect(documents).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    expect(documents).toReceiveCommandWith(TransactWriteCommand, {
      TransactItems: [
        {
          Put: {
            TableName: tableName,
            Item: expect.objectContaining({ pk: 'T#tnt-a#BOOKING#bkg_1', itemType: 'booking' }),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: expect.objectContaining({ pk: 'T#tnt-a#RESERVATION#webhook#HM-123', bookingId: 'bkg_1' }),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: expect.objectContaining({
            Item: expect.objectContaining({ pk: 'T#tnt-a#GRANT#gnt_1', sk: 'GRANT' }),
          }),
        },
        { Put: expect.objectContaining({ Item: expect.objectContaining({ sk: 'CODE#acd_1' }) }) },
        {
          Put: {
            TableName: tableName,
            Item: expect.objectContaining({
              pk: 'T#tnt-a#LOCK#lck_front',
              sk: 'PIN#482916',
              accessCodeId: 'acd_1',
            }),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: expect.objectContaining({ pk: 'T#tnt-a#AUDIT', sk: '2026-10-01T09:00:00.000Z#evt_1#000' }),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: expect.objectContaining({
            Item: expect.objectContaining({
              sk: '2026-10-01T09:00:00.000Z#evt_1#001',
              action: 'grant.issued',
            }),
          }),
        },
      ],
    });
  });

  it('puts an update only over the version before it', async () => {
    documents.on(TransactWriteCommand).resolves({});

    await changes.commit({
      writes: [{ entity: 'property', op: 'update', value: revise(property, { name: 'Loft' }, later) }],
      auditEvents: [],
    });

    expect(documents).toReceiveCommandWith(TransactWriteCommand, {
      TransactItems: [
        {
          Put: {
            TableName: tableName,
            Item: expect.objectContaining({ name: 'Loft', version: 2 }),
            ConditionExpression: '#version = :previous',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':previous': 1 },
          },
        },
      ],
    });
  });

  it('releases the PIN claim of a code that reaches removed, and only if the claim is the code’s own', async () => {
    documents.on(TransactWriteCommand).resolves({});
    const removing = revise(accessCode, { status: 'removing' }, later);

    await changes.commit({
      writes: [{ entity: 'accessCode', op: 'update', value: removing }],
      auditEvents: [],
    });
    expect(sentItems()).toHaveLength(1);

    await changes.commit({
      writes: [{ entity: 'accessCode', op: 'update', value: revise(removing, { status: 'removed' }, later) }],
      auditEvents: [],
    });
    expect(sentItems()[1]).toEqual({
      Delete: {
        TableName: tableName,
        Key: { pk: 'T#tnt-a#LOCK#lck_front', sk: 'PIN#482916' },
        ConditionExpression: 'attribute_not_exists(pk) OR accessCodeId = :code',
        ExpressionAttributeValues: { ':code': 'acd_1' },
      },
    });
  });

  it('claims the lower-cased email of a new team member and links a held grant to its holder', async () => {
    documents.on(TransactWriteCommand).resolves({});

    await changes.commit({
      writes: [
        { entity: 'teamMember', op: 'create', value: teamMember },
        { entity: 'grant', op: 'create', value: turnover },
      ],
      auditEvents: [],
    });

    expect(
      sentItems().map((item) => [item.Put?.Item?.pk, item.Put?.Item?.sk, item.Put?.ConditionExpression]),
    ).toEqual([
      ['T#tnt-a#USER#usr_clara', 'MEMBER', 'attribute_not_exists(pk)'],
      ['T#tnt-a#EMAIL#clara@example.com', 'EMAIL', 'attribute_not_exists(pk)'],
      ['T#tnt-a#GRANT#gnt_clean', 'GRANT', 'attribute_not_exists(pk)'],
      ['T#tnt-a#USER#usr_clara', 'GRANT#2026-10-01T09:00:00.000Z#gnt_clean', undefined],
    ]);
  });

  it('sends nothing for an empty change set', async () => {
    await expect(changes.commit({ writes: [], auditEvents: [] })).resolves.toEqual({ ok: true });
    expect(documents).toHaveReceivedCommandTimes(TransactWriteCommand, 0);
  });
});

describe('a cancelled commit', () => {
  beforeEach(() => documents.reset());

  it('answers already-exists when the entity it creates is there', async () => {
    documents
      .on(TransactWriteCommand)
      .rejects(cancelled('ConditionalCheckFailed', 'None', 'None', 'None', 'None'));

    await expect(changes.commit(newBooking)).resolves.toEqual({
      ok: false,
      conflict: { kind: 'already-exists', entity: 'booking', id: 'bkg_1' },
    });
  });

  it('answers booking-reference-taken when the reservation is already a booking', async () => {
    documents
      .on(TransactWriteCommand)
      .rejects(cancelled('None', 'ConditionalCheckFailed', 'None', 'None', 'None'));

    await expect(changes.commit(newBooking)).resolves.toEqual({
      ok: false,
      conflict: { kind: 'booking-reference-taken', source: 'webhook', sourceReservationId: 'HM-123' },
    });
  });

  it('answers pin-taken, naming the lock and the code, when the PIN is live on the lock', async () => {
    documents
      .on(TransactWriteCommand)
      .rejects(cancelled('None', 'None', 'None', 'None', 'ConditionalCheckFailed', 'None', 'None'));

    await expect(changes.commit(newBooking)).resolves.toEqual({
      ok: false,
      conflict: { kind: 'pin-taken', lockId: 'lck_front', accessCodeId: 'acd_1' },
    });
  });

  it('answers with the first failed item when several fail', async () => {
    documents
      .on(TransactWriteCommand)
      .rejects(cancelled('None', 'ConditionalCheckFailed', 'None', 'None', 'ConditionalCheckFailed'));

    await expect(changes.commit(newBooking)).resolves.toMatchObject({
      conflict: { kind: 'booking-reference-taken' },
    });
  });

  it('answers stale when an update meets another version', async () => {
    documents.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed'));

    await expect(
      changes.commit({
        writes: [{ entity: 'grant', op: 'update', value: revise(grant, {}, later) }],
        auditEvents: [],
      }),
    ).resolves.toEqual({ ok: false, conflict: { kind: 'stale', entity: 'grant', id: 'gnt_1' } });
  });

  it('answers already-exists for a team member whose email is taken', async () => {
    documents.on(TransactWriteCommand).rejects(cancelled('None', 'ConditionalCheckFailed'));

    await expect(
      changes.commit({
        writes: [{ entity: 'teamMember', op: 'create', value: teamMember }],
        auditEvents: [],
      }),
    ).resolves.toEqual({
      ok: false,
      conflict: { kind: 'already-exists', entity: 'teamMember', id: 'usr_clara' },
    });
  });

  it('is tried again while another transaction holds the same items, then succeeds', async () => {
    documents
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'TransactionConflict'))
      .rejectsOnce(cancelled('TransactionConflict', 'None'))
      .resolves({});

    await expect(changes.commit(newBooking)).resolves.toEqual({ ok: true });
    expect(documents).toHaveReceivedCommandTimes(TransactWriteCommand, 3);
  });

  it('is rethrown when the contention does not end', async () => {
    const contention = cancelled('TransactionConflict');
    documents.on(TransactWriteCommand).rejects(contention);

    await expect(
      changes.commit({ writes: [{ entity: 'property', op: 'create', value: property }], auditEvents: [] }),
    ).rejects.toBe(contention);
    expect(documents).toHaveReceivedCommandTimes(TransactWriteCommand, 5);
  });

  it('is rethrown for any reason that is not a failed condition or contention', async () => {
    const throttled = cancelled('None', 'ThrottlingError');
    documents.on(TransactWriteCommand).rejects(throttled);

    await expect(changes.commit(newBooking)).rejects.toBe(throttled);
  });

  it('is an error, not a conflict, when an audit event would be overwritten', async () => {
    documents
      .on(TransactWriteCommand)
      .rejects(cancelled('None', 'None', 'None', 'None', 'None', 'ConditionalCheckFailed', 'None'));

    await expect(changes.commit(newBooking)).rejects.toThrow(/audit event evt_1/);
  });
});

describe('a commit that cannot be one transaction', () => {
  beforeEach(() => documents.reset());

  it('rethrows what DynamoDB answers other than a cancellation', async () => {
    const failure = new InternalServerError({ message: 'boom', $metadata: {} });
    documents.on(TransactWriteCommand).rejects(failure);

    await expect(changes.commit(newBooking)).rejects.toBe(failure);
  });

  it('answers pin-taken without sending when two of its codes claim one PIN on one lock', async () => {
    const sibling = { ...accessCode, id: 'acd_2', grantId: 'gnt_2' };

    const outcome = await changes.commit({
      writes: [
        { entity: 'accessCode', op: 'create', value: accessCode },
        { entity: 'accessCode', op: 'create', value: sibling },
      ],
      auditEvents: [],
    });

    expect(outcome).toEqual({
      ok: false,
      conflict: { kind: 'pin-taken', lockId: 'lck_front', accessCodeId: 'acd_2' },
    });
    expect(documents).toHaveReceivedCommandTimes(TransactWriteCommand, 0);
  });

  it('is refused when it needs more items than a transaction holds', async () => {
    const writes: EntityWrite[] = Array.from({ length: maxTransactionItems / 2 + 1 }, (_, index) => ({
      entity: 'accessCode',
      op: 'create',
      value: { ...accessCode, id: `acd_${index}`, lockId: `lck_${index}` },
    }));

    await expect(changes.commit({ writes, auditEvents: [] })).rejects.toThrow(/102 items .* \(100\)/);
    expect(documents).toHaveReceivedCommandTimes(TransactWriteCommand, 0);
  });
});
