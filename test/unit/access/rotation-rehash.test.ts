/**
 * Specification: once a rotation is retired (the lock reports holding the new key version), the codes on the
 * lock go again as new revisions hashed with the new key, so a guest's PIN keeps working when the lock drops the
 * old key; nothing is sent again before that, and a failure leaves the retirement to the next report.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { pushCodesToLock } from '#shared/access/code-sync.ts';
import { type DeviceEventPorts, handleDeviceEvent } from '#shared/access/device-events.ts';
import { issueOfflineCodes } from '#shared/access/offline-code-issuance.ts';
import { hashPin } from '#shared/devices/codes.ts';
import type { DeviceKey } from '#shared/devices/device-key.ts';
import { verifyOfflineCode } from '#shared/devices/offline-codes.ts';
import { createBooking } from '#shared/domain/operations/bookings.ts';
import { addLock, addProperty, addTeamMember, member, type TestWorld, testWorld } from '../domain/fakes.ts';
import { deviceEventPortsFor, FakeConditions, FakeShadows, stateShadowReport } from './access-fakes.ts';
import { InMemoryOfflineCodes } from './offline-code-fakes.ts';

const thingName = 'lockstay-lck_front';
const keys: Record<number, DeviceKey> = {
  1: { version: 1, secret: new Uint8Array(32).fill(7) },
  2: { version: 2, secret: new Uint8Array(32).fill(9) },
};
const quiet = { info: () => {}, warn: () => {} };

let world: TestWorld;
let shadows: FakeShadows;
let conditions: FakeConditions;
let ports: DeviceEventPorts;

beforeEach(() => {
  world = testWorld({ now: '2026-10-23T09:00:00.000Z', randomScript: [480371, 3810] });
  addProperty(world.store);
  addLock(world.store, { id: 'lck_front' });
  addTeamMember(world.store, { role: 'owner' });
  shadows = new FakeShadows();
  conditions = new FakeConditions();
  ports = deviceEventPortsFor(world, {
    shadows,
    deviceKeys: { load: async ({ keyVersion }) => keys[keyVersion] },
    conditions,
  });
});

const liveCodes = async () =>
  (
    await world.ports.accessCodes.listLiveByLock({
      tenantId: 'tnt_a',
      lockId: 'lck_front',
      page: { limit: 50 },
    })
  ).items;

/** The lock answers every desired put with `set`, as the firmware does. */
async function lockAppliesDesired() {
  const desired = shadows.desiredCodes(thingName);
  const applied = Object.fromEntries(
    Object.entries(desired).map(([codeId, entry]) => [codeId, { v: entry.v, status: 'set' }]),
  );
  await shadows.updateShadow({
    thingName,
    shadowName: 'access-codes',
    document: { state: { reported: { applied } } },
  });
  await handleDeviceEvent({
    ports,
    log: quiet,
    payload: {
      thingName,
      shadowName: 'access-codes',
      current: await shadows.getShadow({ thingName, shadowName: 'access-codes' }),
      timestamp: 1_792_000_000,
    },
  });
}

let stateVersion = 0;
const reportKeys = (keyVersions: number[]) => {
  stateVersion += 1;
  return handleDeviceEvent({
    ports,
    log: quiet,
    payload: stateShadowReport({ thingName, version: stateVersion, reported: { codes: 1, keyVersions } }),
  });
};

/** A stay whose code is set on the lock under key 1, then the lock's credentials rotated to key 2. */
async function codeSetThenRotated() {
  const { accessCodes } = await createBooking({
    ports: world.ports,
    principal: member({ role: 'manager' }),
    input: {
      propertyId: 'prp_loft',
      guest: { name: 'Ada Lovelace' },
      arrivalDate: '2026-10-24',
      departureDate: '2026-10-27',
    },
  });
  await reportKeys([1]);
  await pushCodesToLock({ ports, tenantId: 'tnt_a', lockId: 'lck_front' });
  await lockAppliesDesired();
  const [code] = await liveCodes();
  expect(code?.status).toBe('set');
  addLock(world.store, {
    id: 'lck_front',
    credentials: { certificateId: 'cert-lck_front-v2', keyVersion: 2, issuedAt: '2026-10-23T09:00:00.000Z' },
  });
  return { pin: accessCodes[0]?.pin ?? '', code: code as NonNullable<typeof code> };
}

