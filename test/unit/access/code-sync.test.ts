import { beforeEach, describe, expect, it } from 'vitest';
import { pushCodesToLock } from '#shared/access/code-sync.ts';
import { type DeviceEventPorts, handleDeviceEvent } from '#shared/access/device-events.ts';
import { hashPin } from '#shared/devices/codes.ts';
import { cancelBooking, createBooking } from '#shared/domain/operations/bookings.ts';
import { addLock, addProperty, addTeamMember, member, type TestWorld, testWorld } from '../domain/fakes.ts';
import { deviceEventPortsFor, deviceKey, FakeShadows } from './access-fakes.ts';

const manager = member({ role: 'manager' });
const stay = {
  propertyId: 'prp_loft',
  guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
  arrivalDate: '2026-10-24',
  departureDate: '2026-10-27',
};
// Check-in 15:00 Berlin (CEST) is 13:00 UTC; the push lead time is 48 hours.
const windowStart = '2026-10-24T13:00:00.000Z';
const quiet = { info: () => {}, warn: () => {} };

let world: TestWorld;
let shadows: FakeShadows;
let ports: DeviceEventPorts;

beforeEach(() => {
  world = testWorld({ now: '2026-10-01T09:00:00.000Z', randomScript: [480371, 3810, 123456, 654321] });
  addProperty(world.store);
  addLock(world.store, { id: 'lck_front' });
  addLock(world.store, { id: 'lck_shed', connectivity: 'bluetooth' });
  addTeamMember(world.store, { role: 'owner' });
  shadows = new FakeShadows();
  ports = deviceEventPortsFor(world, { shadows });
});

const codesOf = async (lockId: string) =>
  (await world.ports.accessCodes.listLiveByLock({ tenantId: 'tnt_a', lockId, page: { limit: 50 } })).items;

