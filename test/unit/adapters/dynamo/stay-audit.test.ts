/**
 * A stay's own audit events in the table: read by the stay's keys on gsi3 (its grant's, and a booking's own),
 * never from the property's log, merged into one story oldest first, and bounded for the rare grant used for
 * years.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { auditEventItem } from '#shared/adapters/dynamo/audit-log.ts';
import { createDynamoStorage } from '#shared/adapters/dynamo/index.ts';
import type { AuditEvent } from '#shared/domain/audit.ts';
import { booking, property, tenantId } from './samples.ts';

const documents = mockClient(DynamoDBDocumentClient);
const storage = createDynamoStorage({
  client: DynamoDBDocumentClient.from(new DynamoDBClient({})),
  tableName: 'lockstay',
});
const grantPartition = 'T#tnt-a#GRANT#gnt_1#AUDIT';
const bookingPartition = `T#tnt-a#BOOKING#${booking.id}#AUDIT`;

function event(minute: number, overrides: Partial<AuditEvent>): AuditEvent {
  return {
    tenantId,
    id: `aud_${minute}`,
    at: new Date(Date.UTC(2026, 10, 20, 12, minute)).toISOString(),
    actor: { kind: 'system', process: 'test' },
    action: 'lock.unlocked',
    target: { kind: 'lock', id: 'lck_front' },
    propertyId: property.id,
    details: { method: 'keypad', grantId: 'gnt_1' },
    ...overrides,
  };
}
/** The items of events recorded in this order (those of one minute as one commit), newest first. */
const newestFirst = (events: AuditEvent[]) =>
  events
    .map((value, position) => auditEventItem({ event: value, commitId: `com_${value.at}`, position }))
    .reverse();
const inPartition = (partition: string, events: AuditEvent[]) =>
  newestFirst(events).filter((each) => each.gsi3pk === partition);

describe('a stay’s audit events', () => {
  beforeEach(() => documents.reset());

  it('are its grant’s and its booking’s, merged oldest first, read newest first from gsi3 only', async () => {
    // Prepare
    const created = event(0, {
      action: 'booking.created',
      target: { kind: 'booking', id: booking.id },
      details: {},
    });
    const issued = event(0, {
      id: 'aud_0b',
      action: 'grant.issued',
      target: { kind: 'grant', id: 'gnt_1' },
      details: {},
    });
    const opened = event(5, {});
    const cancelled = event(9, {
      action: 'booking.cancelled',
      target: { kind: 'booking', id: booking.id },
      details: {},
    });
    const story = [created, issued, opened, cancelled];
    documents
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': grantPartition } })
      .resolves({ Items: inPartition(grantPartition, story) })
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': bookingPartition } })
      .resolves({ Items: inPartition(bookingPartition, story) });

    // Act
    const timeline = await storage.auditLog.listOfStay({
      tenantId,
      stay: { grantId: 'gnt_1', bookingId: booking.id },
      limit: 100,
    });

    // Assess
    expect(timeline.events.map((each) => each.action)).toEqual([
      'booking.created',
      'grant.issued',
      'lock.unlocked',
      'booking.cancelled',
    ]);
    expect(timeline.complete).toBe(true);
    const queries = documents.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(queries).toHaveLength(2);
    for (const query of queries) {
      expect(query).toMatchObject({ IndexName: 'gsi3', ScanIndexForward: false });
      expect(query.ExpressionAttributeNames).toEqual({ '#pk': 'gsi3pk' });
    }
  });

  it('of an ad-hoc grant are its grant’s alone', async () => {
    documents.on(QueryCommand).resolves({ Items: [] });

    await storage.auditLog.listOfStay({ tenantId, stay: { grantId: 'gnt_1' }, limit: 100 });

    expect(documents).toHaveReceivedCommandTimes(QueryCommand, 1);
    expect(documents).toReceiveCommandWith(QueryCommand, {
      ExpressionAttributeValues: { ':pk': grantPartition },
    });
  });

  it('beyond the limit keep the newest and say the story is not complete', async () => {
    const openings = Array.from({ length: 6 }, (_, minute) => event(minute, {}));
    documents.on(QueryCommand).resolves({ Items: newestFirst(openings) });

    const story = await storage.auditLog.listOfStay({ tenantId, stay: { grantId: 'gnt_1' }, limit: 4 });

    expect(story.events.map((each) => each.id)).toEqual(['aud_2', 'aud_3', 'aud_4', 'aud_5']);
    expect(story.complete).toBe(false);
  });
});
