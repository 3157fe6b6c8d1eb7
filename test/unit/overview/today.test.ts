import { describe, expect, it } from 'vitest';
import type { OfflineCode } from '#shared/access/offline-code-issuance.ts';
import type { LockCondition } from '#shared/access/ports.ts';
import type { AccessCode } from '#shared/domain/access-code.ts';
import type { AuditEvent } from '#shared/domain/audit.ts';
import { cancelBooking, createBooking } from '#shared/domain/operations/bookings.ts';
import type { Integration } from '#shared/integrations/integration.ts';
import { readToday, type TodayPorts } from '#shared/overview/today.ts';
import { InMemoryOfflineCodes } from '../access/offline-code-fakes.ts';
import { addLock, addProperty, addTeamMember, member, type TestWorld, testWorld } from '../domain/fakes.ts';
import { InMemoryIntegrationStore } from '../integrations/integration-fakes.ts';

// 23:30 in Berlin on 26 November, already the 27th in Tokyo.
const now = '2026-11-26T22:30:00.000Z';
const owner = member({ role: 'owner' });
const manager = member({ role: 'manager' });

interface Today {
  world: TestWorld;
  ports: TodayPorts;
  conditions: Map<string, LockCondition>;
  integrations: InMemoryIntegrationStore;
  offlineCodes: InMemoryOfflineCodes;
}

function today(): Today {
  const world = testWorld({ now });
  addTeamMember(world.store, { role: 'owner' });
  addProperty(world.store);
  addProperty(world.store, { id: 'prp_tokyo', name: 'Tokyo flat', timeZone: 'Asia/Tokyo' });
  addLock(world.store, { id: 'lck_front', name: 'Front door' });
  addLock(world.store, { id: 'lck_shed', name: 'Shed', connectivity: 'bluetooth' });
  addLock(world.store, { id: 'lck_tokyo', name: 'Entrance', propertyId: 'prp_tokyo' });
  const conditions = new Map<string, LockCondition>();
  const integrations = new InMemoryIntegrationStore();
  const offlineCodes = new InMemoryOfflineCodes();
  const ports: TodayPorts = {
    ...world.ports,
    conditions: { get: async ({ lockId }) => conditions.get(lockId) },
    integrations,
    offlineCodes,
  };
  return { world, ports, conditions, integrations, offlineCodes };
}

async function book(
  { world }: Today,
  stay: { propertyId?: string; guest: string; arrivalDate: string; departureDate: string },
) {
  return createBooking({
    ports: world.ports,
    principal: owner,
    input: {
      propertyId: stay.propertyId ?? 'prp_loft',
      guest: { name: stay.guest, email: 'guest@example.com' },
      arrivalDate: stay.arrivalDate,
      departureDate: stay.departureDate,
    },
  });
}

function setCode(world: TestWorld, code: AccessCode, change: Partial<AccessCode>) {
  world.store.put('accessCode', { ...code, ...change, version: code.version + 1 });
}

