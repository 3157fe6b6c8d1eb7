import { beforeEach, describe, expect, it } from 'vitest';
import { type DeviceEventPorts, handleDeviceEvent } from '#shared/access/device-events.ts';
import { createBooking } from '#shared/domain/operations/bookings.ts';
import { addLock, addProperty, addTeamMember, member, type TestWorld, testWorld } from '../domain/fakes.ts';
import {
  deviceEventPortsFor,
  FakeConditions,
  FakeShadows,
  FakeTenantSettings,
  stateShadowReport,
} from './access-fakes.ts';
import { InMemoryOfflineCodes } from './offline-code-fakes.ts';

const manager = member({ role: 'manager' });
const stay = {
  propertyId: 'prp_loft',
  guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
  arrivalDate: '2026-10-24',
  departureDate: '2026-10-27',
};
const thingName = 'lockstay-lck_front';

let world: TestWorld;
let shadows: FakeShadows;
let conditions: FakeConditions;
let settings: FakeTenantSettings;
let ports: DeviceEventPorts;
let warnings: string[];
const log = {
  info: () => {},
  warn: (_message: string, details: Record<string, unknown>) => {
    warnings.push(String(details.reason));
  },
};

beforeEach(() => {
  world = testWorld({ now: '2026-10-22T14:00:00.000Z', randomScript: [480371] });
  addProperty(world.store);
  addLock(world.store, { id: 'lck_front' });
  addTeamMember(world.store, { role: 'owner' });
  shadows = new FakeShadows();
  conditions = new FakeConditions();
  settings = new FakeTenantSettings();
  warnings = [];
  ports = deviceEventPortsFor(world, { shadows, conditions, settings });
});

const presence = (eventType: 'connected' | 'disconnected', timestamp: number) => ({
  clientId: thingName,
  timestamp,
  eventType,
  sessionIdentifier: 'session',
  principalIdentifier: 'cert',
});

const lockEvents = (events: unknown[]) => ({ contract: 1, events, thingName });

describe('presence', () => {
  it('records online and offline with since-when from the event time', async () => {
    await handleDeviceEvent({ ports, log, payload: presence('connected', 1_792_000_000_000) });
    await handleDeviceEvent({ ports, log, payload: presence('disconnected', 1_792_000_060_000) });

    expect((await conditions.get({ tenantId: 'tnt_a', lockId: 'lck_front' }))?.connection).toEqual({
      online: false,
      since: new Date(1_792_000_060_000).toISOString(),
    });
  });

  it('an older event arriving late changes nothing', async () => {
    await handleDeviceEvent({ ports, log, payload: presence('disconnected', 1_792_000_060_000) });

    const late = await handleDeviceEvent({ ports, log, payload: presence('connected', 1_792_000_000_000) });

    expect(late).toEqual({ kind: 'presence', recorded: false, online: true });
    expect((await conditions.get({ tenantId: 'tnt_a', lockId: 'lck_front' }))?.connection?.online).toBe(
      false,
    );
  });

  it('a lock that reconnects gets its due codes pushed again', async () => {
    await createBooking({ ports: world.ports, principal: manager, input: stay });

    await handleDeviceEvent({ ports, log, payload: presence('connected', 1_792_000_000_000) });

    expect(Object.values(shadows.desiredCodes(thingName)).map((entry) => entry.op)).toEqual(['put']);
  });
});

