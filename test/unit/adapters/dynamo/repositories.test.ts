import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { accessCodeItem } from '#shared/adapters/dynamo/access-codes.ts';
import { bookingItem } from '#shared/adapters/dynamo/bookings.ts';
import { cursorKeyOf, encodeCursor } from '#shared/adapters/dynamo/cursor.ts';
import { grantItem, holderLinkItem } from '#shared/adapters/dynamo/grants.ts';
import { createDynamoStorage } from '#shared/adapters/dynamo/index.ts';
import { propertyItem } from '#shared/adapters/dynamo/properties.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { accessCode, booking, grant, property, tenantId, turnover } from './samples.ts';

const documents = mockClient(DynamoDBDocumentClient);
const tableName = 'lockstay';
const storage = createDynamoStorage({
  client: DynamoDBDocumentClient.from(new DynamoDBClient({})),
  tableName,
});

const properties = ['Attic', 'Bunker', 'Cabin', 'Dacha'].map((name, index) =>
  propertyItem({ ...property, id: `prp_${index}`, name }),
);

describe('reading one thing', () => {
  beforeEach(() => documents.reset());

  it('gets it by its key within the tenant, consistently, and answers the entity without its keys', async () => {
    documents.on(GetCommand).resolves({ Item: propertyItem(property) });

    const found = await storage.properties.get({ tenantId, propertyId: 'prp_loft' });

    expect(found).toEqual(property);
    expect(documents).toReceiveCommandWith(GetCommand, {
      TableName: tableName,
      Key: { pk: 'T#tnt-a#PROPERTY#prp_loft', sk: 'PROPERTY' },
      ConsistentRead: true,
    });
  });

  it('answers absent when there is no such item', async () => {
    documents.on(GetCommand).resolves({});

    await expect(storage.locks.get({ tenantId, lockId: 'lck_none' })).resolves.toBeUndefined();
    await expect(storage.unlockCommands.get({ tenantId, commandId: 'cmd_none' })).resolves.toBeUndefined();
  });

  it('finds a booking through the claim of its reservation', async () => {
    documents
      .on(GetCommand, { Key: { pk: 'T#tnt-a#RESERVATION#webhook#HM-123', sk: 'RESERVATION' } })
      .resolves({ Item: { pk: 'x', sk: 'RESERVATION', itemType: 'reservation-claim', bookingId: 'bkg_1' } })
      .on(GetCommand, { Key: { pk: 'T#tnt-a#BOOKING#bkg_1', sk: 'BOOKING' } })
      .resolves({ Item: bookingItem(booking) });

    const found = await storage.bookings.findBySourceReservation({
      tenantId,
      source: 'webhook',
      sourceReservationId: 'HM-123',
    });

    expect(found?.id).toBe('bkg_1');
  });
});