describe('pushing codes to a lock', () => {
  it('sends nothing before the lead time: the code stays scheduled', async () => {
    await createBooking({ ports: world.ports, principal: manager, input: stay });

    const result = await pushCodesToLock({ ports, tenantId: 'tnt_a', lockId: 'lck_front' });

    expect(result.pushed).toEqual([]);
    expect(shadows.updates).toEqual([]);
    expect((await codesOf('lck_front')).map((code) => code.status)).toEqual(['scheduled']);
  });

  it('within the lead time sends a keyed hash with the window and revision, never the PIN, and marks it setting', async () => {
    const { accessCodes } = await createBooking({ ports: world.ports, principal: manager, input: stay });
    world.clock.set('2026-10-22T14:00:00.000Z');

    const result = await pushCodesToLock({ ports, tenantId: 'tnt_a', lockId: 'lck_front' });

    const [code] = await codesOf('lck_front');
    expect(code?.status).toBe('setting');
    expect(result.pushed).toEqual([code?.id]);
    const entry = shadows.desiredCodes('lockstay-lck_front')[code?.id ?? ''];
    expect(entry).toEqual({
      v: code?.version,
      op: 'put',
      key: 1,
      hash: hashPin({ key: deviceKey, thingName: 'lockstay-lck_front', pin: accessCodes[0]?.pin ?? '' }),
      from: Date.parse(windowStart) / 1000,
      to: expect.any(Number),
    });
    expect(JSON.stringify(shadows.updates)).not.toContain(accessCodes[0]?.pin);
    expect(world.store.auditEvents.map((event) => event.action)).toContain('access-code.sent-to-lock');
  });

  it('pushes nothing to a Bluetooth lock', async () => {
    const result = await pushCodesToLock({ ports, tenantId: 'tnt_a', lockId: 'lck_shed' });

    expect(result.skipped).toBe('bluetooth');
    expect(shadows.updates).toEqual([]);
  });

  it('a second push of unchanged codes writes nothing again', async () => {
    await createBooking({ ports: world.ports, principal: manager, input: stay });
    world.clock.set('2026-10-22T14:00:00.000Z');
    await pushCodesToLock({ ports, tenantId: 'tnt_a', lockId: 'lck_front' });

    const again = await pushCodesToLock({ ports, tenantId: 'tnt_a', lockId: 'lck_front' });

    expect(again.pushed).toEqual([]);
    expect(shadows.updates).toHaveLength(1);
  });

  it('a full lock: the codes that do not fit fail with lock-full, are audited and the owners alerted', async () => {
    addLock(world.store, { id: 'lck_front', codeConstraints: { pinLength: 6, capacity: 1 } });
    await createBooking({ ports: world.ports, principal: manager, input: stay });
    await createBooking({
      ports: world.ports,
      principal: manager,
      input: {
        ...stay,
        guest: { name: 'Grace Hopper', email: 'grace@example.com' },
        arrivalDate: '2026-10-23',
        departureDate: '2026-10-24',
      },
    });
    world.clock.set('2026-10-22T14:00:00.000Z');

    const result = await pushCodesToLock({ ports, tenantId: 'tnt_a', lockId: 'lck_front' });

    expect(result.pushed).toHaveLength(1);
    expect(result.failed).toHaveLength(1);
    const failed = (await codesOf('lck_front')).find((code) => code.status === 'failed');
    expect(failed?.failure?.reason).toBe('lock-full');
    // The later stay is the one that waits.
    expect(failed?.window.startsAt).toBe(windowStart);
    expect(world.store.auditEvents.map((event) => event.action)).toContain('access-code.did-not-fit-lock');
    expect(world.notifier.sent.map((sent) => sent.notice)).toEqual([
      expect.objectContaining({ kind: 'lock-alert', alert: 'lock-full', lockId: 'lck_front' }),
    ]);
  });

  it('a cancelled stay is taken off with a removal, and removed once the lock reports it (PIN released)', async () => {
    const { booking } = await createBooking({ ports: world.ports, principal: manager, input: stay });
    world.clock.set('2026-10-22T14:00:00.000Z');
    await pushCodesToLock({ ports, tenantId: 'tnt_a', lockId: 'lck_front' });
    const [sent] = await codesOf('lck_front');
    await reportApplied({ codeId: sent?.id ?? '', v: sent?.version ?? 0, status: 'set' });
    await cancelBooking({ ports: world.ports, principal: manager, bookingId: booking.id });

    await pushCodesToLock({ ports, tenantId: 'tnt_a', lockId: 'lck_front' });
    const [removing] = await codesOf('lck_front');
    expect(removing?.status).toBe('removing');
    expect(shadows.desiredCodes('lockstay-lck_front')[removing?.id ?? '']).toEqual({
      v: removing?.version,
      op: 'remove',
    });

    await reportApplied({ codeId: removing?.id ?? '', v: removing?.version ?? 0, status: 'removed' });

    expect(await codesOf('lck_front')).toEqual([]);
    expect(shadows.desiredCodes('lockstay-lck_front')).toEqual({});
  });

  it('a single-use code the lock reports used is withdrawn and its removal sent', async () => {
    await createBooking({ ports: world.ports, principal: manager, input: stay });
    world.clock.set('2026-10-22T14:00:00.000Z');
    await pushCodesToLock({ ports, tenantId: 'tnt_a', lockId: 'lck_front' });
    const [sent] = await codesOf('lck_front');
    await reportApplied({ codeId: sent?.id ?? '', v: sent?.version ?? 0, status: 'set' });

    await reportApplied({
      codeId: sent?.id ?? '',
      v: sent?.version ?? 0,
      status: 'set',
      used: 1_792_000_000,
    });

    const [withdrawn] = await codesOf('lck_front');
    expect(withdrawn?.status).toBe('removing');
    expect(shadows.desiredCodes('lockstay-lck_front')[withdrawn?.id ?? '']).toEqual({
      v: withdrawn?.version,
      op: 'remove',
    });
  });

  it('after the window the code is withdrawn and its removal sent', async () => {
    await createBooking({ ports: world.ports, principal: manager, input: stay });
    world.clock.set('2026-10-22T14:00:00.000Z');
    await pushCodesToLock({ ports, tenantId: 'tnt_a', lockId: 'lck_front' });
    world.clock.set('2026-10-28T00:00:00.000Z');

    const result = await pushCodesToLock({ ports, tenantId: 'tnt_a', lockId: 'lck_front' });

    expect(result.removed).toHaveLength(1);
    expect((await codesOf('lck_front')).map((code) => code.status)).toEqual(['removing']);
  });
});

/** The lock's report of an outcome, delivered as the rule does, with the desired state the cloud wrote. */
async function reportApplied({
  codeId,
  v,
  status,
  used,
}: {
  codeId: string;
  v: number;
  status: 'set' | 'removed';
  used?: number;
}) {
  await shadows.updateShadow({
    thingName: 'lockstay-lck_front',
    shadowName: 'access-codes',
    document: { state: { reported: { applied: { [codeId]: { v, status, ...(used ? { used } : {}) } } } } },
  });
  const held = await shadows.getShadow({ thingName: 'lockstay-lck_front', shadowName: 'access-codes' });
  return handleDeviceEvent({
    ports,
    log: quiet,
    payload: {
      thingName: 'lockstay-lck_front',
      shadowName: 'access-codes',
      current: held,
      timestamp: 1_792_000_000,
    },
  });
}
