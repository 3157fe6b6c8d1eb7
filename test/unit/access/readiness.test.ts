import { beforeEach, describe, expect, it } from 'vitest';
import { codesForGuest } from '#shared/access/guest-codes.ts';
import { checkReadiness, type ReadinessPorts } from '#shared/access/readiness.ts';
import { verifyOfflineCode } from '#shared/devices/offline-codes.ts';
import type { AccessCode } from '#shared/domain/access-code.ts';
import { cancelBooking, createBooking, modifyBooking } from '#shared/domain/operations/bookings.ts';
import { addLock, addProperty, addTeamMember, member, type TestWorld, testWorld } from '../domain/fakes.ts';
import { deviceKey, FakeConditions, FakeDeviceKeys } from './access-fakes.ts';
import { InMemoryOfflineCodes, InMemoryReadinessChecks } from './offline-code-fakes.ts';

const manager = member({ role: 'manager' });
const stay = {
  propertyId: 'prp_loft',
  guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
  arrivalDate: '2026-10-24',
  departureDate: '2026-10-27',
};
// Check-in 15:00 Berlin (CEST) is 13:00 UTC; the readiness check runs 6 hours before.
const checkInAt = '2026-10-24T13:00:00.000Z';
const readinessAt = '2026-10-24T07:00:00.000Z';

let world: TestWorld;
let offlineCodes: InMemoryOfflineCodes;
let readinessChecks: InMemoryReadinessChecks;
let conditions: FakeConditions;
let emailRequests: { tenantId: string; bookingId: string; occasion: string }[];
let ports: ReadinessPorts;

beforeEach(() => {
  world = testWorld({ now: '2026-10-01T09:00:00.000Z', randomScript: [480371, 3810, 123456, 654321] });
  addProperty(world.store);
  addLock(world.store, { id: 'lck_front', name: 'Front door' });
  addTeamMember(world.store, { role: 'owner' });
  offlineCodes = new InMemoryOfflineCodes(world.store.auditEvents);
  readinessChecks = new InMemoryReadinessChecks(world.store.auditEvents);
  conditions = new FakeConditions();
  emailRequests = [];
  ports = {
    ...world.ports,
    deviceKeys: new FakeDeviceKeys(),
    offlineCodes,
    readinessChecks,
    conditions,
    guestEmails: {
      async codesChanged(request) {
        emailRequests.push(request);
      },
    },
  };
});

async function bookStay() {
  const created = await createBooking({ ports: world.ports, principal: manager, input: stay });
  world.clock.set(readinessAt);
  return created;
}

/** Puts a code in the status the lock reported (or did not). */
function codeNow(code: AccessCode | undefined, changes: Partial<AccessCode>) {
  if (!code) throw new Error('No code');
  world.store.put('accessCode', { ...code, ...changes, version: code.version + 1 });
}

const actions = () => world.store.auditEvents.map((event) => event.action);
const alertEvents = () => world.store.auditEvents.filter((event) => event.action === 'alert.code-not-ready');

