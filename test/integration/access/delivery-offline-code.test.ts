/**
 * A delivery on a Bluetooth lock, on the running local cloud with the reference firmware: the grant gets a
 * single-use offline code (device contract 9.5), shown as such in the grant view; the lock, which is never
 * online, admits it once and refuses it as used the second time.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RunningLock, startLock } from '../../../firmware/lock.ts';
import { eventually } from '../../support/eventually.ts';
import { createMember, type HostApiClient, hostApiClient, idTokenOf } from '../../support/hosts.ts';

const endpoints = inject('endpoints');
const tenantId = `tnt-delivery-${randomUUID().slice(0, 8)}`;
const running: RunningLock[] = [];
let owner: HostApiClient;
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'lockstay-delivery-'));
  owner = hostApiClient(
    endpoints,
    await idTokenOf(endpoints, await createMember({ endpoints, tenantId, role: 'owner' })),
  );
}, 60_000);

afterAll(async () => {
  for (const lock of running) await lock.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('a delivery on a Bluetooth lock', () => {
  it('gets a single-use offline code, which the lock admits once and then refuses as used', async () => {
    const property = await owner.request('POST', '/properties', {
      body: {
        name: `Parcel flat ${tenantId}`,
        address: { line1: 'Paketweg 1', city: 'Berlin', countryCode: 'DE' },
        timeZone: 'Europe/Berlin',
      },
    });
    expect(property.status).toBe(201);
    const registered = await owner.request('POST', '/locks', {
      body: { propertyId: property.body.id, name: 'Side door', connectivity: 'bluetooth' },
    });
    expect(registered.status).toBe(201);
    const bundle = registered.body.installerBundle;
    const lock = await startLock({
      thingName: bundle.thingName,
      connectivity: 'bluetooth',
      deviceKeys: [{ version: registered.body.lock.credentials.keyVersion, key: bundle.deviceKey }],
      storagePath: join(folder, `${bundle.thingName}.json`),
      log: () => undefined,
    });
    running.push(lock);

    const issued = await owner.request('POST', '/grants', {
      body: {
        kind: 'delivery',
        propertyId: property.body.id,
        lockIds: [registered.body.lock.id],
        label: 'Parcel',
        durationHours: 3,
      },
    });
    expect(issued.status).toBe(201);
    const view = await eventually(
      async () => (await owner.request('GET', `/grants/${issued.body.grant.id}`)).body,
      (body) => (body?.offlineCodes ?? []).length > 0,
    );
    const [offlineCode] = view.offlineCodes as { code: string; singleUse: boolean; current: boolean }[];
    expect(offlineCode).toMatchObject({ singleUse: true, current: true });

    expect(await lock.enterPin(offlineCode?.code ?? '')).toMatchObject({
      admitted: true,
      method: 'offline-code',
    });
    expect(await lock.enterPin(offlineCode?.code ?? '')).toMatchObject({ admitted: false, reason: 'used' });
  }, 120_000);
});
