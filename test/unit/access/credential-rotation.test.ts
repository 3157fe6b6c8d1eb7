import { beforeEach, describe, expect, it } from 'vitest';
import { pushCodesToLock } from '#shared/access/code-sync.ts';
import { signingKeyVersion } from '#shared/access/credential-rotation.ts';
import { type DeviceEventPorts, handleDeviceEvent } from '#shared/access/device-events.ts';
import { createBooking } from '#shared/domain/operations/bookings.ts';
import {
  addLock,
  addProperty,
  addTeamMember,
  member,
  type TestWorld,
  tenantA,
  tenantB,
  testWorld,
} from '../domain/fakes.ts';
import { type Caller, documented, hostApi } from '../http/host-api-harness.ts';
import {
  deviceEventPortsFor,
  FakeConditions,
  FakeDeviceKeys,
  FakeShadows,
  stateShadowReport,
} from './access-fakes.ts';

const owner: Caller = { tenantId: tenantA, userId: 'usr_owner' };
const manager: Caller = { tenantId: tenantA, userId: 'usr_manager', role: 'manager' };
const otherOwner: Caller = { tenantId: tenantB, userId: 'usr_b_owner' };

const rotated = { certificateId: 'cert-lck_front-v2', keyVersion: 2, issuedAt: '2026-10-20T08:00:00.000Z' };

describe('the key version the cloud signs with', () => {
  const lock = { credentials: rotated };

  it('is the current one once the lock holds it, or when it never said', () => {
    expect(signingKeyVersion({ lock, condition: { keyVersions: [1, 2] } })).toBe(2);
    expect(signingKeyVersion({ lock, condition: undefined })).toBe(2);
  });

  it('is the newest the lock holds while its installer has not loaded the rotated bundle', () => {
    expect(signingKeyVersion({ lock, condition: { keyVersions: [1] } })).toBe(1);
  });
});

describe('retiring what a rotation replaced', () => {
  const thingName = 'lockstay-lck_front';
  let world: TestWorld;
  let conditions: FakeConditions;
  let ports: DeviceEventPorts;
  const log = { info: () => {}, warn: () => {} };

  beforeEach(() => {
    world = testWorld({ now: '2026-10-20T09:00:00.000Z' });
    addProperty(world.store);
    addLock(world.store, { id: 'lck_front', credentials: rotated });
    conditions = new FakeConditions();
    ports = deviceEventPortsFor(world, { conditions });
  });

  const stateReport = (version: number, keyVersions: number[]) =>
    stateShadowReport({ thingName, version, reported: { keyVersions } });

  it('keeps the previous certificate and key while the lock reports only the previous key', async () => {
    await handleDeviceEvent({ ports, log, payload: stateReport(1, [1]) });

    expect(world.devices.retirements).toEqual([]);
    expect((await conditions.get({ tenantId: tenantA, lockId: 'lck_front' }))?.keyVersions).toEqual([1]);
  });

  it('retires them once the lock reports the new key version, once, with an audit event', async () => {
    await handleDeviceEvent({ ports, log, payload: stateReport(1, [1]) });
    await handleDeviceEvent({ ports, log, payload: stateReport(2, [1, 2]) });
    await handleDeviceEvent({ ports, log, payload: stateReport(3, [1, 2]) });
    await handleDeviceEvent({ ports, log, payload: stateReport(3, [1, 2]) });

    expect(world.devices.retirements).toEqual([
      { lockId: 'lck_front', keepCertificateId: 'cert-lck_front-v2', keepKeyVersion: 2 },
    ]);
    expect(conditions.audit.filter((event) => event.action === 'lock.credentials-retired')).toEqual([
      expect.objectContaining({
        lockId: 'lck_front',
        details: expect.objectContaining({ keyVersion: 2, retiredKeyVersions: '1' }),
      }),
    ]);
  });

  it('tries again on the next report when retiring failed', async () => {
    const retire = world.devices.retire.bind(world.devices);
    world.devices.retire = async () => {
      throw new Error('IoT throttled');
    };
    await expect(handleDeviceEvent({ ports, log, payload: stateReport(1, [1, 2]) })).rejects.toThrow();
    world.devices.retire = retire;

    await handleDeviceEvent({ ports, log, payload: stateReport(2, [1, 2]) });

    expect(world.devices.retirements).toHaveLength(1);
  });
});

