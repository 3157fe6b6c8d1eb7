/**
 * The demo property's locks, one of each connectivity kind, registered through the same domain operation as
 * the API's `POST /locks` and run by the reference firmware in this process. Each lock's installer bundle (its
 * certificate, private key and device key: what an installer loads once) is kept in the data folder, so the
 * same locks come back after a restart; a lock whose record is gone is registered anew.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type LockConnectivity, lockConnectivities } from '#shared/domain/lock.ts';
import { registerLock } from '#shared/domain/operations/locks.ts';
import type { InstallerBundle } from '#shared/domain/ports/device-provisioner.ts';
import { memberPrincipal } from '#shared/domain/team.ts';
import { type RunningLock, startLock } from '../../firmware/lock.ts';

export interface DemoLock {
  readonly name: string;
  readonly connectivity: LockConnectivity;
  readonly lockId: string;
  readonly thingName: string;
  /** The firmware's local control API: enter a PIN, present a card, cut the network... */
  readonly controlUrl: string | undefined;
}

interface SavedLock {
  readonly lockId: string;
  readonly keyVersion: number;
  readonly bundle: InstallerBundle;
}

const names: Record<LockConnectivity, string> = {
  wifi: 'Front door',
  hybrid: 'Garden gate',
  bluetooth: 'Storage room',
};

export interface DemoLocks {
  readonly locks: readonly DemoLock[];
  stop(): Promise<void>;
}

export async function startDemoLocks(options: {
  dataDir: string;
  tenantId: string;
  ownerUserId: string;
  propertyId: string;
  mqttsEndpoint: string;
  log: (message: string) => void;
}): Promise<DemoLocks> {
  const { dataDir, tenantId, ownerUserId, propertyId, mqttsEndpoint, log } = options;
  const folder = join(dataDir, 'demo-locks');
  await mkdir(folder, { recursive: true });
  // Built from the environment the local cloud has just set, exactly as a function's cold start builds it.
  const { hostServices } = await import('#functions/commons/ports.ts');
  const { ports } = hostServices();
  const member = await ports.team.get({ tenantId, userId: ownerUserId });
  const principal = memberPrincipal({ tenantId, userId: ownerUserId, member });
  if (!principal) throw new Error('The demo owner is not an active member of the demo business');

  const running: RunningLock[] = [];
  const locks: DemoLock[] = [];
  try {
    for (const connectivity of lockConnectivities) {
      const file = join(folder, `${connectivity}.json`);
      let saved = await readFile(file, 'utf8').then(
        (text) => JSON.parse(text) as SavedLock,
        () => undefined,
      );
      if (!saved || !(await ports.locks.get({ tenantId, lockId: saved.lockId }))) {
        const { lock, installerBundle } = await registerLock({
          ports,
          principal,
          input: {
            propertyId,
            name: names[connectivity],
            connectivity,
            manufacturer: 'Lockstay',
            model: 'Reference',
          },
        });
        saved = { lockId: lock.id, keyVersion: lock.credentials.keyVersion, bundle: installerBundle };
        await writeFile(file, JSON.stringify(saved, null, 2), { mode: 0o600 });
      }
      const { bundle } = saved;
      const lock = await startLock({
        thingName: bundle.thingName,
        connectivity,
        deviceKeys: [{ version: saved.keyVersion, key: bundle.deviceKey }],
        storagePath: join(folder, `${connectivity}-memory.json`),
        ...(connectivity === 'bluetooth'
          ? {}
          : {
              endpoint: mqttsEndpoint,
              certificate: {
                certificatePem: bundle.certificatePem,
                privateKeyPem: bundle.privateKeyPem,
                caPem: bundle.caCertificatePem,
              },
            }),
        credentials: [{ method: 'rfid', id: 'card-cleaner-01' }],
        control: { port: 0 },
        log: (message) => log(`[${names[connectivity]}] ${message}`),
      });
      running.push(lock);
      locks.push({
        name: names[connectivity],
        connectivity,
        lockId: saved.lockId,
        thingName: bundle.thingName,
        controlUrl: lock.controlUrl,
      });
    }
  } catch (error) {
    await Promise.allSettled(running.map((lock) => lock.stop()));
    throw error;
  }
  return {
    locks,
    async stop() {
      await Promise.allSettled(running.map((lock) => lock.stop()));
    },
  };
}
