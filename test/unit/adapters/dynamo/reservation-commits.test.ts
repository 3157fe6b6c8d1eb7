/**
 * A delivery's booking change on DynamoDB: the same transaction carries the reservation's record (created, or
 * replacing exactly the version before) and, for a new booking with a channel code, the code's claim (absent,
 * or held by the booking it takes over from); either condition failing answers `stale` and writes nothing.
 */
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createReservationCommits } from '#shared/adapters/dynamo/integrations.ts';
import { createDynamoTable } from '#shared/adapters/dynamo/table.ts';
import type { ChangeSet } from '#shared/domain/ports/change-set.ts';
import type { StoredReservation } from '#shared/integrations/integration.ts';
import { auditEvent, booking, grant } from './samples.ts';

const documents = mockClient(DynamoDBDocumentClient);
const tableName = 'lockstay';
const reservations = createReservationCommits({
  table: createDynamoTable({ client: DynamoDBDocumentClient.from(new DynamoDBClient({})), tableName }),
});

const record: StoredReservation = {
  tenantId: booking.tenantId,
  source: 'hostaway',
  reservationId: '48464658',
  applied: { occurredAt: '2026-09-14T18:02:15.000Z', fingerprint: 'f1', status: 'confirmed' },
  booking: 'confirmed',
  version: 1,
};

const created: ChangeSet = {
  writes: [
    { entity: 'booking', op: 'create', value: booking },
    { entity: 'grant', op: 'create', value: grant },
  ],
  auditEvents: [auditEvent()],
};

/** The TransactItems of the last transaction sent. */
function sentItems() {
  const calls = documents.commandCalls(TransactWriteCommand);
  return calls[calls.length - 1]?.args[0].input.TransactItems ?? [];
}

describe('a delivery’s booking change', () => {
  beforeEach(() => documents.reset());

  it('creates the booking with its reservation record (naming it) and its channel code’s claim, last', async () => {
    documents.on(TransactWriteCommand).resolves({});

    const outcome = await reservations
      .committerFor({ record, channelCode: { channel: 'airbnb', code: 'HMQ4X2ZB8N' } })
      .commit(created);

    expect(outcome).toEqual({ ok: true });
    const items = sentItems();
    expect(items).toHaveLength(created.writes.length + 1 + created.auditEvents.length + 2);
    expect(items.at(-2)).toEqual({
      Put: {
        TableName: tableName,
        Item: expect.objectContaining({
          pk: `T#${booking.tenantId}#RESERVATION#hostaway#48464658`,
          sk: 'APPLIED_EVENT',
          bookingId: booking.id,
          version: 1,
        }),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
    expect(items.at(-1)).toEqual({
      Put: {
        TableName: tableName,
        Item: expect.objectContaining({
          pk: `T#${booking.tenantId}#CHANNEL_CODE#airbnb#HMQ4X2ZB8N`,
          sk: 'BOOKING',
          bookingId: booking.id,
          expiresAt: expect.any(Number),
        }),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  });

  it('takes a code over only from the booking it names as stale, and replaces only the record’s version before', async () => {
    documents.on(TransactWriteCommand).resolves({});

    await reservations
      .committerFor({
        record: { ...record, version: 3 },
        channelCode: { channel: 'airbnb', code: 'HMQ4X2ZB8N', replacing: 'bkg_cancelled' },
      })
      .commit(created);

    const [recordPut, claimPut] = sentItems().slice(-2);
    expect(recordPut?.Put).toMatchObject({
      ConditionExpression: 'version = :previous',
      ExpressionAttributeValues: { ':previous': 2 },
    });
    expect(claimPut?.Put).toMatchObject({
      ConditionExpression: 'attribute_not_exists(pk) OR bookingId = :replacing',
      ExpressionAttributeValues: { ':replacing': 'bkg_cancelled' },
    });
  });

  it('claims no code for a change that creates no booking', async () => {
    documents.on(TransactWriteCommand).resolves({});
    const modified: ChangeSet = {
      writes: [{ entity: 'booking', op: 'update', value: { ...booking, version: 2 } }],
      auditEvents: [auditEvent()],
    };

    await reservations
      .committerFor({
        record: { ...record, bookingId: booking.id, version: 2 },
        channelCode: { channel: 'airbnb', code: 'HMQ4X2ZB8N' },
      })
      .commit(modified);

    const items = sentItems();
    expect(items).toHaveLength(3);
    expect(items.at(-1)?.Put?.Item).toMatchObject({ sk: 'APPLIED_EVENT', bookingId: booking.id });
  });

  // Booking, its reservation claim, grant, audit event; then the record and the code's claim.
  for (const [what, failing] of [
    ['the record', 4],
    ['the code’s claim', 5],
  ] as const) {
    it(`answers stale when ${what} was written by another delivery meanwhile`, async () => {
      documents.on(TransactWriteCommand).rejects(
        new TransactionCanceledException({
          message: 'Transaction cancelled',
          $metadata: {},
          CancellationReasons: Array.from({ length: 6 }, (_, index) => ({
            Code: index === failing ? 'ConditionalCheckFailed' : 'None',
          })),
        }),
      );

      const outcome = await reservations
        .committerFor({ record, channelCode: { channel: 'airbnb', code: 'HMQ4X2ZB8N' } })
        .commit(created);

      expect(outcome).toEqual({ ok: false, conflict: { kind: 'stale', entity: 'booking', id: booking.id } });
    });
  }
});
