import { beforeEach, describe, expect, it } from 'vitest';
import {
  type BluetoothOfflineCodePorts,
  grantOfOfflineUnlock,
  issueBluetoothOfflineCodes,
  issueOfflineCodes,
} from '#shared/access/offline-code-issuance.ts';
import { verifyOfflineCode } from '#shared/devices/offline-codes.ts';
import { cancelBooking, createBooking, modifyBooking } from '#shared/domain/operations/bookings.ts';
import { addLock, addProperty, member, type TestWorld, testWorld } from '../domain/fakes.ts';
import { deviceKey, FakeDeviceKeys } from './access-fakes.ts';
import { InMemoryOfflineCodes } from './offline-code-fakes.ts';

const manager = member({ role: 'manager' });
const stay = {
  propertyId: 'prp_loft',
  guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
  arrivalDate: '2026-10-24',
  departureDate: '2026-10-27',
};
// 15:00 Berlin (CEST) on the 24th to 11:00 Berlin (CET) on the 27th: 13:00Z to 10:00Z, 69 hours.
const windowStart = '2026-10-24T13:00:00.000Z';

let world: TestWorld;
let offlineCodes: InMemoryOfflineCodes;
let emailRequests: { tenantId: string; bookingId: string; occasion: string }[];
let ports: BluetoothOfflineCodePorts;

beforeEach(() => {
  world = testWorld({ now: '2026-10-01T09:00:00.000Z' });
  addProperty(world.store);
  addLock(world.store, { id: 'lck_shed', name: 'Shed', connectivity: 'bluetooth' });
  offlineCodes = new InMemoryOfflineCodes(world.store.auditEvents);
  emailRequests = [];
  ports = {
    ...world.ports,
    deviceKeys: new FakeDeviceKeys(),
    offlineCodes,
    guestEmails: {
      async codesChanged(request) {
        emailRequests.push(request);
      },
    },
  };
});

const lockAdmits = ({ code, at }: { code: string; at: string }) =>
  verifyOfflineCode({
    keys: [deviceKey],
    thingName: 'lockstay-lck_shed',
    pinLength: 6,
    code,
    now: Date.parse(at),
  });

