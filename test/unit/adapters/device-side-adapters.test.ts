import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  GetThingShadowCommand,
  IoTDataPlaneClient,
  ResourceNotFoundException,
  UpdateThingShadowCommand,
} from '@aws-sdk/client-iot-data-plane';
import {
  DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createDynamoLockConditionStore,
  createDynamoThingDirectory,
} from '#shared/adapters/dynamo/lock-condition.ts';
import { createIotShadowGateway } from '#shared/adapters/iot-shadow-gateway.ts';

const iot = mockClient(IoTDataPlaneClient);
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1' }));
const dynamo = mockClient(documents);
const tableName = 'lockstay';

beforeEach(() => {
  iot.reset();
  dynamo.reset();
});

describe('the IoT shadow gateway', () => {
  const gateway = createIotShadowGateway({ client: new IoTDataPlaneClient({ region: 'eu-central-1' }) });

  it('writes a named shadow with UpdateThingShadow, the document as JSON', async () => {
    iot.on(UpdateThingShadowCommand).resolves({});

    await gateway.updateShadow({
      thingName: 'lockstay-lck_1',
      shadowName: 'access-codes',
      document: { state: {} },
    });

    const [call] = iot.commandCalls(UpdateThingShadowCommand);
    expect(call?.args[0].input.thingName).toBe('lockstay-lck_1');
    expect(call?.args[0].input.shadowName).toBe('access-codes');
    expect(new TextDecoder().decode(call?.args[0].input.payload as Uint8Array)).toBe('{"state":{}}');
  });

  it('reads a shadow, and answers undefined for one that does not exist', async () => {
    // The SDK's blob adapter is a Uint8Array with helpers the gateway does not use.
    iot
      .on(GetThingShadowCommand, { shadowName: 'access-codes' })
      .resolves({ payload: new TextEncoder().encode('{"state":{"desired":{}},"version":3}') as never })
      .on(GetThingShadowCommand, { shadowName: 'commands' })
      .rejects(new ResourceNotFoundException({ message: 'No shadow', $metadata: {} }));

    expect(await gateway.getShadow({ thingName: 'lockstay-lck_1', shadowName: 'access-codes' })).toEqual({
      state: { desired: {} },
      version: 3,
    });
    expect(await gateway.getShadow({ thingName: 'lockstay-lck_1', shadowName: 'commands' })).toBeUndefined();
  });
});

describe('the lock condition store and thing directory on DynamoDB', () => {
  const store = createDynamoLockConditionStore({ documents, tableName, now: () => new Date(0) });

  it('finds the lock of a thing through gsi2, without a tenant', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [{ tenantId: 'tnt_a', id: 'lck_1' }] });

    const found = await createDynamoThingDirectory({ documents, tableName }).findLock({
      thingName: 'lockstay-lck_1',
    });

    expect(found).toEqual({ tenantId: 'tnt_a', lockId: 'lck_1' });
    expect(dynamo.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      IndexName: 'gsi2',
      ExpressionAttributeValues: { ':thing': 'THING#lockstay-lck_1' },
    });
  });

  it('records a connection only if newer than the stored one, and says when it was older', async () => {
    dynamo
      .on(UpdateCommand)
      .resolvesOnce({})
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'older', $metadata: {} }));

    const since = '2026-10-24T13:00:00.000Z';
    expect(await store.recordConnection({ tenantId: 'tnt_a', lockId: 'lck_1', online: true, since })).toBe(
      true,
    );
    expect(await store.recordConnection({ tenantId: 'tnt_a', lockId: 'lck_1', online: false, since })).toBe(
      false,
    );
    expect(dynamo.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
      Key: { pk: 'T#tnt_a#LOCK#lck_1', sk: 'CONDITION' },
      ConditionExpression: 'attribute_not_exists(#at) OR #at < :at',
    });
  });

  it('records an event id once, with its audit entries in the same transaction', async () => {
    dynamo
      .on(TransactWriteCommand)
      .resolvesOnce({})
      .rejectsOnce(
        new TransactionCanceledException({
          message: 'cancelled',
          $metadata: {},
          CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
        }),
      );
    const auditEvent = {
      tenantId: 'tnt_a',
      id: 'evt_1',
      at: '2026-10-24T13:00:00.000Z',
      actor: { kind: 'device', lockId: 'lck_1' } as const,
      action: 'lock.tamper',
      target: { kind: 'lock', id: 'lck_1' } as const,
      lockId: 'lck_1',
      details: {},
    };
    const event = { tenantId: 'tnt_a', lockId: 'lck_1', eventId: 'Vx2abcdef', auditEvents: [auditEvent] };

    expect(await store.recordEventOnce(event)).toBe(true);
    expect(await store.recordEventOnce(event)).toBe(false);
    const items = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Put?.Item).toMatchObject({ pk: 'T#tnt_a#LOCK#lck_1', sk: 'EVENT#Vx2abcdef' });
    expect(items[1]?.Put?.Item).toMatchObject({ pk: 'T#tnt_a#AUDIT', action: 'lock.tamper' });
  });
});
