/**
 * A lock's condition, its alerts and its credentials on the running local cloud, with the reference firmware:
 * the lock views show what the lock reports; a firmware minimum above the lock's version and a lock cut off
 * shortly before a guest's access starts are alerts in the audit log; a rotated lock that comes back with its new
 * bundle has the old certificate retired (refused by the broker) and still opens remotely; a property's locks
 * rotate at once. Each runs in a business of its own, so its settings touch nobody else.
 */
import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually } from '../../support/eventually.ts';
import {
  createMember,
  type HostApiClient,
  hostApiClient,
  idTokenOf,
  lockAuditActions,
} from '../../support/hosts.ts';
import { type LockTestBed, lockTestBed } from '../../support/registered-locks.ts';

const endpoints = inject('endpoints');
const tenantId = `tnt-locks-${randomUUID().slice(0, 8)}`;
let owner: HostApiClient;
let bed: LockTestBed;

/** Check-in on the property's (UTC) clock a few hours from now, so the guest's access starts within 24 hours. */
const soon = new Date(Date.now() + 6 * 3_600_000);
const arrivalDate = soon.toISOString().slice(0, 10);
const checkInTime = `${soon.toISOString().slice(11, 13)}:00`;
const departureDate = new Date(soon.getTime() + 2 * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  owner = hostApiClient(
    endpoints,
    await idTokenOf(endpoints, await createMember({ endpoints, tenantId, role: 'owner' })),
  );
  bed = await lockTestBed({
    endpoints,
    host: owner,
    label: 'lock-condition',
    property: { timeZone: 'UTC', checkInTime, codeBufferBeforeMinutes: 0 },
  });
}, 60_000);

afterAll(async () => {
  await bed?.stopAll();
});

describe('a lock’s condition in the host API', () => {
  it('shows online since when, bolt, battery, firmware and last seen as the lock reports them', async () => {
    const registered = await bed.registerLock();
    await bed.startRegisteredLock(registered, { firmwareVersion: '1.3.0' });

    const lock = await eventually(
      async () => (await owner.request('GET', `/locks/${registered.lockId}`)).body,
      (body) => body?.condition?.online === true && body.condition.firmware === '1.3.0',
    );
    const listed = await owner.request('GET', '/locks', { query: { propertyId: bed.propertyId } });

    expect(lock.condition).toMatchObject({
      online: true,
      bolt: 'locked',
      battery: expect.any(Number),
      firmware: '1.3.0',
      keypadLockedOut: false,
    });
    expect(Date.parse(lock.condition.onlineSince)).toBeGreaterThan(Date.now() - 120_000);
    expect(lock.condition.lastSeenAt).not.toBeNull();
    expect(
      listed.body.items.find((item: { id: string }) => item.id === registered.lockId)?.condition.online,
    ).toBe(true);
  }, 60_000);
});

describe('alerts', () => {
  it('firmware older than the minimum an owner sets is an alert, once', async () => {
    const registered = await bed.registerLock();
    await bed.startRegisteredLock(registered, { firmwareVersion: '1.0.0' });
    await eventually(
      async () => (await owner.request('GET', `/locks/${registered.lockId}`)).body,
      (body) => body?.condition?.firmware === '1.0.0',
    );

    const changed = await owner.request('PATCH', '/settings', { body: { minimumFirmwareVersion: '1.2.0' } });
    const actions = await eventually(
      () => lockAuditActions(owner, registered.lockId),
      (found) => found.includes('alert.firmware-outdated'),
    );

    expect(changed.status).toBe(200);
    expect(changed.body.minimumFirmwareVersion).toBe('1.2.0');
    expect(actions.filter((action) => action === 'alert.firmware-outdated')).toHaveLength(1);
  }, 60_000);

  it('a lock cut off a few hours before a guest’s access starts is an alert to the owners', async () => {
    const registered = await bed.registerLock();
    const lock = await bed.startRegisteredLock(registered);
    const booking = await owner.request('POST', '/bookings', {
      body: { propertyId: bed.propertyId, guest: { name: 'Grace Hopper' }, arrivalDate, departureDate },
    });
    expect(booking.status).toBe(201);

    lock.setNetwork(false);
    const actions = await eventually(
      () => lockAuditActions(owner, registered.lockId),
      (found) => found.includes('alert.lock-offline'),
    );

    expect(actions).toContain('alert.lock-offline');
    lock.setNetwork(true);
  }, 60_000);
});

describe('rotating credentials', () => {
  it('retires the old certificate once the lock comes back with its new bundle, and the lock still opens remotely', async () => {
    const registered = await bed.registerLock();
    const before = await bed.startRegisteredLock(registered);
    const rotation = await owner.request('POST', `/locks/${registered.lockId}/rotate-credentials`);
    expect(rotation.status).toBe(200);

    // The installer loads the new bundle: the lock restarts with the new certificate and both keys.
    await before.stop();
    await bed.startRegisteredLock(
      {
        lockId: registered.lockId,
        keyVersion: rotation.body.lock.credentials.keyVersion,
        bundle: rotation.body.installerBundle,
      },
      { earlierKeys: [{ version: registered.keyVersion, key: registered.bundle.deviceKey }] },
    );
    const actions = await eventually(
      () => lockAuditActions(owner, registered.lockId),
      (found) => found.includes('lock.credentials-retired'),
    );
    const unlock = await owner.request('POST', `/locks/${registered.lockId}/unlock`);
    expect(unlock.status).toBe(202);
    // The lock answers within the command's life; a wait of 10 s may end before a busy machine has heard it.
    const outcome = await eventually(
      () => owner.request('GET', `/commands/${unlock.body.id}`, { query: { wait: '10' } }),
      (answer) => answer.body?.status !== 'pending',
      60_000,
    );
    const oldCertificate = await new Promise<'connected' | 'refused'>((resolve) => {
      const client = mqtt.connect(endpoints.services.mqtts, {
        clientId: registered.bundle.thingName,
        key: registered.bundle.privateKeyPem,
        cert: registered.bundle.certificatePem,
        ca: registered.bundle.caCertificatePem,
        reconnectPeriod: 0,
        connectTimeout: 5_000,
      });
      const settle = (outcome: 'connected' | 'refused') => {
        client.end(true);
        resolve(outcome);
      };
      client.once('connect', () => settle('connected'));
      client.once('error', () => settle('refused'));
      client.once('close', () => settle('refused'));
    });

    expect(actions).toContain('lock.credentials-retired');
    expect(outcome.body.status).toBe('succeeded');
    expect(oldCertificate).toBe('refused');
  }, 180_000);

  it('rotates every lock of a property at once, each with its new bundle', async () => {
    const first = await bed.registerLock({ name: 'Garden gate' });

    const answer = await owner.request('POST', '/credential-rotations', {
      body: { propertyId: bed.propertyId },
    });

    expect(answer.status).toBe(200);
    const item = answer.body.items.find((candidate: { lockId: string }) => candidate.lockId === first.lockId);
    expect(item).toMatchObject({ status: 'rotated', keyVersion: 2 });
    expect(item.installerBundle.privateKeyPem).toContain('PRIVATE KEY');
    expect(answer.body.remaining).toBe(0);
  }, 60_000);
});