describe('rotating a fleet', () => {
  function world() {
    const api = hostApi({ now: '2026-10-27T11:00:00.000Z' });
    addTeamMember(api.store, { role: 'owner' });
    addTeamMember(api.store, { role: 'manager' });
    addTeamMember(api.store, { role: 'owner', tenantId: tenantB, userId: 'usr_b_owner' });
    addProperty(api.store);
    addProperty(api.store, { id: 'prp_cabin', name: 'Cabin' });
    addLock(api.store, { id: 'lck_front' });
    addLock(api.store, { id: 'lck_back' });
    addLock(api.store, { id: 'lck_shed', connectivity: 'bluetooth' });
    addLock(api.store, { id: 'lck_cabin', propertyId: 'prp_cabin' });
    return api;
  }

  it('rotates every lock of the business, skips Bluetooth-only ones, and answers each lock with its bundle', async () => {
    const api = world();

    const answer = await api.call('POST /credential-rotations', { as: owner, body: {} });

    const result = documented('POST /credential-rotations', answer);
    const byLock = new Map(result.items.map((item: { lockId: string }) => [item.lockId, item]));
    expect([...byLock.keys()].sort()).toEqual(['lck_back', 'lck_cabin', 'lck_front', 'lck_shed']);
    expect(byLock.get('lck_front')).toMatchObject({ status: 'rotated', keyVersion: 2 });
    expect(byLock.get('lck_cabin')).toMatchObject({ status: 'rotated', keyVersion: 2 });
    expect(
      (byLock.get('lck_front') as { installerBundle: { privateKeyPem: string } }).installerBundle
        .privateKeyPem,
    ).toContain('PRIVATE KEY');
    expect(byLock.get('lck_shed')).toMatchObject({ status: 'skipped' });
    expect(result.remaining).toBe(0);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(api.devices.rotations.map((rotation) => rotation.lockId).sort()).toEqual([
      'lck_back',
      'lck_cabin',
      'lck_front',
    ]);
  });

  it('rotates one property’s locks only, and a second call with the same instant rotates nothing again', async () => {
    const api = world();

    const first = await api.call('POST /credential-rotations', {
      as: owner,
      body: { propertyId: 'prp_cabin' },
    });
    const again = await api.call('POST /credential-rotations', {
      as: owner,
      body: { propertyId: 'prp_cabin', issuedBefore: first.body.issuedBefore },
    });

    expect(first.body.items.map((item: { lockId: string }) => item.lockId)).toEqual(['lck_cabin']);
    expect(again.body.items).toEqual([]);
    expect(api.devices.rotations).toHaveLength(1);
  });

  it('is for owners: a manager is refused, another tenant’s property is not found, junk is a 400', async () => {
    const api = world();

    const byManager = await api.call('POST /credential-rotations', { as: manager, body: {} });
    const otherTenant = await api.call('POST /credential-rotations', {
      as: otherOwner,
      body: { propertyId: 'prp_loft' },
    });
    const junk = await api.call('POST /credential-rotations', {
      as: owner,
      body: { issuedBefore: 'yesterday' },
    });

    expect(byManager.status).toBe(403);
    expect(otherTenant.status).toBe(404);
    expect(junk.status).toBe(400);
    expect(junk.body.errors[0].field).toBe('issuedBefore');
    expect(api.devices.rotations).toEqual([]);
  });
});

describe('codes pushed to a rotated lock', () => {
  it('are hashed with the key the lock holds until its installer loads the new bundle', async () => {
    const world = testWorld({ now: '2026-10-22T14:00:00.000Z', randomScript: [480371] });
    addProperty(world.store);
    addLock(world.store, { id: 'lck_front', credentials: rotated });
    const shadows = new FakeShadows();
    const conditions = new FakeConditions();
    await conditions.recordState({
      tenantId: tenantA,
      lockId: 'lck_front',
      reportedAt: '2026-10-22T13:00:00.000Z',
      shadowVersion: 1,
      state: { keyVersions: [1] },
    });
    await createBooking({
      ports: world.ports,
      principal: member({ role: 'manager' }),
      input: {
        propertyId: 'prp_loft',
        guest: { name: 'Ada Lovelace' },
        arrivalDate: '2026-10-24',
        departureDate: '2026-10-27',
      },
    });

    await pushCodesToLock({
      ports: { ...world.ports, shadows, deviceKeys: new FakeDeviceKeys(), conditions },
      tenantId: tenantA,
      lockId: 'lck_front',
    });

    const pushed = Object.values(shadows.desiredCodes('lockstay-lck_front')) as { key?: number }[];
    expect(pushed.map((entry) => entry.key)).toEqual([1]);
  });
});