describe('codes across a credential rotation', () => {
  it('sends nothing again while the lock holds only the old key', async () => {
    const { code } = await codeSetThenRotated();
    const writes = shadows.updates.length;

    await reportKeys([1]);

    expect(shadows.updates).toHaveLength(writes);
    expect((await liveCodes())[0]).toMatchObject({ status: 'set', version: code.version });
  });

  it('once the lock reports the new key, sends each code again hashed with it as a new revision, and it ends set', async () => {
    const { pin, code } = await codeSetThenRotated();

    await reportKeys([1, 2]);

    const entry = shadows.desiredCodes(thingName)[code.id] as unknown as Record<string, unknown>;
    expect(entry).toMatchObject({
      op: 'put',
      key: 2,
      hash: hashPin({ key: keys[2] as DeviceKey, thingName, pin }),
    });
    expect(entry.v).toBeGreaterThan(code.version);
    expect((await liveCodes())[0]).toMatchObject({ status: 'setting', version: entry.v });
    expect(world.store.auditEvents.map((event) => event.action)).toContain(
      'access-code.rehashed-for-new-key',
    );
    expect(conditions.audit.map((event) => event.action)).toContain('lock.credentials-retired');

    await lockAppliesDesired();
    expect((await liveCodes())[0]?.status).toBe('set');
  });

  it('sends them once: later reports of the same keys change nothing', async () => {
    await codeSetThenRotated();
    await reportKeys([1, 2]);
    const writes = shadows.updates.length;
    const [after] = await liveCodes();

    await reportKeys([1, 2]);
    await reportKeys([2]);

    expect(shadows.updates).toHaveLength(writes);
    expect((await liveCodes())[0]?.version).toBe(after?.version);
  });

  it('when sending them fails, the retirement is not recorded and the next report does both', async () => {
    const { code } = await codeSetThenRotated();
    const update = shadows.updateShadow.bind(shadows);
    shadows.updateShadow = async () => {
      throw new Error('IoT throttled');
    };

    await expect(reportKeys([1, 2])).rejects.toThrow('IoT throttled');
    expect(conditions.audit.map((event) => event.action)).not.toContain('lock.credentials-retired');
    shadows.updateShadow = update;
    await reportKeys([1, 2]);

    expect(shadows.desiredCodes(thingName)[code.id]).toMatchObject({ key: 2 });
    expect(conditions.audit.map((event) => event.action)).toContain('lock.credentials-retired');
  });
});

describe('offline codes during a rotation', () => {
  it('a fallback code is derived with the key the lock holds until its installer loads the new one', async () => {
    const { grant } = await createBooking({
      ports: world.ports,
      principal: member({ role: 'manager' }),
      input: {
        propertyId: 'prp_loft',
        guest: { name: 'Grace Hopper' },
        arrivalDate: '2026-10-24',
        departureDate: '2026-10-26',
      },
    });
    addLock(world.store, {
      id: 'lck_front',
      credentials: {
        certificateId: 'cert-lck_front-v2',
        keyVersion: 2,
        issuedAt: '2026-10-23T09:00:00.000Z',
      },
    });
    const offlineCodes = new InMemoryOfflineCodes();
    const issuing = { ...ports, offlineCodes };
    await reportKeys([1]);

    await issueOfflineCodes({
      ports: issuing,
      tenantId: 'tnt_a',
      grantId: grant.id,
      lockIds: ['lck_front'],
      purpose: 'readiness-fallback',
    });
    const [beforeVisit] = offlineCodes.saves;

    expect(beforeVisit?.keyVersion).toBe(1);
    expect(
      verifyOfflineCode({
        keys: [keys[1] as DeviceKey],
        thingName,
        pinLength: 6,
        code: beforeVisit?.code ?? '',
        now: Date.parse('2026-10-24T14:00:00.000Z'),
      }),
    ).toMatchObject({ keyVersion: 1, firstUse: true });
  });
});
