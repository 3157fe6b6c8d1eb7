import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCertificateCommand,
  DetachPolicyCommand,
  DetachThingPrincipalCommand,
  IoTClient,
  ListThingPrincipalsCommand,
  UpdateCertificateCommand,
} from '@aws-sdk/client-iot';
import { DeleteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAesGcmSealer, createDeviceKeyVault } from '#shared/adapters/device-key-vault.ts';
import {
  createAwsIotCertificateIssuer,
  createDeviceProvisioner,
} from '#shared/adapters/iot-device-provisioner.ts';
import { createLocalIotCertificateIssuer } from '#shared/adapters/local-iot-certificate-issuer.ts';

const iot = mockClient(IoTClient);
const dynamo = mockClient(DynamoDBDocumentClient);
const arn = (id: string) => `arn:aws:iot:eu-west-1:123456789012:cert/${id}`;

function provisioner() {
  return createDeviceProvisioner({
    certificates: createAwsIotCertificateIssuer({ client: new IoTClient({}), policyName: 'LockPolicy' }),
    keys: createDeviceKeyVault({
      documents: DynamoDBDocumentClient.from(new DynamoDBClient({})),
      tableName: 'lockstay',
      sealer: createAesGcmSealer({ key: new Uint8Array(32).fill(7) }),
    }),
    randomBytes: (size) => new Uint8Array(size).fill(9),
  });
}

describe('retiring what a rotation replaced, on AWS IoT', () => {
  beforeEach(() => {
    iot.reset();
    dynamo.reset();
    iot.on(ListThingPrincipalsCommand).resolves({ principals: [arn('old1'), arn('new2')] });
    dynamo.on(QueryCommand).resolves({
      Items: [{ pk: 'T#tnt_a#DEVICE_KEY#lck_1', sk: 'V#00001', keyVersion: 1 }],
    });
    dynamo.on(DeleteCommand).resolves({});
  });

  it('deactivates and deletes every certificate but the current one, and deletes the older key versions', async () => {
    // Act
    const retired = await provisioner().retire({
      tenantId: 'tnt_a',
      lockId: 'lck_1',
      thingName: 'lockstay-lck_1',
      keepCertificateId: 'new2',
      keepKeyVersion: 2,
    });

    // Assess
    expect(retired).toEqual({ retiredCertificateIds: ['old1'], retiredKeyVersions: [1] });
    expect(iot).toHaveReceivedCommandWith(DetachThingPrincipalCommand, { principal: arn('old1') });
    expect(iot).toHaveReceivedCommandWith(DetachPolicyCommand, {
      policyName: 'LockPolicy',
      target: arn('old1'),
    });
    expect(iot).toHaveReceivedCommandWith(UpdateCertificateCommand, {
      certificateId: 'old1',
      newStatus: 'INACTIVE',
    });
    expect(iot).toHaveReceivedCommandWith(DeleteCertificateCommand, { certificateId: 'old1' });
    expect(iot).not.toHaveReceivedCommandWith(UpdateCertificateCommand, { certificateId: 'new2' });
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      KeyConditionExpression: 'pk = :pk AND sk < :below',
      ExpressionAttributeValues: { ':pk': 'T#tnt_a#DEVICE_KEY#lck_1', ':below': 'V#00002' },
    });
    expect(dynamo).toHaveReceivedCommandWith(DeleteCommand, {
      Key: { pk: 'T#tnt_a#DEVICE_KEY#lck_1', sk: 'V#00001' },
    });
  });
});

describe('retiring a certificate on the local IoT Core', () => {
  it('lists the thing’s active certificates and revokes one by id', async () => {
    const calls: string[] = [];
    const issuer = createLocalIotCertificateIssuer({
      baseUrl: 'http://127.0.0.1:1/lockstay-local',
      fetch: async (url, init) => {
        calls.push(`${init?.method} ${String(url)}`);
        return new Response(JSON.stringify({ certificateIds: ['old1', 'new2'], revoked: true }), {
          status: 200,
        });
      },
    });

    const held = await issuer.certificatesOf({ thingName: 'lockstay-lck_1' });
    await issuer.revoke({ thingName: 'lockstay-lck_1', certificateId: 'old1' });

    expect(held).toEqual(['old1', 'new2']);
    expect(calls).toEqual([
      'GET http://127.0.0.1:1/lockstay-local/things/lockstay-lck_1/certificates',
      'DELETE http://127.0.0.1:1/lockstay-local/things/lockstay-lck_1/certificates/old1',
    ]);
  });
});