describe('the day at a glance', () => {
  it('lists arrivals and departures by each property’s own today, with their times', async () => {
    const setup = today();
    await book(setup, { guest: 'Arriving Berlin', arrivalDate: '2026-11-26', departureDate: '2026-11-29' });
    await book(setup, { guest: 'Later Berlin', arrivalDate: '2026-11-28', departureDate: '2026-11-30' });
    await book(setup, { guest: 'Too late', arrivalDate: '2026-11-29', departureDate: '2026-12-02' });
    await book(setup, { guest: 'Leaving Berlin', arrivalDate: '2026-11-20', departureDate: '2026-11-27' });
    await book(setup, { guest: 'Gone yesterday', arrivalDate: '2026-11-20', departureDate: '2026-11-25' });
    await book(setup, {
      propertyId: 'prp_tokyo',
      guest: 'Yesterday in Tokyo',
      arrivalDate: '2026-11-26',
      departureDate: '2026-11-28',
    });
    await book(setup, {
      propertyId: 'prp_tokyo',
      guest: 'Today in Tokyo',
      arrivalDate: '2026-11-27',
      departureDate: '2026-11-28',
    });

    const summary = await readToday({ ports: setup.ports, principal: owner, query: { days: 3 } });

    expect(summary.properties).toEqual([
      expect.objectContaining({ id: 'prp_loft', today: '2026-11-26', until: '2026-11-28' }),
      expect.objectContaining({ id: 'prp_tokyo', today: '2026-11-27', until: '2026-11-29' }),
    ]);
    expect(summary.arrivals.map((stay) => stay.guestName)).toEqual([
      'Arriving Berlin',
      'Today in Tokyo',
      'Later Berlin',
    ]);
    expect(summary.arrivals[0]?.checkInAt).toBe('2026-11-26T14:00:00.000Z');
    expect(summary.departures.map((stay) => stay.guestName)).toEqual([
      'Leaving Berlin',
      'Yesterday in Tokyo',
      'Today in Tokyo',
    ]);
  });

  it('leaves out cancelled stays', async () => {
    const setup = today();
    const { booking } = await book(setup, {
      guest: 'Cancelled',
      arrivalDate: '2026-11-26',
      departureDate: '2026-11-27',
    });
    await cancelBooking({ ports: setup.world.ports, principal: owner, bookingId: booking.id, input: {} });

    const summary = await readToday({ ports: setup.ports, principal: owner, query: {} });

    expect(summary.arrivals).toEqual([]);
    expect(summary.departures).toEqual([]);
  });

  it('shows each lock’s code state, with what to do when a code failed', async () => {
    const setup = today();
    const { accessCodes } = await book(setup, {
      guest: 'Ada',
      arrivalDate: '2026-11-27',
      departureDate: '2026-11-29',
    });
    const front = accessCodes.find((code) => code.lockId === 'lck_front');
    if (!front) throw new Error('No code on the front door');
    setCode(setup.world, front, {
      status: 'failed',
      failure: { reason: 'lock-offline', during: 'setting', at: now },
    });

    const summary = await readToday({ ports: setup.ports, principal: owner, query: {} });

    const codes = summary.arrivals[0]?.codes;
    expect(codes).toEqual([
      expect.objectContaining({
        lockId: 'lck_front',
        state: 'failed',
        failureReason: 'lock-offline',
        needsAction: true,
      }),
      expect.objectContaining({ lockId: 'lck_shed', state: 'offline-code', needsAction: false }),
    ]);
    expect(codes?.[0]?.advice).toMatch(/offline/);
    expect(codes?.[1]?.advice).toMatch(/offline code/);
  });

  it('says when the guest holds an offline code instead of a PIN not set, and only for the stay’s current window', async () => {
    const setup = today();
    const { grant, accessCodes } = await book(setup, {
      guest: 'Grace',
      arrivalDate: '2026-11-27',
      departureDate: '2026-11-29',
    });
    const front = accessCodes.find((code) => code.lockId === 'lck_front');
    if (!front) throw new Error('No code on the front door');
    setCode(setup.world, front, {
      status: 'failed',
      failure: { reason: 'not-confirmed-in-time', during: 'setting', at: now },
    });
    const offline = (
      lockId: string,
      purpose: OfflineCode['purpose'],
      grantWindow: OfflineCode['grantWindow'],
    ) =>
      setup.offlineCodes.save({
        code: {
          tenantId: owner.tenantId,
          id: `ofc_${grant.id}_${lockId}`,
          grantId: grant.id,
          lockId,
          propertyId: 'prp_loft',
          code: '12345678',
          purpose,
          keyVersion: 1,
          startHour: 0,
          durationClass: 0,
          validFrom: grantWindow.startsAt,
          validUntil: grantWindow.endsAt ?? now,
          firstUseBefore: grantWindow.endsAt ?? now,
          grantWindow,
          version: 1,
          createdAt: now,
          updatedAt: now,
        },
        auditEvents: [],
      });
    await offline('lck_front', 'readiness-fallback', grant.window);
    await offline('lck_shed', 'bluetooth-lock', {
      startsAt: '2026-10-01T14:00:00.000Z',
      endsAt: '2026-10-03T10:00:00.000Z',
    });

    const summary = await readToday({ ports: setup.ports, principal: owner, query: {} });

    const [frontCode, shedCode] = summary.arrivals[0]?.codes ?? [];
    expect(frontCode).toMatchObject({ state: 'failed', offlineCode: true, needsAction: true });
    expect(frontCode?.advice).toMatch(/the guest has an offline code for this lock/);
    // Issued for a window the stay no longer has: not the guest's code.
    expect(shedCode).toMatchObject({ state: 'offline-code', offlineCode: false });
    expect(shedCode?.advice).toMatch(/issued with the guest’s access email/);
  });

  it('names locks that are offline, never connected, low on battery or locked out, and no healthy one', async () => {
    const setup = today();
    setup.conditions.set('lck_front', {
      connection: { online: false, since: '2026-11-26T20:00:00.000Z' },
      battery: 12,
    });
    setup.conditions.set('lck_shed', { battery: 80, keypadLockedOutUntil: '2026-11-26T23:00:00.000Z' });
    setup.conditions.set('lck_tokyo', { connection: { online: true, since: now }, battery: 90 });

    const summary = await readToday({ ports: setup.ports, principal: owner, query: {} });

    expect(summary.locks.map(({ lockId, problems }) => ({ lockId, problems }))).toEqual([
      { lockId: 'lck_front', problems: ['offline', 'low-battery'] },
      { lockId: 'lck_shed', problems: ['keypad-locked-out'] },
    ]);
    expect(summary.locks[0]?.condition.onlineSince).toBe('2026-11-26T20:00:00.000Z');
    expect(summary.lockNames).toEqual({ lck_front: 'Front door', lck_shed: 'Shed', lck_tokyo: 'Entrance' });
  });

  it('shows owners the failing and stale feeds, and managers none', async () => {
    const setup = today();
    const feed = (id: string, health: NonNullable<Integration['feed']>['health'], lastImportAt: string) =>
      setup.integrations.save({
        tenantId: owner.tenantId,
        id,
        kind: 'ical',
        name: id,
        listings: {},
        secrets: [],
        feed: {
          url: 'https://example.com/a.ics',
          propertyId: 'prp_loft',
          snapshot: [],
          health,
          lastImportAt,
        },
        createdAt: now,
        updatedAt: now,
        version: 1,
      });
    await feed('failing', { status: 'failed', reason: 'HTTP 404' }, '2026-11-26T22:00:00.000Z');
    await feed('stale', { status: 'healthy' }, '2026-11-25T10:00:00.000Z');
    await feed('fine', { status: 'healthy' }, '2026-11-26T22:00:00.000Z');
    addTeamMember(setup.world.store, { role: 'manager' });

    const forOwner = await readToday({ ports: setup.ports, principal: owner, query: {} });
    const forManager = await readToday({ ports: setup.ports, principal: manager, query: {} });

    expect(forOwner.integrations?.map(({ integrationId, status }) => ({ integrationId, status }))).toEqual([
      { integrationId: 'failing', status: 'failed' },
      { integrationId: 'stale', status: 'stale' },
    ]);
    expect(forManager.integrations).toBeNull();
  });

  it('shows the recent alerts from the audit log, newest first, and nothing older than a week', async () => {
    const setup = today();
    const event = (id: string, action: string, at: string): AuditEvent => ({
      tenantId: owner.tenantId,
      id,
      at,
      actor: { kind: 'device', lockId: 'lck_front' },
      action,
      target: { kind: 'lock', id: 'lck_front' },
      propertyId: 'prp_loft',
      lockId: 'lck_front',
      details: {},
    });
    setup.world.store.auditEvents.push(
      event('old', 'lock.battery-low', '2026-11-10T10:00:00.000Z'),
      event('battery', 'lock.battery-low', '2026-11-25T10:00:00.000Z'),
      event('opened', 'lock.unlocked', '2026-11-25T11:00:00.000Z'),
      event('lockout', 'lock.keypad-locked-out', '2026-11-26T10:00:00.000Z'),
    );

    const summary = await readToday({ ports: setup.ports, principal: owner, query: {} });

    expect(summary.alerts?.map(({ id }) => id)).toEqual(['lockout', 'battery']);
  });

  it('shows a cleaner only their assigned property, without codes, alerts or integrations', async () => {
    const setup = today();
    const cleaner = member({ role: 'staff', assignedPropertyIds: ['prp_tokyo'] });
    addTeamMember(setup.world.store, { role: 'staff', assignedPropertyIds: ['prp_tokyo'] });
    await book(setup, { guest: 'Berlin guest', arrivalDate: '2026-11-26', departureDate: '2026-11-27' });
    await book(setup, {
      propertyId: 'prp_tokyo',
      guest: 'Tokyo guest',
      arrivalDate: '2026-11-27',
      departureDate: '2026-11-28',
    });

    const summary = await readToday({ ports: setup.ports, principal: cleaner, query: {} });

    expect(summary.properties.map(({ id }) => id)).toEqual(['prp_tokyo']);
    expect(summary.arrivals).toEqual([expect.objectContaining({ guestName: 'Tokyo guest' })]);
    expect(summary.arrivals[0]?.codes).toBeUndefined();
    expect(summary.alerts).toBeNull();
    expect(summary.integrations).toBeNull();
  });

  it('refuses a number of days it does not cover', async () => {
    const setup = today();

    await expect(readToday({ ports: setup.ports, principal: owner, query: { days: 40 } })).rejects.toThrow(
      /query is not valid/,
    );
  });
});