describe('reading a list', () => {
  beforeEach(() => documents.reset());

  it('queries its index partition one item beyond the page, and hands out a cursor only when more follow', async () => {
    documents.on(QueryCommand).resolves({ Items: properties.slice(0, 3), LastEvaluatedKey: { any: 'key' } });

    const page = await storage.properties.list({ tenantId, page: { limit: 2 } });

    expect(page.items.map((found) => found.name)).toEqual(['Attic', 'Bunker']);
    expect(page.nextCursor).toBe(encodeCursor(cursorKeyOf(properties[1] as (typeof properties)[1], 'gsi1')));
    expect(documents).toReceiveCommandWith(QueryCommand, {
      TableName: tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': 'gsi1pk' },
      ExpressionAttributeValues: { ':pk': 'T#tnt-a#PROPERTIES' },
      ScanIndexForward: true,
      Limit: 3,
    });
  });

  it('ends without a cursor when the page holds the last items', async () => {
    documents.on(QueryCommand).resolves({ Items: properties.slice(2, 4) });

    const page = await storage.properties.list({ tenantId, page: { limit: 2 } });

    expect(page).toEqual({
      items: [expect.objectContaining({ name: 'Cabin' }), expect.objectContaining({ name: 'Dacha' })],
    });
  });

  it('resumes after the key its cursor carries', async () => {
    documents.on(QueryCommand).resolves({ Items: [] });
    const key = cursorKeyOf(properties[1] as (typeof properties)[1], 'gsi1');

    await storage.properties.list({ tenantId, page: { cursor: encodeCursor(key), limit: 2 } });

    expect(documents).toReceiveCommandWith(QueryCommand, { ExclusiveStartKey: key });
  });

  it('refuses a bent cursor before reading anything', async () => {
    await expect(storage.properties.list({ tenantId, page: { cursor: 'e30', limit: 2 } })).rejects.toThrow(
      InvalidInputError,
    );
    expect(documents).toHaveReceivedCommandTimes(QueryCommand, 0);
  });

  it('keeps reading while a filter drops items, until the page is full', async () => {
    const departed = bookingItem({
      ...booking,
      id: 'bkg_0',
      arrivalDate: '2026-09-01',
      departureDate: '2026-09-05',
    });
    const staying = bookingItem(booking);
    documents
      .on(QueryCommand)
      .resolvesOnce({ Items: [departed], LastEvaluatedKey: cursorKeyOf(departed, 'gsi1') })
      .resolvesOnce({ Items: [staying] });

    const page = await storage.bookings.listByProperty({
      tenantId,
      propertyId: 'prp_loft',
      fromDate: '2026-10-01',
      page: { limit: 5 },
    });

    expect(page).toEqual({ items: [expect.objectContaining({ id: 'bkg_1' })] });
    expect(documents).toHaveReceivedCommandTimes(QueryCommand, 2);
    expect(documents).toReceiveCommandWith(QueryCommand, {
      KeyConditionExpression: '#pk = :pk AND #sk >= :sk',
      ExpressionAttributeValues: { ':pk': 'T#tnt-a#PROPERTY#prp_loft#BOOKINGS', ':sk': '2025-10-01' },
    });
  });

  it('of live grants starts after the instant, so grants already over are never read', async () => {
    documents.on(QueryCommand).resolves({ Items: [grantItem(grant)] });

    const live = await storage.grants.listLiveByProperty({
      tenantId,
      propertyId: 'prp_loft',
      at: '2026-10-22T08:00:00.000Z',
    });

    expect(live).toEqual([grant]);
    expect(documents).toReceiveCommandWith(QueryCommand, {
      IndexName: 'gsi1',
      KeyConditionExpression: '#pk = :pk AND #sk > :sk',
      ExpressionAttributeNames: { '#pk': 'gsi1pk', '#sk': 'gsi1sk' },
      ExpressionAttributeValues: {
        ':pk': 'T#tnt-a#PROPERTY#prp_loft#LIVE_GRANTS',
        ':sk': '2026-10-22T08:00:00.000Z$',
      },
    });
  });

  it('of arrivals between two dates reads only those days of the schedule, the last one included', async () => {
    documents.on(QueryCommand).resolves({ Items: [bookingItem(booking)] });

    const arriving = await storage.bookings.listArrivingBetween({
      tenantId,
      propertyId: 'prp_loft',
      fromDate: '2026-10-24',
      toDate: '2026-10-26',
    });

    expect(arriving).toEqual([booking]);
    expect(documents).toReceiveCommandWith(QueryCommand, {
      IndexName: 'gsi1',
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :sk AND :skTo',
      ExpressionAttributeValues: {
        ':pk': 'T#tnt-a#PROPERTY#prp_loft#BOOKINGS',
        ':sk': '2026-10-24',
        ':skTo': '2026-10-26$',
      },
    });
  });

  it('of live grants ending between two instants reads only that stretch of their ends', async () => {
    documents.on(QueryCommand).resolves({ Items: [grantItem(grant)] });

    const ending = await storage.grants.listLiveEndingBetween({
      tenantId,
      propertyId: 'prp_loft',
      from: '2026-10-26T23:00:00.000Z',
      to: '2026-10-29T23:00:00.000Z',
    });

    expect(ending).toEqual([grant]);
    expect(documents).toReceiveCommandWith(QueryCommand, {
      IndexName: 'gsi1',
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :sk AND :skTo',
      ExpressionAttributeValues: {
        ':pk': 'T#tnt-a#PROPERTY#prp_loft#LIVE_GRANTS',
        ':sk': '2026-10-26T23:00:00.000Z',
        ':skTo': '2026-10-29T23:00:00.000Z$',
      },
    });
  });

  it('of a grant’s codes reads the grant’s partition consistently', async () => {
    documents.on(QueryCommand).resolves({ Items: [accessCodeItem(accessCode)] });

    await expect(storage.accessCodes.listByGrant({ tenantId, grantId: 'gnt_1' })).resolves.toEqual([
      accessCode,
    ]);
    expect(documents).toReceiveCommandWith(QueryCommand, {
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :sk)',
      ExpressionAttributeValues: { ':pk': 'T#tnt-a#GRANT#gnt_1', ':sk': 'CODE#' },
      ConsistentRead: true,
    });
  });

  it('of a member’s grants follows the holder links newest first and reads the grants by key', async () => {
    const link = holderLinkItem(turnover) as NonNullable<ReturnType<typeof holderLinkItem>>;
    documents.on(QueryCommand).resolves({ Items: [link] });
    documents.on(BatchGetCommand).resolves({ Responses: { [tableName]: [grantItem(turnover)] } });

    const page = await storage.grants.listByHolder({ tenantId, userId: 'usr_clara', page: { limit: 10 } });

    expect(page).toEqual({ items: [turnover] });
    expect(documents).toReceiveCommandWith(QueryCommand, {
      ExpressionAttributeValues: { ':pk': 'T#tnt-a#USER#usr_clara', ':sk': 'GRANT#' },
      ScanIndexForward: false,
    });
    expect(documents).toReceiveCommandWith(BatchGetCommand, {
      RequestItems: {
        [tableName]: { Keys: [{ pk: 'T#tnt-a#GRANT#gnt_clean', sk: 'GRANT' }], ConsistentRead: true },
      },
    });
  });

  it('reads again the keys a batch read left unprocessed', async () => {
    const link = holderLinkItem(turnover) as NonNullable<ReturnType<typeof holderLinkItem>>;
    documents.on(QueryCommand).resolves({ Items: [link] });
    documents
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { [tableName]: [] },
        UnprocessedKeys: { [tableName]: { Keys: [{ pk: 'T#tnt-a#GRANT#gnt_clean', sk: 'GRANT' }] } },
      })
      .resolves({ Responses: { [tableName]: [grantItem(turnover)] } });

    const page = await storage.grants.listByHolder({ tenantId, userId: 'usr_clara', page: { limit: 10 } });

    expect(page.items).toEqual([turnover]);
    expect(documents).toHaveReceivedCommandTimes(BatchGetCommand, 2);
  });

  it('of the audit log reads the scope’s partition newest first', async () => {
    documents.on(QueryCommand).resolves({ Items: [] });

    await storage.auditLog.list({
      tenantId,
      scope: { kind: 'lock', lockId: 'lck_front' },
      page: { limit: 10 },
    });
    await storage.auditLog.list({ tenantId, scope: { kind: 'tenant' }, page: { limit: 10 } });

    expect(documents).toReceiveCommandWith(QueryCommand, {
      IndexName: 'gsi2',
      ExpressionAttributeValues: { ':pk': 'T#tnt-a#LOCK#lck_front#AUDIT' },
      ScanIndexForward: false,
    });
    expect(documents).toReceiveCommandWith(QueryCommand, {
      ExpressionAttributeValues: { ':pk': 'T#tnt-a#AUDIT' },
      ScanIndexForward: false,
      ConsistentRead: true,
    });
  });
});
