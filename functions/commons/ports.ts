/**
 * The composition root of the host API: the domain's ports built once per cold start from the environment the
 * stack (or the local cloud) sets. Storage is built at once, since every host function reads the table; the
 * identity directory and the device provisioner read their configuration when first used, because only the
 * functions whose catalogue entry `needs` them get their variables (and IAM): the audit reader has no Cognito
 * pool, and a mistake that calls one anyway fails loudly with the missing variable's name.
 *
 * Device identities: in AWS, certificates from AWS IoT (CreateThing, CreateKeysAndCertificate, AttachPolicy,
 * AttachThingPrincipal) and device keys sealed with KMS; on the local cloud, which sets the two LOCKSTAY_LOCAL_*
 * variables instead, certificates from the local IoT Core's CA and device keys sealed with AES-GCM.
 */
import { randomBytes } from 'node:crypto';
import { IoTClient } from '@aws-sdk/client-iot';
import { KMSClient } from '@aws-sdk/client-kms';
import { createCognitoIdentityDirectory } from '#shared/adapters/cognito-identity-directory.ts';
import { cryptoRandomSource } from '#shared/adapters/crypto-random-source.ts';
import {
  createAesGcmSealer,
  createDeviceKeyVault,
  createKmsSealer,
  type SecretSealer,
} from '#shared/adapters/device-key-vault.ts';
import { createDynamoStorage } from '#shared/adapters/dynamo/index.ts';
import { createEmailHostNotifier } from '#shared/adapters/email-host-notifier.ts';
import {
  type CertificateIssuer,
  createAwsIotCertificateIssuer,
  createDeviceProvisioner,
} from '#shared/adapters/iot-device-provisioner.ts';
import { createLocalIotCertificateIssuer } from '#shared/adapters/local-iot-certificate-issuer.ts';
import { createLoggingHostNotifier } from '#shared/adapters/logging-host-notifier.ts';
import { randomIdGenerator } from '#shared/adapters/random-id-generator.ts';
import { createSesMailSender } from '#shared/adapters/ses-mail-sender.ts';
import { systemClock } from '#shared/adapters/system-clock.ts';
import { optionalEnv, requireEnv, resourceVariables } from '#shared/config.ts';
import type { DeviceProvisioner } from '#shared/domain/ports/device-provisioner.ts';
import type { DomainPorts } from '#shared/domain/ports/domain-ports.ts';
import type { HostNotifier } from '#shared/domain/ports/host-notifier.ts';
import type { IdentityDirectory } from '#shared/domain/ports/identity-directory.ts';
import { logger } from '#shared/observability.ts';
import { cognito, documents, dynamo, mail } from './clients.ts';
import type { HostServices } from './host-api.ts';
import { dynamoIdempotencyStores } from './idempotency.ts';

/** Builds the value on first use and keeps it for the life of the instance. */
function onFirstUse<T>(build: () => T): () => T {
  let value: { readonly built: T } | undefined;
  return () => {
    value ??= { built: build() };
    return value.built;
  };
}

const directory = onFirstUse(() =>
  createCognitoIdentityDirectory({
    client: cognito,
    userPoolId: requireEnv(resourceVariables.userPoolId),
    onSignOutFailure: (error) => logger.warn('Could not sign a disabled user out everywhere', { error }),
  }),
);

const identities: IdentityDirectory = {
  inviteUser: (options) => directory().inviteUser(options),
  setRole: (options) => directory().setRole(options),
  disableUser: (options) => directory().disableUser(options),
};

export function sealer(): SecretSealer {
  const localKey = optionalEnv(resourceVariables.localSealingKey);
  if (localKey !== undefined) return createAesGcmSealer({ key: Buffer.from(localKey, 'base64') });
  return createKmsSealer({
    client: new KMSClient({}),
    keyId: requireEnv(resourceVariables.deviceKeyKmsKeyId),
  });
}

function certificateIssuer(): CertificateIssuer {
  const localUrl = optionalEnv(resourceVariables.localIotProvisioningUrl);
  if (localUrl !== undefined) return createLocalIotCertificateIssuer({ baseUrl: localUrl });
  return createAwsIotCertificateIssuer({
    client: new IoTClient({}),
    policyName: requireEnv(resourceVariables.iotLockPolicyName),
  });
}

/**
 * Hosts are told by email from the functions whose catalogue entry needs `mail:send` (the ones whose work can
 * raise a notice: emergency grants, device events, scheduled code pushes); any other function only logs the
 * notice, which the domain has audited already.
 */
function hostNotifier(properties: DomainPorts['properties']): HostNotifier {
  const from = optionalEnv(resourceVariables.mailFrom);
  if (from === undefined) return createLoggingHostNotifier({ log: logger });
  return createEmailHostNotifier({
    mail: createSesMailSender({ client: mail, from }),
    properties,
    log: { warn: (message, details) => logger.warn(message, { ...details }) },
  });
}

function buildHostServices(): HostServices {
  const tableName = requireEnv(resourceVariables.table);
  const provisioner = onFirstUse(() =>
    createDeviceProvisioner({
      certificates: certificateIssuer(),
      keys: createDeviceKeyVault({ documents, tableName, sealer: sealer() }),
      randomBytes: (size) => new Uint8Array(randomBytes(size)),
    }),
  );
  const devices: DeviceProvisioner = {
    provision: (options) => provisioner().provision(options),
    rotate: (options) => provisioner().rotate(options),
    retire: (options) => provisioner().retire(options),
    release: (options) => provisioner().release(options),
  };
  const storage = createDynamoStorage({ client: documents, tableName });
  const ports: DomainPorts = {
    ...storage,
    clock: systemClock,
    ids: randomIdGenerator,
    random: cryptoRandomSource,
    devices,
    identities,
    notifier: hostNotifier(storage.properties),
  };
  return { ports, idempotency: dynamoIdempotencyStores({ client: dynamo, tableName }) };
}

/** The host API's services, once per cold start. */
export const hostServices = onFirstUse(buildHostServices);
