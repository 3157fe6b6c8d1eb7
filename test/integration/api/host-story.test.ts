/**
 * A host's first days with Lockstay, through the host API of the running local cloud (DynamoDB Local,
 * cognito-local, the local IoT Core): properties and locks, a manager and a cleaner invited and signed in with
 * password and TOTP, bookings entered, changed and cancelled with their grant and codes following, a delivery
 * code and emergency access, and the audit log of all of it. The steps build on each other, in order.
 */
import { describe, expect, inject, it } from 'vitest';
import {
  demoOwner,
  finishSignUp,
  type HostApiClient,
  hostApiClient,
  idTokenOf,
} from '../../support/hosts.ts';
import { cognitoClient } from '../../support/local-cloud.ts';

const endpoints = inject('endpoints');
const unique = Date.now().toString(36);

describe('a host runs their business through the API', () => {
  let owner: HostApiClient;
  let manager: HostApiClient;
  let cleaner: HostApiClient;
  let cleanerUserId: string;
  let loftId: string;
  let villaId: string;
  let keypadLockId: string;
  let bookingId: string;
  let firstPin: string;

  it('the owner signs in with password and TOTP and creates two properties', async () => {
    owner = hostApiClient(endpoints, await idTokenOf(endpoints, await demoOwner(endpoints)));

    const loft = await owner.request('POST', '/properties', {
      body: {
        name: `Canal loft ${unique}`,
        address: { line1: 'Kanalstrasse 5', city: 'Berlin', countryCode: 'DE' },
        timeZone: 'Europe/Berlin',
      },
    });
    const villa = await owner.request('POST', '/properties', {
      body: {
        name: `Villa ${unique}`,
        address: { line1: 'Rua 1', city: 'Lisboa', countryCode: 'PT' },
        timeZone: 'Europe/Lisbon',
        checkInTime: '16:00',
      },
    });

    expect(loft.status).toBe(201);
    expect(villa.status).toBe(201);
    loftId = loft.body.id;
    villaId = villa.body.id;
    const listed = await owner.request('GET', '/properties', { query: { limit: '100' } });
    expect(listed.body.items.map((property: { id: string }) => property.id)).toEqual(
      expect.arrayContaining([loftId, villaId]),
    );
  });

  it('registers locks; each answers its installer bundle from the local CA once', async () => {
    const keypad = await owner.request('POST', '/locks', {
      body: { propertyId: loftId, name: 'Front door', connectivity: 'wifi' },
      headers: { 'idempotency-key': `front-door-${unique}` },
    });
    const bluetooth = await owner.request('POST', '/locks', {
      body: {
        propertyId: loftId,
        name: 'Storage room',
        connectivity: 'bluetooth',
        codeConstraints: { pinLength: 4 },
      },
    });
    const replay = await owner.request('POST', '/locks', {
      body: { propertyId: loftId, name: 'Front door', connectivity: 'wifi' },
      headers: { 'idempotency-key': `front-door-${unique}` },
    });

    expect(keypad.status).toBe(201);
    expect(bluetooth.status).toBe(201);
    keypadLockId = keypad.body.lock.id;
    const bundle = keypad.body.installerBundle;
    expect(bundle.certificatePem).toContain('BEGIN CERTIFICATE');
    expect(bundle.privateKeyPem).toContain('PRIVATE KEY');
    expect(bundle.endpoint).toMatch(/^mqtts:\/\//);
    expect(Buffer.from(bundle.deviceKey, 'base64')).toHaveLength(32);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.lock.id).toBe(keypadLockId);
    expect(replay.body.installerBundle).toBeNull();
    const locks = await owner.request('GET', '/locks', { query: { propertyId: loftId } });
    expect(locks.body.items).toHaveLength(2);
  });

  it('invites a manager and a cleaner, who sign in with password and TOTP', async () => {
    const cognito = cognitoClient(endpoints);
    const managerEmail = `manager-${unique}@example.com`;
    const cleanerEmail = `cleaner-${unique}@example.com`;

    const invitedManager = await owner.request('POST', '/users', {
      body: { email: managerEmail, name: 'Maria Manager', role: 'manager' },
    });
    const invitedCleaner = await owner.request('POST', '/users', {
      body: { email: cleanerEmail, name: 'Cleo Cleaner', role: 'staff', assignedPropertyIds: [loftId] },
    });

    expect(invitedManager.status).toBe(201);
    expect(invitedCleaner.body).toMatchObject({ status: 'invited', role: 'staff' });
    cleanerUserId = invitedCleaner.body.userId;
    manager = hostApiClient(
      endpoints,
      await idTokenOf(endpoints, await finishSignUp({ cognito, endpoints, email: managerEmail })),
    );
    cleaner = hostApiClient(
      endpoints,
      await idTokenOf(endpoints, await finishSignUp({ cognito, endpoints, email: cleanerEmail })),
    );
    const cleanersProperties = await cleaner.request('GET', '/properties');
    expect(cleanersProperties.body.items.map((property: { id: string }) => property.id)).toEqual([loftId]);
    const team = await owner.request('GET', '/users', { query: { limit: '100' } });
    const cleo = team.body.items.find((member: { userId: string }) => member.userId === cleanerUserId);
    expect(cleo.status).toBe('active');
    // Two people enrol an authenticator and sign in: slow work for the local user pool on a busy machine.
  }, 90_000);

  it('the manager enters a booking: a grant follows with a code for the keypad lock', async () => {
    const booking = {
      propertyId: loftId,
      guest: { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 1234 5678' },
      arrivalDate: '2027-03-26',
      departureDate: '2027-03-29',
    };
    const created = await manager.request('POST', '/bookings', {
      body: booking,
      headers: { 'idempotency-key': `ada-${unique}` },
    });
    const repeated = await manager.request('POST', '/bookings', {
      body: booking,
      headers: { 'idempotency-key': `ada-${unique}` },
    });

    expect(created.status).toBe(201);
    bookingId = created.body.booking.id;
    expect(repeated.body.booking.id).toBe(bookingId);
    // Berlin is on winter time on the 26th and summer time from the 28th: check-out 11:00 is 09:00Z.
    expect(created.body.grant.window).toEqual({
      startsAt: '2027-03-26T14:00:00.000Z',
      endsAt: '2027-03-29T09:00:00.000Z',
    });
    expect(created.body.accessCodes).toHaveLength(1);
    expect(created.body.accessCodes[0]).toMatchObject({ lockId: keypadLockId, status: 'scheduled' });
    firstPin = created.body.accessCodes[0].pin;
    expect(firstPin).toMatch(/^\d{6}$/);
  });

  it('a longer stay moves the grant and the code, with the same PIN', async () => {
    const changed = await manager.request('PATCH', `/bookings/${bookingId}`, {
      body: { departureDate: '2027-03-31' },
    });
    const read = await owner.request('GET', `/bookings/${bookingId}`);

    expect(changed.status).toBe(200);
    expect(read.body.grant.grant.window.endsAt).toBe('2027-03-31T09:00:00.000Z');
    expect(read.body.grant.accessCodes[0]).toMatchObject({
      pin: firstPin,
      window: read.body.grant.grant.window,
    });
  });

  it('the cleaner sees the stay on the schedule, without the guest’s contact details or the code', async () => {
    const schedule = await cleaner.request('GET', '/bookings', {
      query: { propertyId: loftId, guest: 'ada' },
    });
    const detail = await cleaner.request('GET', `/bookings/${bookingId}`);
    const villa = await cleaner.request('GET', '/bookings', { query: { propertyId: villaId } });

    expect(schedule.body.items.map((booking: { id: string }) => booking.id)).toEqual([bookingId]);
    expect(detail.body.booking.guest).toEqual({ name: 'Ada Lovelace' });
    expect(detail.body.grant).toBeUndefined();
    expect(villa.status).toBe(403);
  });

  it('cancelling the booking revokes the grant and takes the code back', async () => {
    const cancelled = await manager.request('POST', `/bookings/${bookingId}/cancel`, {
      body: { reason: 'Guest cancelled' },
    });
    const grant = await owner.request('GET', `/grants/${cancelled.body.grant.id}`);

    expect(cancelled.status).toBe(200);
    expect(cancelled.body.booking.status).toBe('cancelled');
    expect(grant.body.status).toBe('revoked');
    expect(grant.body.accessCodes.every((code: { status: string }) => code.status === 'removed')).toBe(true);
  });

  it('issues a delivery code and emergency access', async () => {
    const delivery = await manager.request('POST', '/grants', {
      body: { kind: 'delivery', propertyId: loftId, label: 'Groceries', durationHours: 2 },
    });
    const emergency = await manager.request('POST', '/grants', {
      body: {
        kind: 'emergency',
        propertyId: loftId,
        contact: { name: 'Neighbour Nell', phone: '+49 30 555 0100' },
        reason: 'Water dripping into the flat below',
      },
    });

    expect(delivery.status).toBe(201);
    expect(delivery.body.grant).toMatchObject({ kind: 'delivery', singleUse: true });
    expect(delivery.body.accessCodes).toHaveLength(1);
    expect(emergency.status).toBe(201);
    expect(emergency.body.ownersNotified).toBeGreaterThanOrEqual(1);
    const grants = await owner.request('GET', '/grants', { query: { propertyId: loftId } });
    expect(grants.body.items.map((item: { grant: { kind: string } }) => item.grant.kind)).toEqual(
      expect.arrayContaining(['delivery', 'emergency', 'booking']),
    );
  });

  it('the owner reads the audit log of the property and of the lock, newest first, page by page', async () => {
    const first = await owner.request('GET', '/audit', { query: { propertyId: loftId, limit: '5' } });
    const second = await owner.request('GET', '/audit', {
      query: { propertyId: loftId, limit: '5', cursor: first.body.nextCursor },
    });
    const everything = await owner.request('GET', '/audit', { query: { propertyId: loftId, limit: '100' } });
    const forLock = await owner.request('GET', '/audit', { query: { lockId: keypadLockId, limit: '100' } });

    expect(first.body.items).toHaveLength(5);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
    const actions = everything.body.items.map((event: { action: string }) => event.action);
    expect(actions).toEqual(
      expect.arrayContaining(['property.created', 'lock.registered', 'booking.created', 'grant.revoked']),
    );
    expect(actions.indexOf('grant.revoked')).toBeLessThan(actions.indexOf('booking.created'));
    expect(forLock.body.items.every((event: { lockId?: string }) => event.lockId === keypadLockId)).toBe(
      true,
    );
    expect(JSON.stringify(everything.body)).not.toContain(firstPin);
  });

  it('removing the cleaner ends their access to the API at once', async () => {
    const removed = await owner.request('DELETE', `/users/${cleanerUserId}`);
    const afterwards = await cleaner.request('GET', '/properties');

    expect(removed.status).toBe(200);
    expect(afterwards.status).toBe(401);
  });
});
