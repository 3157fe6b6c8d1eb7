/**
 * Narrowed lists in the table: the audit log by time range (a key range), person and method (read and
 * filtered, a bounded number per page), and a property's schedule by arrival date and guest name.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { auditEventItem, auditReadBudget } from '#shared/adapters/dynamo/audit-log.ts';
import { bookingItem } from '#shared/adapters/dynamo/bookings.ts';
import { decodeCursor } from '#shared/adapters/dynamo/cursor.ts';
import { createDynamoStorage } from '#shared/adapters/dynamo/index.ts';
import type { AuditEvent } from '#shared/domain/audit.ts';
import { booking, property, tenantId } from './samples.ts';

const documents = mockClient(DynamoDBDocumentClient);
const storage = createDynamoStorage({
  client: DynamoDBDocumentClient.from(new DynamoDBClient({})),
  tableName: 'lockstay',
});

function event(index: number, overrides: Partial<AuditEvent> = {}): AuditEvent {
  const at = new Date(Date.UTC(2026, 10, 20, 12, 0, 0) - index * 60_000).toISOString();
  return {
    tenantId,
    id: `aud_${index}`,
    at,
    actor: { kind: 'device', lockId: 'lck_front' },
    action: 'lock.locked',
    target: { kind: 'lock', id: 'lck_front' },
    propertyId: property.id,
    lockId: 'lck_front',
    details: { reason: 'auto-relock' },
    ...overrides,
  };
}
const item = (value: AuditEvent) => auditEventItem({ event: value, commitId: value.id, position: 0 });
const keypad = (index: number) =>
  event(index, { action: 'lock.unlocked', details: { method: 'keypad', codeId: 'acc_1', grantId: 'gnt_1' } });

describe('the audit log narrowed', () => {
  beforeEach(() => documents.reset());

  it('by a time range reads only that range of the sort key, `to` excluded', async () => {
    documents.on(QueryCommand).resolves({ Items: [] });

    await storage.auditLog.list({
      tenantId,
      scope: { kind: 'property', propertyId: property.id },
      filter: { from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z' },
      page: { limit: 10 },
    });
    await storage.auditLog.list({
      tenantId,
      scope: { kind: 'tenant' },
      filter: { to: '2026-11-02T00:00:00.000Z' },
      page: { limit: 10 },
    });

    expect(documents).toReceiveCommandWith(QueryCommand, {
      IndexName: 'gsi1',
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :sk AND :skTo',
      ExpressionAttributeValues: {
        ':pk': 'T#tnt-a#PROPERTY#prp_loft#AUDIT',
        ':sk': '2026-11-01T00:00:00.000Z',
        ':skTo': '2026-11-02T00:00:00.000Z',
      },
      ScanIndexForward: false,
    });
    expect(documents).toReceiveCommandWith(QueryCommand, {
      KeyConditionExpression: '#pk = :pk AND #sk < :sk',
      ExpressionAttributeValues: { ':pk': 'T#tnt-a#AUDIT', ':sk': '2026-11-02T00:00:00.000Z' },
    });
  });

  it('by method hands out only matching events, and resumes after the last one handed out', async () => {
    const stored = [keypad(0), event(1), keypad(2), event(3), keypad(4), keypad(5)];
    documents.on(QueryCommand).resolves({ Items: stored.map(item) });

    const page = await storage.auditLog.list({
      tenantId,
      scope: { kind: 'tenant' },
      filter: { method: 'keypad' },
      page: { limit: 2 },
    });

    expect(page.items.map((found) => found.id)).toEqual(['aud_0', 'aud_2']);
    const resumeAt = decodeCursor({
      cursor: page.nextCursor ?? '',
      scope: { tenantId, partition: 'T#tnt-a#AUDIT' },
    });
    expect(resumeAt.sk).toBe(item(keypad(2)).sk);
  });

  it('by person matches what they changed and the remote unlocks they asked for', async () => {
    const theirs = event(0, {
      actor: { kind: 'user', userId: 'usr_ana', role: 'manager' },
      action: 'booking.created',
    });
    const remote = event(1, {
      action: 'lock.unlocked',
      details: { method: 'remote', requestedBy: { kind: 'user', userId: 'usr_ana', role: 'manager' } },
    });
    const someoneElse = event(2, { actor: { kind: 'user', userId: 'usr_bo', role: 'owner' } });
    documents.on(QueryCommand).resolves({ Items: [theirs, remote, someoneElse].map(item) });

    const page = await storage.auditLog.list({
      tenantId,
      scope: { kind: 'tenant' },
      filter: { userId: 'usr_ana' },
      page: { limit: 10 },
    });

    expect(page.items.map((found) => found.id)).toEqual(['aud_0', 'aud_1']);
    expect(page.nextCursor).toBeUndefined();
  });

  it('stops reading at its budget with a short page and a cursor after the last event read', async () => {
    const batch = Array.from({ length: 100 }, (_, index) => item(event(index)));
    documents.on(QueryCommand).resolves({ Items: batch, LastEvaluatedKey: { pk: 'more', sk: 'more' } });

    const page = await storage.auditLog.list({
      tenantId,
      scope: { kind: 'tenant' },
      filter: { method: 'face' },
      page: { limit: 25 },
    });

    expect(page.items).toEqual([]);
    expect(page.nextCursor).toBeDefined();
    const reads = documents.commandCalls(QueryCommand).length;
    expect(reads).toBeGreaterThan(1);
    expect(reads).toBeLessThanOrEqual(Math.ceil(auditReadBudget / 50));
  });

  it('without a person, method or stay reads no more than the page (and one beyond)', async () => {
    documents.on(QueryCommand).resolves({ Items: [0, 1, 2].map((index) => item(event(index))) });

    const page = await storage.auditLog.list({ tenantId, scope: { kind: 'tenant' }, page: { limit: 2 } });

    expect(page.items).toHaveLength(2);
    expect(documents).toReceiveCommandWith(QueryCommand, { Limit: 3 });
  });
});

describe('a property’s schedule narrowed', () => {
  beforeEach(() => documents.reset());

  const stay = (id: string, name: string, arrivalDate: string, departureDate: string) =>
    bookingItem({ ...booking, id, guest: { ...booking.guest, name }, arrivalDate, departureDate });

  it('by guest finds names in any case and without accents, across the whole schedule', async () => {
    documents
      .on(QueryCommand)
      .resolvesOnce({
        Items: [stay('bkg_1', 'Ana Silva', '2026-12-01', '2026-12-03')],
        LastEvaluatedKey: { any: 'key' },
      })
      .resolves({ Items: [stay('bkg_2', 'José Álvarez', '2027-01-10', '2027-01-12')] });

    const page = await storage.bookings.listByProperty({
      tenantId,
      propertyId: property.id,
      guestName: 'jose alv',
      page: { limit: 10 },
    });

    expect(page.items.map((found) => found.id)).toEqual(['bkg_2']);
    expect(documents).toHaveReceivedCommandTimes(QueryCommand, 2);
  });

  it('by dates reads arrivals up to `to` as a key range', async () => {
    documents.on(QueryCommand).resolves({ Items: [] });

    await storage.bookings.listByProperty({
      tenantId,
      propertyId: property.id,
      fromDate: '2026-12-01',
      toDate: '2026-12-31',
      page: { limit: 10 },
    });

    expect(documents).toReceiveCommandWith(QueryCommand, {
      IndexName: 'gsi1',
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :sk AND :skTo',
      ExpressionAttributeValues: {
        ':pk': 'T#tnt-a#PROPERTY#prp_loft#BOOKINGS',
        ':sk': '2025-12-01',
        ':skTo': '2026-12-31$',
      },
    });
  });
});
