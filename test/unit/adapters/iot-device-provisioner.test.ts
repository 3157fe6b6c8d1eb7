import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreateKeysAndCertificateCommand,
  CreateThingCommand,
  DeleteCertificateCommand,
  DeleteThingCommand,
  DescribeEndpointCommand,
  DetachThingPrincipalCommand,
  IoTClient,
  ListThingPrincipalsCommand,
  ResourceNotFoundException,
  UpdateCertificateCommand,
} from '@aws-sdk/client-iot';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAesGcmSealer, createDeviceKeyVault } from '#shared/adapters/device-key-vault.ts';
import {
  createAwsIotCertificateIssuer,
  createDeviceProvisioner,
} from '#shared/adapters/iot-device-provisioner.ts';

const iot = mockClient(IoTClient);
const dynamo = mockClient(DynamoDBDocumentClient);
const certificateArn = 'arn:aws:iot:eu-west-1:123456789012:cert/abc123';
const sealer = createAesGcmSealer({ key: new Uint8Array(32).fill(7) });

function provisioner() {
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  return createDeviceProvisioner({
    certificates: createAwsIotCertificateIssuer({ client: new IoTClient({}), policyName: 'LockPolicy' }),
    keys: createDeviceKeyVault({ documents, tableName: 'lockstay', sealer }),
    randomBytes: (size) => new Uint8Array(size).fill(9),
  });
}

describe('provisioning a lock on AWS IoT', () => {
  beforeEach(() => {
    iot.reset();
    dynamo.reset();
    iot.on(CreateKeysAndCertificateCommand).resolves({
      certificateArn,
      certificateId: 'abc123',
      certificatePem: '-----BEGIN CERTIFICATE-----',
      keyPair: { PrivateKey: '-----BEGIN RSA PRIVATE KEY-----', PublicKey: 'public' },
    });
    iot.on(DescribeEndpointCommand).resolves({ endpointAddress: 'xyz-ats.iot.eu-west-1.amazonaws.com' });
    dynamo.on(PutCommand).resolves({});
  });

  it('creates the thing, an active certificate with the lock policy attached to the thing, and a sealed device key', async () => {
    // Act
    const device = await provisioner().provision({
      tenantId: 'tnt_a',
      lockId: 'lck_1',
      thingName: 'lockstay-lck_1',
    });

    // Assess
    expect(iot).toHaveReceivedCommandWith(CreateThingCommand, {
      thingName: 'lockstay-lck_1',
      attributePayload: { attributes: { tenantId: 'tnt_a', lockId: 'lck_1' } },
    });
    expect(iot).toHaveReceivedCommandWith(CreateKeysAndCertificateCommand, { setAsActive: true });
    expect(iot).toHaveReceivedCommandWith(AttachPolicyCommand, {
      policyName: 'LockPolicy',
      target: certificateArn,
    });
    expect(iot).toHaveReceivedCommandWith(AttachThingPrincipalCommand, {
      thingName: 'lockstay-lck_1',
      principal: certificateArn,
    });
    expect(device).toMatchObject({ certificateId: 'abc123', keyVersion: 1 });
    expect(device.installerBundle).toMatchObject({
      endpoint: 'mqtts://xyz-ats.iot.eu-west-1.amazonaws.com:8883',
      privateKeyPem: '-----BEGIN RSA PRIVATE KEY-----',
      deviceKey: Buffer.alloc(32, 9).toString('base64'),
    });
    expect(device.installerBundle.caCertificatePem).toContain('BEGIN CERTIFICATE');
    const stored = dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item ?? {};
    expect(stored).toMatchObject({ pk: 'T#tnt_a#DEVICE_KEY#lck_1', sk: 'V#00001' });
    expect(JSON.stringify(stored)).not.toContain(Buffer.alloc(32, 9).toString('base64'));
  });

  it('stores device keys that open again only for the same lock and version', async () => {
    await provisioner().provision({ tenantId: 'tnt_a', lockId: 'lck_1', thingName: 'lockstay-lck_1' });
    const item = dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item;
    dynamo.on(GetCommand).resolves({ Item: item });
    const vault = createDeviceKeyVault({
      documents: DynamoDBDocumentClient.from(new DynamoDBClient({})),
      tableName: 'lockstay',
      sealer,
    });

    const opened = await vault.load({ tenantId: 'tnt_a', lockId: 'lck_1', keyVersion: 1 });

    expect(Buffer.from(opened ?? []).toString('base64')).toBe(Buffer.alloc(32, 9).toString('base64'));
    await expect(vault.load({ tenantId: 'tnt_a', lockId: 'lck_2', keyVersion: 1 })).rejects.toThrow();
  });

  it('takes back the thing and its certificates when a step fails, and passes the failure on', async () => {
    iot.on(AttachPolicyCommand).rejects(new Error('throttled'));
    iot.on(ListThingPrincipalsCommand).resolves({ principals: [certificateArn] });

    await expect(
      provisioner().provision({ tenantId: 'tnt_a', lockId: 'lck_1', thingName: 'lockstay-lck_1' }),
    ).rejects.toThrow('throttled');

    expect(iot).toHaveReceivedCommandWith(DetachThingPrincipalCommand, { principal: certificateArn });
    expect(iot).toHaveReceivedCommandWith(UpdateCertificateCommand, {
      certificateId: 'abc123',
      newStatus: 'INACTIVE',
    });
    expect(iot).toHaveReceivedCommandWith(DeleteCertificateCommand, { certificateId: 'abc123' });
    expect(iot).toHaveReceivedCommandWith(DeleteThingCommand, { thingName: 'lockstay-lck_1' });
  });

  it('rotates into a new certificate and the next key version, keeping the thing', async () => {
    const device = await provisioner().rotate({
      tenantId: 'tnt_a',
      lockId: 'lck_1',
      thingName: 'lockstay-lck_1',
      keyVersion: 2,
    });

    expect(device.keyVersion).toBe(2);
    expect(iot).not.toHaveReceivedCommand(CreateThingCommand);
    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item).toMatchObject({ sk: 'V#00002' });
  });

  it('releases a thing that is already gone without an error', async () => {
    iot
      .on(ListThingPrincipalsCommand)
      .rejects(new ResourceNotFoundException({ message: 'gone', $metadata: {} }));
    iot.on(DeleteThingCommand).rejects(new ResourceNotFoundException({ message: 'gone', $metadata: {} }));

    await expect(
      provisioner().release({ tenantId: 'tnt_a', lockId: 'lck_1', thingName: 'lockstay-lck_1' }),
    ).resolves.toBeUndefined();
  });
});
