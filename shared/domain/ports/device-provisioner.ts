/**
 * Gives a lock its device identity: in AWS an IoT thing with its own certificate and a policy limited to its
 * own shadows; on the local cloud the same from the local CA. The device key (for PIN hashes and command
 * signatures) is created here too. Secrets are returned once, for the installer, and kept only by the adapter.
 */

/** What an installer loads into the lock once; shown once, never stored by the domain, never logged. */
export interface InstallerBundle {
  readonly thingName: string;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  readonly caCertificatePem: string;
  /** The MQTT endpoint the lock connects to. */
  readonly endpoint: string;
  /** The device key, base64, shared between the lock and the cloud. */
  readonly deviceKey: string;
}

export interface ProvisionedDevice {
  readonly certificateId: string;
  readonly keyVersion: number;
  readonly installerBundle: InstallerBundle;
}

export interface DeviceProvisioner {
  /** Creates the thing, its certificate and policy, and the device key; keyVersion 1. */
  provision(options: { tenantId: string; lockId: string; thingName: string }): Promise<ProvisionedDevice>;
  /**
   * A new certificate and device key for the thing; the previous ones stay valid until `retire`, so a lock is
   * never cut off between the rotation and its installer loading the new bundle.
   */
  rotate(options: {
    tenantId: string;
    lockId: string;
    thingName: string;
    keyVersion: number;
  }): Promise<ProvisionedDevice>;
  /**
   * Retires what a rotation replaced, once the lock uses the new credentials: every certificate of the thing
   * but `keepCertificateId` is revoked, and every device key version below `keepKeyVersion` is deleted.
   * Retiring what is already gone is not an error.
   */
  retire(options: {
    tenantId: string;
    lockId: string;
    thingName: string;
    keepCertificateId: string;
    keepKeyVersion: number;
  }): Promise<{ retiredCertificateIds: readonly string[]; retiredKeyVersions: readonly number[] }>;
  /** Undoes `provision` when the lock could not be recorded; removing what does not exist is not an error. */
  release(options: { tenantId: string; lockId: string; thingName: string }): Promise<void>;
}