describe('offline codes for Bluetooth locks', () => {
  it('derives the code of the grid window covering the stay, which the lock admits during the stay only', async () => {
    const { grant } = await createBooking({ ports: world.ports, principal: manager, input: stay });

    const [issue] = await issueBluetoothOfflineCodes({ ports, tenantId: 'tnt_a', grantId: grant.id });

    expect(issue?.outcome).toBe('issued');
    const [code] = offlineCodes.saves;
    expect(code).toMatchObject({
      id: `ofc_${grant.id}_lck_shed`,
      grantId: grant.id,
      lockId: 'lck_shed',
      purpose: 'bluetooth-lock',
      keyVersion: 1,
      validFrom: windowStart,
      // 69 hours round up to the grid's 72.
      validUntil: '2026-10-27T13:00:00.000Z',
      firstUseBefore: '2026-10-25T13:00:00.000Z',
      grantWindow: grant.window,
    });
    expect(lockAdmits({ code: code?.code ?? '', at: '2026-10-24T13:05:00.000Z' })).toMatchObject({
      withinWindow: true,
    });
    expect(lockAdmits({ code: code?.code ?? '', at: '2026-10-24T11:00:00.000Z' })).toBeUndefined();
    expect(lockAdmits({ code: code?.code ?? '', at: '2026-10-26T13:05:00.000Z' })).toBeUndefined();
  });

  it('is audited with its window and key version, never its digits', async () => {
    const { grant } = await createBooking({ ports: world.ports, principal: manager, input: stay });

    await issueBluetoothOfflineCodes({ ports, tenantId: 'tnt_a', grantId: grant.id });

    const event = world.store.auditEvents.find((candidate) => candidate.action === 'offline-code.issued');
    expect(event).toMatchObject({
      lockId: 'lck_shed',
      target: { kind: 'grant', id: grant.id },
      details: { purpose: 'bluetooth-lock', keyVersion: 1, validFrom: windowStart },
    });
    expect(JSON.stringify(world.store.auditEvents)).not.toContain(offlineCodes.saves[0]?.code);
  });

  it('issuing again for the same window changes nothing', async () => {
    const { grant } = await createBooking({ ports: world.ports, principal: manager, input: stay });
    await issueBluetoothOfflineCodes({ ports, tenantId: 'tnt_a', grantId: grant.id });
    const events = world.store.auditEvents.length;

    const [again] = await issueBluetoothOfflineCodes({ ports, tenantId: 'tnt_a', grantId: grant.id });

    expect(again?.outcome).toBe('unchanged');
    expect(offlineCodes.saves).toHaveLength(1);
    expect(world.store.auditEvents).toHaveLength(events);
  });

  it('a moved stay gets the code of its new window', async () => {
    const { grant, booking } = await createBooking({ ports: world.ports, principal: manager, input: stay });
    await issueBluetoothOfflineCodes({ ports, tenantId: 'tnt_a', grantId: grant.id });
    await modifyBooking({
      ports: world.ports,
      principal: manager,
      bookingId: booking.id,
      input: { departureDate: '2026-10-29' },
    });

    const [issue] = await issueBluetoothOfflineCodes({ ports, tenantId: 'tnt_a', grantId: grant.id });

    expect(issue?.outcome).toBe('replaced');
    expect(offlineCodes.saves[1]).toMatchObject({ version: 2, validUntil: '2026-10-29T13:00:00.000Z' });
    expect(world.store.auditEvents.map((event) => event.action)).toContain('offline-code.replaced');
  });

  it('two stays with the same window on one lock get different codes: the later one starts an hour earlier', async () => {
    const first = await createBooking({ ports: world.ports, principal: manager, input: stay });
    const second = await createBooking({
      ports: world.ports,
      principal: manager,
      input: { ...stay, guest: { name: 'Grace Hopper', email: 'grace@example.com' } },
    });

    await issueBluetoothOfflineCodes({ ports, tenantId: 'tnt_a', grantId: first.grant.id });
    await issueBluetoothOfflineCodes({ ports, tenantId: 'tnt_a', grantId: second.grant.id });

    const [a, b] = offlineCodes.saves;
    expect(a?.code).not.toBe(b?.code);
    expect(b?.startHour).toBe((a?.startHour ?? 0) - 1);
    expect(lockAdmits({ code: b?.code ?? '', at: '2026-10-24T13:05:00.000Z' })).toBeDefined();
  });

  it('a keypad shorter than 6 digits gets none', async () => {
    addLock(world.store, {
      id: 'lck_shed',
      connectivity: 'bluetooth',
      codeConstraints: { pinLength: 4, capacity: 20 },
    });
    const { grant } = await createBooking({ ports: world.ports, principal: manager, input: stay });

    expect(await issueBluetoothOfflineCodes({ ports, tenantId: 'tnt_a', grantId: grant.id })).toEqual([
      { lockId: 'lck_shed', outcome: 'refused', reason: 'keypad-too-short' },
    ]);
    expect(offlineCodes.saves).toEqual([]);
  });

  it('a grant with no end (an owner’s permanent code) gets none', async () => {
    const { grant } = await createBooking({ ports: world.ports, principal: manager, input: stay });
    world.store.put('grant', { ...grant, window: { startsAt: grant.window.startsAt, endsAt: null } });

    const issues = await issueOfflineCodes({
      ports,
      tenantId: 'tnt_a',
      grantId: grant.id,
      lockIds: ['lck_shed'],
      purpose: 'bluetooth-lock',
    });

    expect(issues).toEqual([{ lockId: 'lck_shed', outcome: 'refused', reason: 'no-window-end' }]);
  });

  it('a stay longer than the grid’s longest window (14 days) gets none', async () => {
    const { grant } = await createBooking({
      ports: world.ports,
      principal: manager,
      input: { ...stay, departureDate: '2026-11-10' },
    });

    expect(await issueBluetoothOfflineCodes({ ports, tenantId: 'tnt_a', grantId: grant.id })).toEqual([
      { lockId: 'lck_shed', outcome: 'refused', reason: 'window-too-long' },
    ]);
  });

  it('a cancelled booking gets none', async () => {
    const { grant, booking } = await createBooking({ ports: world.ports, principal: manager, input: stay });
    await cancelBooking({ ports: world.ports, principal: manager, bookingId: booking.id });

    expect(await issueBluetoothOfflineCodes({ ports, tenantId: 'tnt_a', grantId: grant.id })).toEqual([]);
  });

  it('asks for the guest email again only once it is due (a late booking), not weeks ahead', async () => {
    const early = await createBooking({ ports: world.ports, principal: manager, input: stay });
    await issueBluetoothOfflineCodes({ ports, tenantId: 'tnt_a', grantId: early.grant.id });
    expect(emailRequests).toEqual([]);

    world.clock.set('2026-10-24T10:00:00.000Z');
    const late = await createBooking({
      ports: world.ports,
      principal: manager,
      input: { ...stay, guest: { name: 'Grace Hopper', email: 'grace@example.com' } },
    });
    await issueBluetoothOfflineCodes({ ports, tenantId: 'tnt_a', grantId: late.grant.id });

    expect(emailRequests).toEqual([
      { tenantId: 'tnt_a', bookingId: late.booking.id, occasion: expect.stringContaining('lck_shed') },
    ]);
  });

  it('an offline code issued after the window opened starts now, so its first use is still possible', async () => {
    const { grant } = await createBooking({ ports: world.ports, principal: manager, input: stay });
    world.clock.set('2026-10-25T20:30:00.000Z');

    await issueBluetoothOfflineCodes({ ports, tenantId: 'tnt_a', grantId: grant.id });

    expect(offlineCodes.saves[0]).toMatchObject({
      validFrom: '2026-10-25T20:00:00.000Z',
      firstUseBefore: '2026-10-26T20:00:00.000Z',
    });
  });

  it("names the grant whose offline code the lock admitted, from the unlock's attribution", async () => {
    const { grant } = await createBooking({ ports: world.ports, principal: manager, input: stay });
    await issueBluetoothOfflineCodes({ ports, tenantId: 'tnt_a', grantId: grant.id });
    const code = offlineCodes.saves[0];
    const admitted = lockAdmits({ code: code?.code ?? '', at: '2026-10-24T14:00:00.000Z' });
    if (!admitted) throw new Error('The lock did not admit its offline code');

    const found = await grantOfOfflineUnlock({
      offlineCodes,
      tenantId: 'tnt_a',
      lockId: 'lck_shed',
      attribution: admitted,
      at: '2026-10-24T14:00:00.000Z',
    });
    const other = await grantOfOfflineUnlock({
      offlineCodes,
      tenantId: 'tnt_a',
      lockId: 'lck_shed',
      attribution: { ...admitted, startHour: admitted.startHour - 5 },
      at: '2026-10-24T14:00:00.000Z',
    });

    expect(found).toBe(grant.id);
    expect(other).toBeUndefined();
  });
});
