/**
 * Locks registered through the host API and run by the reference firmware on the local cloud, for integration
 * tests and benchmarks: a property of the host's, `registerLock` (POST /locks, keeping the installer bundle) and
 * `startRegisteredLock` (the firmware with that bundle, over mutual TLS, once it is online). `stopAll` stops every
 * lock started and removes their storage.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningLock, startLock } from '../../firmware/lock.ts';
import type { Endpoints } from '../../infra/local/endpoints.ts';
import type { HostApiClient } from './hosts.ts';

export interface InstallerBundle {
  readonly thingName: string;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  readonly caCertificatePem: string;
  readonly deviceKey: string;
}

export interface RegisteredLock {
  readonly lockId: string;
  readonly keyVersion: number;
  readonly bundle: InstallerBundle;
}

export type LockOptions = Partial<
  Omit<Parameters<typeof startLock>[0], 'thingName' | 'certificate' | 'endpoint'>
>;

export interface LockTestBed {
  readonly propertyId: string;
  registerLock(options?: {
    connectivity?: 'wifi' | 'hybrid' | 'bluetooth';
    name?: string;
  }): Promise<RegisteredLock>;
  /** Runs the firmware with the lock's bundle (and any earlier keys it still holds) and waits until it is online. */
  startRegisteredLock(
    registered: RegisteredLock,
    options?: LockOptions & { earlierKeys?: readonly { version: number; key: string }[] },
  ): Promise<RunningLock>;
  stopAll(): Promise<void>;
}

export async function lockTestBed({
  endpoints,
  host,
  label,
  property = {},
}: {
  endpoints: Endpoints;
  host: HostApiClient;
  /** Names the property and the storage folder, to find them in logs. */
  label: string;
  property?: Record<string, unknown>;
}): Promise<LockTestBed> {
  const unique = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const folder = await mkdtemp(join(tmpdir(), `lockstay-${label}-`));
  const running: RunningLock[] = [];
  const created = await host.request('POST', '/properties', {
    body: {
      name: `${label} ${unique}`,
      address: { line1: 'Torstrasse 9', city: 'Berlin', countryCode: 'DE' },
      timeZone: 'Europe/Berlin',
      ...property,
    },
  });
  if (created.status !== 201) throw new Error(`Creating a property answered ${created.status}`);
  const propertyId = created.body.id as string;

  return {
    propertyId,
    async registerLock({ connectivity = 'wifi', name = `${connectivity} door` } = {}) {
      const answer = await host.request('POST', '/locks', {
        body: { propertyId, name: `${name} ${unique}`, connectivity },
      });
      if (answer.status !== 201) throw new Error(`Registering a lock answered ${answer.status}`);
      return {
        lockId: answer.body.lock.id as string,
        keyVersion: answer.body.lock.credentials.keyVersion as number,
        bundle: answer.body.installerBundle as InstallerBundle,
      };
    },
    async startRegisteredLock({ keyVersion, bundle }, { earlierKeys = [], ...options } = {}) {
      const lock = await startLock({
        connectivity: 'wifi',
        storagePath: join(folder, `${bundle.thingName}.json`),
        autoRelockMs: 60_000,
        ...options,
        thingName: bundle.thingName,
        deviceKeys: [...earlierKeys, { version: keyVersion, key: bundle.deviceKey }],
        endpoint: endpoints.services.mqtts,
        certificate: {
          certificatePem: bundle.certificatePem,
          privateKeyPem: bundle.privateKeyPem,
          caPem: bundle.caCertificatePem,
        },
      });
      running.push(lock);
      await lock.whenOnline();
      return lock;
    },
    async stopAll() {
      for (const lock of running.splice(0)) await lock.stop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