describe('lock events', () => {
  it('audits a keypad unlock with the code and its grant', async () => {
    const { accessCodes, grant } = await createBooking({
      ports: world.ports,
      principal: manager,
      input: stay,
    });
    const codeId = accessCodes[0]?.id ?? '';

    await handleDeviceEvent({
      ports,
      log,
      payload: lockEvents([
        { id: 'evt-00000001', seq: 1, at: 1_792_000_000, type: 'unlocked', method: 'keypad', codeId },
      ]),
    });

    expect(conditions.audit).toEqual([
      expect.objectContaining({
        action: 'lock.unlocked',
        actor: { kind: 'device', lockId: 'lck_front' },
        lockId: 'lck_front',
        details: expect.objectContaining({ method: 'keypad', codeId, grantId: grant.id }),
      }),
    ]);
  });

  it('audits an offline-code unlock with the grant whose code the lock admitted, found from the attribution', async () => {
    const { grant } = await createBooking({ ports: world.ports, principal: manager, input: stay });
    const offlineCodes = new InMemoryOfflineCodes();
    const issued = {
      tenantId: 'tnt_a',
      id: `ofc_${grant.id}_lck_front`,
      grantId: grant.id,
      lockId: 'lck_front',
      propertyId: 'prp_loft',
      code: '40817263',
      purpose: 'readiness-fallback',
      keyVersion: 1,
      startHour: 497_800,
      durationClass: 3,
      validFrom: '2026-10-24T14:00:00.000Z',
      validUntil: '2026-10-27T11:00:00.000Z',
      firstUseBefore: '2026-10-25T14:00:00.000Z',
      grantWindow: grant.window,
      version: 1,
      createdAt: '2026-10-22T14:00:00.000Z',
      updatedAt: '2026-10-22T14:00:00.000Z',
    } as const;
    await offlineCodes.save({ code: issued, auditEvents: [] });
    const offlineUnlock = (id: string, startHour: number) => ({
      id,
      seq: Number(id.slice(-1)),
      at: 1_792_000_000,
      type: 'unlocked',
      method: 'offline-code',
      offlineCode: { keyVersion: 1, startHour, durationClass: 3 },
    });

    await handleDeviceEvent({
      ports: { ...ports, offlineCodes },
      log,
      payload: lockEvents([offlineUnlock('evt-00000001', 497_800), offlineUnlock('evt-00000002', 497_795)]),
    });

    expect(conditions.audit).toEqual([
      expect.objectContaining({
        action: 'lock.unlocked',
        details: expect.objectContaining({ method: 'offline-code', grantId: grant.id }),
      }),
      expect.objectContaining({
        action: 'lock.unlocked',
        details: expect.not.objectContaining({ grantId: expect.anything() }),
      }),
    ]);
  });

  it('records each event id once: a message delivered twice changes nothing the second time', async () => {
    const message = lockEvents([
      { id: 'evt-00000002', seq: 2, at: 1_792_000_000, type: 'battery-low', percent: 15 },
      { id: 'evt-00000003', seq: 3, at: 1_792_000_001, type: 'tamper', kind: 'forced-door' },
    ]);

    const first = await handleDeviceEvent({ ports, log, payload: message });
    const second = await handleDeviceEvent({ ports, log, payload: message });

    expect(first).toEqual({ kind: 'lock-events', recorded: 2, duplicates: 0 });
    expect(second).toEqual({ kind: 'lock-events', recorded: 0, duplicates: 2 });
    expect(conditions.audit.map((event) => event.action)).toEqual(['lock.battery-low', 'lock.tamper']);
    expect(world.notifier.sent.map((sent) => sent.notice)).toEqual([
      expect.objectContaining({ kind: 'lock-alert', alert: 'low-battery' }),
    ]);
  });

  it('alerts the owners of a keypad lockout and audits failed attempts', async () => {
    await handleDeviceEvent({
      ports,
      log,
      payload: lockEvents([
        {
          id: 'evt-00000004',
          seq: 4,
          at: 1_792_000_000,
          type: 'access-denied',
          method: 'keypad',
          reason: 'unknown-code',
        },
        {
          id: 'evt-00000005',
          seq: 5,
          at: 1_792_000_001,
          type: 'keypad-locked-out',
          until: 1_792_000_301,
          lockouts: 1,
        },
      ]),
    });

    expect(conditions.audit.map((event) => event.action)).toEqual([
      'lock.access-denied',
      'lock.keypad-locked-out',
    ]);
    expect(world.notifier.sent.map((sent) => sent.notice)).toEqual([
      expect.objectContaining({ kind: 'lock-alert', alert: 'keypad-locked-out' }),
    ]);
  });
});

describe('state reports', () => {
  const stateDocument = (version: number, battery: number) =>
    stateShadowReport({ thingName, version, timestamp: 1_792_000_000, reported: { battery } });

  it('stores bolt, battery, firmware and keypad lockout; an older version changes nothing', async () => {
    await handleDeviceEvent({ ports, log, payload: stateDocument(5, 80) });
    await handleDeviceEvent({ ports, log, payload: stateDocument(4, 90) });

    expect(await conditions.get({ tenantId: 'tnt_a', lockId: 'lck_front' })).toMatchObject({
      bolt: 'locked',
      battery: 80,
      firmware: '1.0.0',
      keypadLockedOutUntil: null,
    });
  });
});

describe('what does not follow the contract', () => {
  it.each([
    ['a string', 'hello'],
    [
      'an unknown shadow',
      { thingName, shadowName: 'other', current: { version: 1, state: {} }, timestamp: 1 },
    ],
    [
      'a malformed outcome',
      {
        thingName,
        shadowName: 'access-codes',
        timestamp: 1,
        current: { version: 2, state: { reported: { applied: { acd_x: { v: 1, status: 'weird' } } } } },
      },
    ],
    ['lock events without ids', lockEvents([{ seq: 1, at: 1, type: 'door', door: 'open' }])],
    ['a presence event of no thing', { clientId: '', timestamp: 1, eventType: 'connected' }],
  ])('%s is logged and ignored; nothing stored changes', async (_name, payload) => {
    const before = JSON.stringify(world.store.auditEvents);

    const outcome = await handleDeviceEvent({ ports, log, payload });

    expect(outcome.kind).toBe('ignored');
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(world.store.auditEvents)).toBe(before);
    expect(conditions.audit).toEqual([]);
    expect(shadows.updates).toEqual([]);
  });

  it('a report from a thing that is no lock of ours is ignored', async () => {
    const payload = { ...presence('connected', 1), clientId: 'lockstay-lck_gone' };

    const outcome = await handleDeviceEvent({ ports, log, payload });

    expect(outcome).toEqual({ kind: 'ignored', reason: 'unknown-thing' });
  });
});
