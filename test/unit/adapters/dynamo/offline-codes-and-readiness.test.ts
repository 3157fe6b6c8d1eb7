import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { OfflineCode } from '#shared/access/offline-code-issuance.ts';
import type { ReadinessCheckRecord } from '#shared/access/readiness.ts';
import { createOfflineCodeStore } from '#shared/adapters/dynamo/offline-codes.ts';
import { createReadinessCheckStore } from '#shared/adapters/dynamo/readiness-checks.ts';
import { createDynamoTable } from '#shared/adapters/dynamo/table.ts';
import type { AuditEvent } from '#shared/domain/audit.ts';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1' }));
const dynamo = mockClient(documents);
const table = createDynamoTable({ client: documents, tableName: 'lockstay' });

beforeEach(() => {
  dynamo.reset();
});

const offlineCode: OfflineCode = {
  tenantId: 'tnt_a',
  id: 'ofc_gnt_1_lck_shed',
  grantId: 'gnt_1',
  lockId: 'lck_shed',
  propertyId: 'prp_loft',
  code: '594267',
  purpose: 'bluetooth-lock',
  keyVersion: 1,
  startHour: 498663,
  durationClass: 6,
  validFrom: '2026-11-20T15:00:00.000Z',
  validUntil: '2026-11-23T15:00:00.000Z',
  firstUseBefore: '2026-11-21T15:00:00.000Z',
  grantWindow: { startsAt: '2026-11-20T15:20:00.000Z', endsAt: '2026-11-23T11:00:00.000Z' },
  version: 1,
  createdAt: '2026-11-01T09:00:00.000Z',
  updatedAt: '2026-11-01T09:00:00.000Z',
};

const auditEvent: AuditEvent = {
  tenantId: 'tnt_a',
  id: 'evt_1',
  at: '2026-11-01T09:00:00.000Z',
  actor: { kind: 'system', process: 'offline-codes' },
  action: 'offline-code.issued',
  target: { kind: 'grant', id: 'gnt_1' },
  propertyId: 'prp_loft',
  lockId: 'lck_shed',
  details: { keyVersion: 1 },
};

const cancelled = () =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
  });

describe('offline codes in the table', () => {
  const store = createOfflineCodeStore({ table });

  it('a new code is put beside its grant only if absent, with its audit event, in one transaction', async () => {
    dynamo.on(TransactWriteCommand).resolves({});

    expect(await store.save({ code: offlineCode, auditEvents: [auditEvent] })).toBe(true);

    const items = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items).toHaveLength(2);
    expect(items[0]?.Put).toMatchObject({
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: {
        pk: 'T#tnt_a#GRANT#gnt_1',
        sk: 'OFFLINE_CODE#lck_shed',
        gsi1pk: 'T#tnt_a#LOCK#lck_shed#OFFLINE_CODES',
        gsi1sk: '2026-11-23T15:00:00.000Z#ofc_gnt_1_lck_shed',
        itemType: 'offlineCode',
      },
    });
    expect(items[1]?.Put?.Item).toMatchObject({ pk: 'T#tnt_a#AUDIT', action: 'offline-code.issued' });
  });

  it('a replacement is written only over the version before', async () => {
    dynamo.on(TransactWriteCommand).resolves({});

    await store.save({ code: { ...offlineCode, version: 3 }, auditEvents: [] });

    const put = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Put;
    expect(put?.ConditionExpression).toBe('#version = :previous');
    expect(put?.ExpressionAttributeValues).toEqual({ ':previous': 2 });
  });

  it('a write that lost the race answers false; any other failure is thrown', async () => {
    dynamo.on(TransactWriteCommand).rejectsOnce(cancelled()).rejectsOnce(new Error('throttled'));

    expect(await store.save({ code: offlineCode, auditEvents: [auditEvent] })).toBe(false);
    await expect(store.save({ code: offlineCode, auditEvents: [auditEvent] })).rejects.toThrow('throttled');
  });

  it("reads a grant's codes consistently from its partition, and a lock's still valid from the index", async () => {
    dynamo.on(QueryCommand).resolves({
      Items: [
        { ...offlineCode, pk: 'T#tnt_a#GRANT#gnt_1', sk: 'OFFLINE_CODE#lck_shed', itemType: 'offlineCode' },
      ],
    });

    expect(await store.listByGrant({ tenantId: 'tnt_a', grantId: 'gnt_1' })).toEqual([offlineCode]);
    await store.listByLock({ tenantId: 'tnt_a', lockId: 'lck_shed', after: '2026-11-22T00:00:00.000Z' });

    const [byGrant, byLock] = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(byGrant).toMatchObject({
      ConsistentRead: true,
      ExpressionAttributeValues: { ':pk': 'T#tnt_a#GRANT#gnt_1', ':sk': 'OFFLINE_CODE#' },
    });
    expect(byLock).toMatchObject({
      IndexName: 'gsi1',
      ExpressionAttributeValues: {
        ':pk': 'T#tnt_a#LOCK#lck_shed#OFFLINE_CODES',
        ':sk': '2026-11-22T00:00:00.000Z$',
      },
    });
  });
});

describe('the readiness record in the table', () => {
  const store = createReadinessCheckStore({ table });
  const record: ReadinessCheckRecord = {
    tenantId: 'tnt_a',
    grantId: 'gnt_1',
    windowStartsAt: '2026-11-20T15:20:00.000Z',
    alertedLockIds: ['lck_front'],
    checkedAt: '2026-11-20T09:20:00.000Z',
    version: 1,
  };

  it('is read by key beside its grant', async () => {
    dynamo.on(GetCommand).resolves({
      Item: { ...record, pk: 'T#tnt_a#GRANT#gnt_1', sk: 'READINESS', itemType: 'readinessCheck' },
    });

    expect(await store.get({ tenantId: 'tnt_a', grantId: 'gnt_1' })).toEqual(record);
    expect(dynamo.commandCalls(GetCommand)[0]?.args[0].input.Key).toEqual({
      pk: 'T#tnt_a#GRANT#gnt_1',
      sk: 'READINESS',
    });
  });

  it('is written once per version with the alert events; a second check that lost the race answers false', async () => {
    dynamo.on(TransactWriteCommand).resolvesOnce({}).rejectsOnce(cancelled());

    expect(await store.save({ record, auditEvents: [auditEvent] })).toBe(true);
    expect(await store.save({ record, auditEvents: [auditEvent] })).toBe(false);

    const put = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Put;
    expect(put).toMatchObject({
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: { pk: 'T#tnt_a#GRANT#gnt_1', sk: 'READINESS', alertedLockIds: ['lck_front'] },
    });
  });
});
