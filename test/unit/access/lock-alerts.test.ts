import { beforeEach, describe, expect, it } from 'vitest';
import { type DeviceEventPorts, handleDeviceEvent } from '#shared/access/device-events.ts';
import { alertLocksWithOutdatedFirmware } from '#shared/access/lock-alerts.ts';
import { defaultTenantSettings } from '#shared/access/tenant-settings.ts';
import { createBooking } from '#shared/domain/operations/bookings.ts';
import { addLock, addProperty, addTeamMember, member, type TestWorld, testWorld } from '../domain/fakes.ts';
import {
  deviceEventPortsFor,
  FakeConditions,
  FakeTenantSettings,
  stateShadowReport,
} from './access-fakes.ts';

const manager = member({ role: 'manager' });
const thingName = 'lockstay-lck_front';
/** Check-in on 24 October at the loft (Berlin): access opens on the 24th in the afternoon. */
const stay = {
  propertyId: 'prp_loft',
  guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
  arrivalDate: '2026-10-24',
  departureDate: '2026-10-27',
};

let world: TestWorld;
let conditions: FakeConditions;
let settings: FakeTenantSettings;
let ports: DeviceEventPorts;
const log = { info: () => {}, warn: () => {} };

beforeEach(() => {
  world = testWorld({ now: '2026-10-20T09:00:00.000Z', randomScript: [480371] });
  addProperty(world.store);
  addLock(world.store, { id: 'lck_front' });
  addTeamMember(world.store, { role: 'owner' });
  conditions = new FakeConditions();
  settings = new FakeTenantSettings();
  ports = deviceEventPortsFor(world, { conditions, settings });
});

const disconnected = (at: string) => ({
  clientId: thingName,
  timestamp: Date.parse(at),
  eventType: 'disconnected',
});
const connected = (at: string) => ({
  clientId: thingName,
  timestamp: Date.parse(at),
  eventType: 'connected',
});

const alertsSent = () => world.notifier.sent.map(({ notice }) => notice);
const alertAudit = () => conditions.audit.filter((event) => event.action.startsWith('alert.'));

describe('a lock going offline before a check-in', () => {
  it('alerts the owners by email and in the audit log when a guest’s access starts within 24 hours', async () => {
    const { grant } = await createBooking({ ports: world.ports, principal: manager, input: stay });
    world.clock.set('2026-10-23T20:00:00.000Z');

    await handleDeviceEvent({ ports, log, payload: disconnected('2026-10-23T19:59:30.000Z') });

    expect(alertsSent()).toEqual([
      expect.objectContaining({
        kind: 'lock-alert',
        alert: 'lock-offline',
        lockId: 'lck_front',
        details: expect.objectContaining({
          offlineSince: '2026-10-23T19:59:30.000Z',
          grantId: grant.id,
          accessStartsAt: grant.window.startsAt,
        }),
      }),
    ]);
    expect(world.notifier.sent[0]?.recipients.map((recipient) => recipient.userId)).toEqual(['usr_owner']);
    expect(alertAudit()).toEqual([
      expect.objectContaining({
        action: 'alert.lock-offline',
        target: { kind: 'lock', id: 'lck_front' },
        lockId: 'lck_front',
        propertyId: 'prp_loft',
      }),
    ]);
  });

  it('says nothing when the next arrival is further away than the tenant’s horizon', async () => {
    await createBooking({ ports: world.ports, principal: manager, input: stay });
    settings.stored.set('tnt_a', { ...defaultTenantSettings, offlineAlertHours: 6, version: 1 });
    world.clock.set('2026-10-23T20:00:00.000Z');

    await handleDeviceEvent({ ports, log, payload: disconnected('2026-10-23T19:59:30.000Z') });

    expect(alertsSent()).toEqual([]);
    expect(alertAudit()).toEqual([]);
  });

  it('says nothing with no arrival coming', async () => {
    await handleDeviceEvent({ ports, log, payload: disconnected('2026-10-20T08:59:00.000Z') });

    expect(alertsSent()).toEqual([]);
  });

  it('alerts once per stay: a repeated event, or the lock dropping off again, tells nobody twice', async () => {
    await createBooking({ ports: world.ports, principal: manager, input: stay });
    world.clock.set('2026-10-23T20:00:00.000Z');

    await handleDeviceEvent({ ports, log, payload: disconnected('2026-10-23T19:00:00.000Z') });
    await handleDeviceEvent({ ports, log, payload: disconnected('2026-10-23T19:00:00.000Z') });
    await handleDeviceEvent({ ports, log, payload: connected('2026-10-23T19:30:00.000Z') });
    await handleDeviceEvent({ ports, log, payload: disconnected('2026-10-23T19:45:00.000Z') });

    expect(alertsSent()).toHaveLength(1);
    expect(alertAudit()).toHaveLength(1);
  });

  it('a late disconnect older than the recorded reconnection raises nothing', async () => {
    await createBooking({ ports: world.ports, principal: manager, input: stay });
    world.clock.set('2026-10-23T20:00:00.000Z');

    await handleDeviceEvent({ ports, log, payload: connected('2026-10-23T19:30:00.000Z') });
    await handleDeviceEvent({ ports, log, payload: disconnected('2026-10-23T19:00:00.000Z') });

    expect(alertsSent()).toEqual([]);
  });
});

