/**
 * Where the cloud keeps each lock's device keys (the secret behind PIN hashes and command signatures). A key is
 * never stored in plaintext: it is sealed first, in AWS by KMS (`Encrypt` with the table's customer-managed key,
 * the 32 bytes fit one call) and on the local cloud with AES-256-GCM under a key the local cloud holds; the
 * encryption context names the tenant, lock and key version, so a sealed key copied to another item does not
 * open. Sealed keys live in the table beside the lock, one item per key version:
 *
 *   pk = `T#{tenantId}#DEVICE_KEY#{lockId}`   sk = `V#{keyVersion, 5 digits}`   (no index: read by lock id)
 *
 * so a rotation adds a version and the lock's earlier keys stay until the device work retires them.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { tenantKey } from './dynamo/keys.ts';

export interface DeviceKeyRef {
  readonly tenantId: string;
  readonly lockId: string;
  readonly keyVersion: number;
}

/** Seals and opens small secrets; `context` must be the same to open as it was to seal. */
export interface SecretSealer {
  seal(options: { plaintext: Uint8Array; context: Record<string, string> }): Promise<string>;
  open(options: { sealed: string; context: Record<string, string> }): Promise<Uint8Array>;
}

export function createKmsSealer({ client, keyId }: { client: KMSClient; keyId: string }): SecretSealer {
  return {
    async seal({ plaintext, context }) {
      const { CiphertextBlob } = await client.send(
        new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: context }),
      );
      if (!CiphertextBlob) throw new Error('KMS returned no ciphertext');
      return `kms:${Buffer.from(CiphertextBlob).toString('base64')}`;
    },
    async open({ sealed, context }) {
      const { Plaintext } = await client.send(
        new DecryptCommand({
          KeyId: keyId,
          CiphertextBlob: Buffer.from(sealed.replace(/^kms:/, ''), 'base64'),
          EncryptionContext: context,
        }),
      );
      if (!Plaintext) throw new Error('KMS returned no plaintext');
      return Plaintext;
    },
  };
}

/** AES-256-GCM with the context as associated data: the local cloud's stand-in for KMS. */
export function createAesGcmSealer({ key }: { key: Uint8Array }): SecretSealer {
  if (key.byteLength !== 32) throw new Error('The sealing key must be 32 bytes');
  const associated = (context: Record<string, string>) =>
    Buffer.from(JSON.stringify(Object.entries(context).sort(([a], [b]) => a.localeCompare(b))));
  return {
    async seal({ plaintext, context }) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(associated(context));
      const sealed = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return `aes-gcm:${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64')}`;
    },
    async open({ sealed, context }) {
      const bytes = Buffer.from(sealed.replace(/^aes-gcm:/, ''), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12))
        .setAAD(associated(context))
        .setAuthTag(bytes.subarray(12, 28));
      return new Uint8Array(Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]));
    },
  };
}

export interface DeviceKeyVault {
  /** Seals and stores a new key version; storing a version twice is refused by the table. */
  store(options: DeviceKeyRef & { deviceKey: Uint8Array }): Promise<void>;
  /** The key, or undefined when that version was never stored (or was retired). */
  load(options: DeviceKeyRef): Promise<Uint8Array | undefined>;
  /** Deletes every version of the lock's key below `belowVersion`; answers the versions deleted. */
  retire(options: { tenantId: string; lockId: string; belowVersion: number }): Promise<number[]>;
}

const contextOf = ({ tenantId, lockId, keyVersion }: DeviceKeyRef) => ({
  purpose: 'lockstay-device-key',
  tenantId,
  lockId,
  keyVersion: String(keyVersion),
});

export const deviceKeyItemKey = ({ tenantId, lockId, keyVersion }: DeviceKeyRef) => ({
  pk: tenantKey(tenantId, 'DEVICE_KEY', lockId),
  sk: `V#${String(keyVersion).padStart(5, '0')}`,
});

export function createDeviceKeyVault({
  documents,
  tableName,
  sealer,
}: {
  documents: DynamoDBDocumentClient;
  tableName: string;
  sealer: SecretSealer;
}): DeviceKeyVault {
  return {
    async store({ deviceKey, ...ref }) {
      const sealed = await sealer.seal({ plaintext: deviceKey, context: contextOf(ref) });
      await documents.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...deviceKeyItemKey(ref), itemType: 'deviceKey', ...ref, sealed },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },
    async load(ref) {
      const { Item } = await documents.send(
        new GetCommand({ TableName: tableName, Key: deviceKeyItemKey(ref), ConsistentRead: true }),
      );
      if (typeof Item?.sealed !== 'string') return undefined;
      return sealer.open({ sealed: Item.sealed, context: contextOf(ref) });
    },
    async retire({ tenantId, lockId, belowVersion }) {
      const { pk, sk } = deviceKeyItemKey({ tenantId, lockId, keyVersion: belowVersion });
      // A lock holds a handful of versions at most: one page answers them all.
      const { Items = [] } = await documents.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND sk < :below',
          ExpressionAttributeValues: { ':pk': pk, ':below': sk },
          ProjectionExpression: 'pk, sk, keyVersion',
          ConsistentRead: true,
        }),
      );
      await Promise.all(
        Items.map((item) =>
          documents.send(new DeleteCommand({ TableName: tableName, Key: { pk: item.pk, sk: item.sk } })),
        ),
      );
      return Items.map((item) => Number(item.keyVersion));
    },
  };
}