describe('the readiness check before a guest arrives', () => {
  it('every code set: the grant is ready, audited once, and nobody is alerted', async () => {
    const { grant, accessCodes } = await bookStay();
    codeNow(accessCodes[0], { status: 'set' });

    const first = await checkReadiness({ ports, tenantId: 'tnt_a', grantId: grant.id });
    const second = await checkReadiness({ ports, tenantId: 'tnt_a', grantId: grant.id });

    expect(first).toMatchObject({ outcome: 'ready', alerted: [], guestEmailRequested: false });
    expect(second.outcome).toBe('ready');
    expect(actions().filter((action) => action === 'grant.ready')).toHaveLength(1);
    expect(world.notifier.sent).toEqual([]);
    expect(offlineCodes.saves).toEqual([]);
    expect(emailRequests).toEqual([]);
  });

  it('a WiFi lock offline with its code not set: the owners are alerted and a fallback offline code is issued and becomes the guest’s code', async () => {
    const { grant, booking, accessCodes } = await bookStay();
    codeNow(accessCodes[0], { status: 'setting' });
    await conditions.recordConnection({
      tenantId: 'tnt_a',
      lockId: 'lck_front',
      online: false,
      since: '2026-10-23T20:00:00.000Z',
    });

    const outcome = await checkReadiness({ ports, tenantId: 'tnt_a', grantId: grant.id });

    expect(outcome).toMatchObject({
      outcome: 'not-ready',
      alerted: ['lck_front'],
      guestEmailRequested: true,
    });
    const [fallback] = offlineCodes.saves;
    expect(fallback).toMatchObject({ lockId: 'lck_front', purpose: 'readiness-fallback', keyVersion: 1 });
    // The lock, with no network, admits it during the stay and not the day before.
    const code = fallback?.code ?? '';
    expect(code).toMatch(/^\d{6}$/);
    const lockChecks = (at: string) =>
      verifyOfflineCode({
        keys: [deviceKey],
        thingName: 'lockstay-lck_front',
        pinLength: 6,
        code,
        now: Date.parse(at),
      });
    expect(lockChecks('2026-10-24T13:30:00.000Z')).toMatchObject({ firstUse: true, withinWindow: true });
    expect(lockChecks('2026-10-23T13:30:00.000Z')).toBeUndefined();

    expect(await codesForGuest({ ports, tenantId: 'tnt_a', grantId: grant.id })).toEqual([
      { code, kind: 'offline', firstUseBefore: fallback?.firstUseBefore },
    ]);
    expect(world.notifier.sent.map((sent) => sent.notice)).toEqual([
      {
        kind: 'code-not-ready',
        grantId: grant.id,
        propertyId: 'prp_loft',
        guestName: 'Ada Lovelace',
        checkInAt,
        locks: [
          { lockId: 'lck_front', lockName: 'Front door', problem: 'lock-offline', fallbackIssued: true },
        ],
      },
    ]);
    expect(alertEvents()).toEqual([
      expect.objectContaining({
        lockId: 'lck_front',
        propertyId: 'prp_loft',
        target: { kind: 'grant', id: grant.id },
        details: expect.objectContaining({ problem: 'lock-offline', fallback: 'offline-code', checkInAt }),
      }),
    ]);
    expect(actions()).toContain('offline-code.issued');
    expect(JSON.stringify(world.store.auditEvents)).not.toContain(code);
    expect(emailRequests).toEqual([
      { tenantId: 'tnt_a', bookingId: booking.id, occasion: expect.any(String) },
    ]);
  });

  it('running again changes nothing twice: one alert, one fallback, the same guest email asked for', async () => {
    const { grant, accessCodes } = await bookStay();
    codeNow(accessCodes[0], { status: 'setting' });

    await checkReadiness({ ports, tenantId: 'tnt_a', grantId: grant.id });
    const again = await checkReadiness({ ports, tenantId: 'tnt_a', grantId: grant.id });

    expect(again).toMatchObject({ outcome: 'not-ready', alerted: [] });
    expect(world.notifier.sent).toHaveLength(1);
    expect(offlineCodes.saves).toHaveLength(1);
    expect(alertEvents()).toHaveLength(1);
    expect(emailRequests).toHaveLength(2);
    expect(emailRequests[1]?.occasion).toBe(emailRequests[0]?.occasion);
  });

  it('a lock that was full says so', async () => {
    const { grant, accessCodes } = await bookStay();
    codeNow(accessCodes[0], {
      status: 'failed',
      failure: { reason: 'lock-full', during: 'setting', at: readinessAt },
    });

    await checkReadiness({ ports, tenantId: 'tnt_a', grantId: grant.id });

    expect(alertEvents()[0]?.details).toMatchObject({ problem: 'lock-full', fallback: 'offline-code' });
  });

  it('a lock online that has not confirmed the code is "not confirmed"', async () => {
    const { grant, accessCodes } = await bookStay();
    codeNow(accessCodes[0], { status: 'setting' });
    await conditions.recordConnection({
      tenantId: 'tnt_a',
      lockId: 'lck_front',
      online: true,
      since: '2026-10-23T20:00:00.000Z',
    });

    await checkReadiness({ ports, tenantId: 'tnt_a', grantId: grant.id });

    expect(alertEvents()[0]?.details).toMatchObject({ problem: 'not-confirmed' });
  });

  it('a 4-digit keypad gets no fallback: the alert says so and the guest keeps their PIN there', async () => {
    addLock(world.store, { id: 'lck_gate', name: 'Gate', codeConstraints: { pinLength: 4, capacity: 20 } });
    const { grant, accessCodes } = await bookStay();
    const gateCode = accessCodes.find((code) => code.lockId === 'lck_gate');
    codeNow(
      accessCodes.find((code) => code.lockId === 'lck_front'),
      { status: 'set' },
    );
    codeNow(gateCode, { status: 'setting' });

    const outcome = await checkReadiness({ ports, tenantId: 'tnt_a', grantId: grant.id });

    expect(outcome).toMatchObject({
      outcome: 'not-ready',
      alerted: ['lck_gate'],
      guestEmailRequested: false,
    });
    expect(offlineCodes.saves).toEqual([]);
    expect(alertEvents()[0]?.details).toMatchObject({ fallback: 'none', noFallback: 'keypad-too-short' });
    expect(world.notifier.sent[0]?.notice).toMatchObject({
      locks: [{ lockId: 'lck_gate', fallbackIssued: false }],
    });
    const codes = await codesForGuest({ ports, tenantId: 'tnt_a', grantId: grant.id });
    expect(codes).toContainEqual({ code: gateCode?.pin, kind: 'pin', lockNames: ['Gate'] });
    expect(gateCode?.pin).toHaveLength(4);
  });

  it('a Bluetooth lock is ready with its offline code, issued by the check when it is still missing', async () => {
    addLock(world.store, { id: 'lck_shed', name: 'Shed', connectivity: 'bluetooth' });
    const { grant, accessCodes } = await bookStay();
    codeNow(accessCodes[0], { status: 'set' });

    const outcome = await checkReadiness({ ports, tenantId: 'tnt_a', grantId: grant.id });

    expect(outcome.outcome).toBe('ready');
    expect(offlineCodes.saves).toEqual([
      expect.objectContaining({ lockId: 'lck_shed', purpose: 'bluetooth-lock' }),
    ]);
    expect(emailRequests).toEqual([]);
    const codes = await codesForGuest({ ports, tenantId: 'tnt_a', grantId: grant.id });
    expect(codes.map(({ kind, lockNames }) => ({ kind, lockNames }))).toEqual([
      { kind: 'pin', lockNames: ['Front door'] },
      { kind: 'offline', lockNames: ['Shed'] },
    ]);
  });

  it('a moved stay is checked afresh: a new fallback for the new window, and a new alert', async () => {
    const { grant, booking, accessCodes } = await bookStay();
    codeNow(accessCodes[0], { status: 'setting' });
    await checkReadiness({ ports, tenantId: 'tnt_a', grantId: grant.id });
    world.clock.set('2026-10-20T09:00:00.000Z');
    await modifyBooking({
      ports: world.ports,
      principal: manager,
      bookingId: booking.id,
      input: { arrivalDate: '2026-10-25', departureDate: '2026-10-28' },
    });
    world.clock.set('2026-10-25T08:00:00.000Z');

    const outcome = await checkReadiness({ ports, tenantId: 'tnt_a', grantId: grant.id });

    expect(outcome).toMatchObject({ outcome: 'not-ready', alerted: ['lck_front'] });
    expect(offlineCodes.saves).toHaveLength(2);
    expect(offlineCodes.saves[1]?.validFrom).toBe('2026-10-25T14:00:00.000Z');
    expect(alertEvents()).toHaveLength(2);
    const [code] = await codesForGuest({ ports, tenantId: 'tnt_a', grantId: grant.id });
    expect(code).toMatchObject({ kind: 'offline', code: offlineCodes.saves[1]?.code });
  });

  it('a cancelled booking is not checked', async () => {
    const { grant, booking } = await bookStay();
    await cancelBooking({ ports: world.ports, principal: manager, bookingId: booking.id });

    expect(await checkReadiness({ ports, tenantId: 'tnt_a', grantId: grant.id })).toEqual({
      outcome: 'skipped',
      why: 'revoked',
    });
    expect(world.notifier.sent).toEqual([]);
  });
});