describe('firmware older than the tenant’s minimum', () => {
  const stateReport = (version: number, firmware: string) =>
    stateShadowReport({ thingName, version, reported: { firmware } });
  const minimum = (version: string) =>
    settings.stored.set('tnt_a', { ...defaultTenantSettings, minimumFirmwareVersion: version, version: 1 });

  it('alerts once per reported version, however many reports follow, and again for another old version', async () => {
    minimum('1.4.0');

    await handleDeviceEvent({ ports, log, payload: stateReport(1, '1.2.0') });
    await handleDeviceEvent({ ports, log, payload: stateReport(2, '1.2.0') });
    await handleDeviceEvent({ ports, log, payload: stateReport(2, '1.2.0') });
    await handleDeviceEvent({ ports, log, payload: stateReport(3, '1.3.1') });

    expect(alertsSent().map((notice) => 'details' in notice && notice.details)).toEqual([
      { firmware: '1.2.0', minimumFirmwareVersion: '1.4.0' },
      { firmware: '1.3.1', minimumFirmwareVersion: '1.4.0' },
    ]);
    expect(alertAudit().map((event) => [event.action, event.details.firmware])).toEqual([
      ['alert.firmware-outdated', '1.2.0'],
      ['alert.firmware-outdated', '1.3.1'],
    ]);
  });

  it('says nothing for firmware at or above the minimum, without a minimum, or for an out-of-order report', async () => {
    await handleDeviceEvent({ ports, log, payload: stateReport(1, '0.9.0') });
    minimum('1.4.0');
    await handleDeviceEvent({ ports, log, payload: stateReport(3, '1.4.0') });
    await handleDeviceEvent({ ports, log, payload: stateReport(2, '1.0.0') });

    expect(alertsSent()).toEqual([]);
  });

  it('finds the locks already running older firmware when an owner raises the minimum, once each', async () => {
    addLock(world.store, { id: 'lck_back' });
    await conditions.recordState({
      tenantId: 'tnt_a',
      lockId: 'lck_front',
      reportedAt: '2026-10-20T08:00:00.000Z',
      shadowVersion: 1,
      state: { firmware: '1.1.0' },
    });
    await conditions.recordState({
      tenantId: 'tnt_a',
      lockId: 'lck_back',
      reportedAt: '2026-10-20T08:00:00.000Z',
      shadowVersion: 1,
      state: { firmware: '2.0.0' },
    });

    const first = await alertLocksWithOutdatedFirmware({
      ports,
      tenantId: 'tnt_a',
      minimumFirmwareVersion: '1.5.0',
    });
    const again = await alertLocksWithOutdatedFirmware({
      ports,
      tenantId: 'tnt_a',
      minimumFirmwareVersion: '1.5.0',
    });

    expect(first.alerted).toEqual(['lck_front']);
    expect(again.alerted).toEqual([]);
    expect(alertsSent()).toHaveLength(1);
  });
});
