/**
 * DeviceProvisioner: a lock's IoT identity (thing, X.509 certificate, the lock policy) and its device key.
 * Certificates come from a `CertificateIssuer`: AWS IoT in the cloud (`createAwsIotCertificateIssuer` below),
 * the local IoT Core's CA at home (`local-iot-certificate-issuer.ts`). The device key is drawn here, sealed into
 * the DeviceKeyVault and handed out once in the installer bundle; the certificate's private key is never kept.
 */
import { rootCertificates } from 'node:tls';
import {
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreateKeysAndCertificateCommand,
  CreateThingCommand,
  DeleteCertificateCommand,
  DeleteThingCommand,
  DescribeEndpointCommand,
  DetachPolicyCommand,
  DetachThingPrincipalCommand,
  type IoTClient,
  ListThingPrincipalsCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  UpdateCertificateCommand,
} from '@aws-sdk/client-iot';
import { deviceKeyBytes } from '#shared/devices/device-key.ts';
import type { DeviceProvisioner, ProvisionedDevice } from '#shared/domain/ports/device-provisioner.ts';
import type { DeviceKeyVault } from './device-key-vault.ts';

export interface IssuedCertificate {
  readonly certificateId: string;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/** Issues a thing's certificates and takes them back; the thing exists once `register` returned. */
export interface CertificateIssuer {
  register(options: { tenantId: string; lockId: string; thingName: string }): Promise<void>;
  issue(options: { thingName: string }): Promise<IssuedCertificate>;
  /** Deactivates and deletes every certificate of the thing, then the thing; absent ones are no error. */
  deregister(options: { thingName: string }): Promise<void>;
  /** The thing's certificates; their ids. */
  certificatesOf(options: { thingName: string }): Promise<string[]>;
  /** Deactivates one certificate of the thing and takes it off; an absent one is no error. */
  revoke(options: { thingName: string; certificateId: string }): Promise<void>;
  /** The MQTT endpoint and the CA a lock trusts, for the installer bundle. */
  connection(): Promise<{ endpoint: string; caCertificatePem: string }>;
}

export function createDeviceProvisioner({
  certificates,
  keys,
  randomBytes,
}: {
  certificates: CertificateIssuer;
  keys: DeviceKeyVault;
  /** Cryptographically secure bytes (node:crypto's randomBytes). */
  randomBytes: (size: number) => Uint8Array;
}): DeviceProvisioner {
  async function issue({
    tenantId,
    lockId,
    thingName,
    keyVersion,
  }: {
    tenantId: string;
    lockId: string;
    thingName: string;
    keyVersion: number;
  }): Promise<ProvisionedDevice> {
    const certificate = await certificates.issue({ thingName });
    const deviceKey = randomBytes(deviceKeyBytes);
    await keys.store({ tenantId, lockId, keyVersion, deviceKey });
    const { endpoint, caCertificatePem } = await certificates.connection();
    return {
      certificateId: certificate.certificateId,
      keyVersion,
      installerBundle: {
        thingName,
        certificatePem: certificate.certificatePem,
        privateKeyPem: certificate.privateKeyPem,
        caCertificatePem,
        endpoint,
        deviceKey: Buffer.from(deviceKey).toString('base64'),
      },
    };
  }

  return {
    async provision({ tenantId, lockId, thingName }) {
      await certificates.register({ tenantId, lockId, thingName });
      try {
        return await issue({ tenantId, lockId, thingName, keyVersion: 1 });
      } catch (error) {
        // Nothing half-made is left behind: a thing without its lock would be an identity nobody manages.
        // The first failure is the one worth reporting, whether or not the clean-up succeeds.
        await certificates.deregister({ thingName }).catch(() => undefined);
        throw error;
      }
    },
    rotate: (options) => issue(options),
    async retire({ tenantId, lockId, thingName, keepCertificateId, keepKeyVersion }) {
      const held = await certificates.certificatesOf({ thingName });
      const retiredCertificateIds = held.filter((certificateId) => certificateId !== keepCertificateId);
      for (const certificateId of retiredCertificateIds)
        await certificates.revoke({ thingName, certificateId });
      const retiredKeyVersions = await keys.retire({ tenantId, lockId, belowVersion: keepKeyVersion });
      return { retiredCertificateIds, retiredKeyVersions };
    },
    release: ({ thingName }) => certificates.deregister({ thingName }),
  };
}

/** The root AWS IoT's ATS endpoints chain to, as Node ships it: the lock trusts exactly this CA. */
const amazonRootCa1 =
  rootCertificates.find((pem) =>
    pem.includes('MIIDQTCCAimgAwIBAgITBmyfz5m/jAo54vB4ikPmljZbyjANBgkqhkiG9w0BAQsF'),
  ) ?? '';

export function createAwsIotCertificateIssuer({
  client,
  policyName,
}: {
  client: IoTClient;
  /** The lock policy (infra/iot-policy.ts) the stack deployed. */
  policyName: string;
}): CertificateIssuer {
  let endpoint: Promise<string> | undefined;

  return {
    async register({ tenantId, lockId, thingName }) {
      try {
        await client.send(
          new CreateThingCommand({
            thingName,
            attributePayload: { attributes: { tenantId, lockId } },
          }),
        );
      } catch (error) {
        // A retry after a failure further on: the thing is already there with the same attributes.
        if (!(error instanceof ResourceAlreadyExistsException)) throw error;
      }
    },

    async issue({ thingName }) {
      const created = await client.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
      const { certificateArn, certificateId, certificatePem, keyPair } = created;
      if (!certificateArn || !certificateId || !certificatePem || !keyPair?.PrivateKey) {
        throw new Error('AWS IoT returned an incomplete certificate');
      }
      await client.send(new AttachPolicyCommand({ policyName, target: certificateArn }));
      await client.send(new AttachThingPrincipalCommand({ thingName, principal: certificateArn }));
      return { certificateId, certificatePem, privateKeyPem: keyPair.PrivateKey };
    },

    async deregister({ thingName }) {
      // Each step tolerates what is already gone, so a retry after a partial failure finishes the job.
      const unlessMissing = async (step: () => Promise<unknown>) => {
        try {
          return await step();
        } catch (error) {
          if (!(error instanceof ResourceNotFoundException)) throw error;
          return undefined;
        }
      };
      const listed = await unlessMissing(() => client.send(new ListThingPrincipalsCommand({ thingName })));
      const principals = (listed as { principals?: string[] } | undefined)?.principals ?? [];
      for (const principal of principals) {
        const certificateId = principal.split('/').pop() ?? '';
        await unlessMissing(() => client.send(new DetachThingPrincipalCommand({ thingName, principal })));
        await unlessMissing(() => client.send(new DetachPolicyCommand({ policyName, target: principal })));
        await unlessMissing(() =>
          client.send(new UpdateCertificateCommand({ certificateId, newStatus: 'INACTIVE' })),
        );
        await unlessMissing(() => client.send(new DeleteCertificateCommand({ certificateId })));
      }
      await unlessMissing(() => client.send(new DeleteThingCommand({ thingName })));
    },

    async certificatesOf({ thingName }) {
      try {
        const { principals = [] } = await client.send(new ListThingPrincipalsCommand({ thingName }));
        return principals.map((principal) => principal.split('/').pop() ?? '').filter((id) => id !== '');
      } catch (error) {
        if (error instanceof ResourceNotFoundException) return [];
        throw error;
      }
    },

    async revoke({ thingName, certificateId }) {
      const unlessMissing = async (step: () => Promise<unknown>) => {
        try {
          await step();
        } catch (error) {
          if (!(error instanceof ResourceNotFoundException)) throw error;
        }
      };
      const { principals = [] } = await client
        .send(new ListThingPrincipalsCommand({ thingName }))
        .catch((error: unknown) => {
          if (error instanceof ResourceNotFoundException) return { principals: [] };
          throw error;
        });
      const principal = principals.find((arn) => arn.endsWith(`/${certificateId}`));
      if (principal === undefined) return;
      await unlessMissing(() => client.send(new DetachThingPrincipalCommand({ thingName, principal })));
      await unlessMissing(() => client.send(new DetachPolicyCommand({ policyName, target: principal })));
      // Inactive at once: IoT Core refuses it from the next connection; then deleted, as nothing refers to it.
      await unlessMissing(() =>
        client.send(new UpdateCertificateCommand({ certificateId, newStatus: 'INACTIVE' })),
      );
      await unlessMissing(() => client.send(new DeleteCertificateCommand({ certificateId })));
    },

    async connection() {
      endpoint ??= client
        .send(new DescribeEndpointCommand({ endpointType: 'iot:Data-ATS' }))
        .then(({ endpointAddress }) => {
          if (!endpointAddress) throw new Error('AWS IoT returned no data endpoint');
          return `mqtts://${endpointAddress}:8883`;
        });
      // A failed lookup is asked again next time rather than remembered.
      endpoint.catch(() => {
        endpoint = undefined;
      });
      return { endpoint: await endpoint, caCertificatePem: amazonRootCa1 };
    },
  };
}
