import { describe, expect, it } from 'vitest';
import { routes } from '#infra/routes.ts';
import { maxJsonBodyBytes } from '#shared/http/request.ts';
import { addLock, addProperty, addTeamMember, tenantA, tenantB } from '../domain/fakes.ts';
import { type Caller, documented, hostApi } from './host-api-harness.ts';

const owner: Caller = { tenantId: tenantA, userId: 'usr_owner' };
const manager: Caller = { tenantId: tenantA, userId: 'usr_manager', role: 'manager' };
const cleaner: Caller = { tenantId: tenantA, userId: 'usr_staff', role: 'staff' };
const otherOwner: Caller = { tenantId: tenantB, userId: 'usr_b_owner' };

const loft = {
  name: 'Canal loft',
  address: { line1: 'Kanalstrasse 5', city: 'Berlin', countryCode: 'de' },
  timeZone: 'Europe/Berlin',
};

const stay = {
  propertyId: 'prp_loft',
  guest: { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 1234 5678' },
  arrivalDate: '2026-10-24',
  departureDate: '2026-10-27',
};

/** Tenant A with an owner, a manager and a cleaner of the loft, its two locks; tenant B with its owner. */
function world() {
  const api = hostApi();
  addTeamMember(api.store, { role: 'owner' });
  addTeamMember(api.store, { role: 'manager' });
  addTeamMember(api.store, { role: 'staff', assignedPropertyIds: ['prp_loft'] });
  addTeamMember(api.store, { role: 'owner', tenantId: tenantB, userId: 'usr_b_owner' });
  addProperty(api.store);
  addLock(api.store, { id: 'lck_front' });
  addLock(api.store, { id: 'lck_flat' });
  return api;
}

const problemType = 'application/problem+json';

describe('who may call', () => {
  it('answers 401 problem+json without verified claims', async () => {
    const api = world();

    const answer = await api.call('GET /properties');

    expect(answer.status).toBe(401);
    expect(answer.headers['content-type']).toBe(problemType);
  });

  it('answers 401 to a signed-in user who is not on the team of the token’s tenant', async () => {
    const api = world();

    const answer = await api.call('GET /properties', { as: { tenantId: tenantA, userId: 'usr_stranger' } });

    expect(answer.status).toBe(401);
  });

  it('takes the role from the team record, not from the token', async () => {
    const api = world();

    const answer = await api.call('POST /properties', { as: { ...cleaner, role: 'owner' }, body: loft });

    expect(answer.status).toBe(403);
    expect(api.store.commits).toHaveLength(0);
  });

  it('activates an invited member on their first request, since reaching the API means they enrolled TOTP', async () => {
    const api = world();
    addTeamMember(api.store, { role: 'manager', userId: 'usr_new', status: 'invited' });

    const answer = await api.call('GET /properties', { as: { tenantId: tenantA, userId: 'usr_new' } });

    expect(answer.status).toBe(200);
    expect(api.store.tables.teamMember.get(`${tenantA}/usr_new`)?.status).toBe('active');
  });

  it('answers 401 to a removed member whose token is still valid', async () => {
    const api = world();
    addTeamMember(api.store, { role: 'manager', userId: 'usr_gone', status: 'removed' });

    const answer = await api.call('GET /properties', { as: { tenantId: tenantA, userId: 'usr_gone' } });

    expect(answer.status).toBe(401);
  });
});

describe('properties', () => {
  it('creates a property and answers it as documented, with its location', async () => {
    const api = world();

    const answer = await api.call('POST /properties', { as: manager, body: loft });

    expect(answer.status).toBe(201);
    const property = documented('POST /properties', answer);
    expect(property).toMatchObject({ name: 'Canal loft', timeZone: 'Europe/Berlin', checkInTime: '15:00' });
    expect(property.address.countryCode).toBe('DE');
    expect(answer.headers.location).toBe(`/properties/${property.id}`);
  });

  it('answers 400 naming each failing field, and writes nothing', async () => {
    const api = world();

    const answer = await api.call('POST /properties', {
      as: owner,
      body: { ...loft, name: '', timeZone: 'Mars/Olympus', codePushLeadHours: 0 },
    });

    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toBe(problemType);
    expect(answer.body.errors.map((problem: { field: string }) => problem.field).sort()).toEqual([
      'codePushLeadHours',
      'name',
      'timeZone',
    ]);
    expect(api.store.commits).toHaveLength(0);
  });

  it('answers 415 for a body that is not JSON and 400 for broken JSON', async () => {
    const api = world();

    const form = await api.call('POST /properties', {
      as: owner,
      body: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const broken = await api.call('POST /properties', { as: owner, body: '{"name":' });

    expect(form.status).toBe(415);
    expect(broken.status).toBe(400);
    expect(broken.body.errors).toEqual([{ field: 'body', message: 'Not valid JSON' }]);
  });

  it('answers 413 for a body over the limit', async () => {
    const api = world();

    const answer = await api.call('POST /properties', {
      as: owner,
      body: { ...loft, name: 'x'.repeat(maxJsonBodyBytes) },
    });

    expect(answer.status).toBe(413);
  });

  it('answers 404 for another tenant’s property, the same as for a missing one', async () => {
    const api = world();

    const theirs = await api.call('GET /properties/{propertyId}', {
      as: otherOwner,
      path: { propertyId: 'prp_loft' },
    });
    const missing = await api.call('GET /properties/{propertyId}', {
      as: owner,
      path: { propertyId: 'prp_none' },
    });

    expect(theirs.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(theirs.body.title).toBe(missing.body.title);
  });

  it('lists a cleaner only their assigned properties', async () => {
    const api = world();
    addProperty(api.store, { id: 'prp_villa', name: 'Villa' });

    const forCleaner = await api.call('GET /properties', { as: cleaner });
    const forOwner = await api.call('GET /properties', { as: owner });

    expect(
      documented('GET /properties', forCleaner).items.map((property: { id: string }) => property.id),
    ).toEqual(['prp_loft']);
    expect(forOwner.body.items).toHaveLength(2);
  });

  it('pages with an opaque cursor and refuses a bad limit naming the query field', async () => {
    const api = world();
    addProperty(api.store, { id: 'prp_villa', name: 'Villa' });

    const first = await api.call('GET /properties', { as: owner, query: { limit: '1' } });
    const second = await api.call('GET /properties', {
      as: owner,
      query: { limit: '1', cursor: first.body.nextCursor },
    });
    const bad = await api.call('GET /properties', { as: owner, query: { limit: '1000' } });

    expect(first.body.items).toHaveLength(1);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('query.limit');
  });

  it('changes a property with PATCH, and a cleaner may not', async () => {
    const api = world();

    const changed = await api.call('PATCH /properties/{propertyId}', {
      as: owner,
      path: { propertyId: 'prp_loft' },
      body: { checkInTime: '16:00' },
    });
    const refused = await api.call('PATCH /properties/{propertyId}', {
      as: cleaner,
      path: { propertyId: 'prp_loft' },
      body: { checkInTime: '17:00' },
    });

    expect(changed.status).toBe(200);
    expect(documented('PATCH /properties/{propertyId}', changed).checkInTime).toBe('16:00');
    expect(refused.status).toBe(403);
  });
});

describe('Idempotency-Key', () => {
  const key = { 'idempotency-key': 'c0ffee00-0000-4000-8000-000000000001' };

  it('creates once for a key; the repeat answers the first result and says it is a replay', async () => {
    const api = world();

    const first = await api.call('POST /properties', { as: owner, body: loft, headers: key });
    const again = await api.call('POST /properties', { as: owner, body: loft, headers: key });

    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(api.store.all('property', tenantA)).toHaveLength(2);
  });

  it('refuses the same key with another body with 409, creating nothing', async () => {
    const api = world();
    await api.call('POST /properties', { as: owner, body: loft, headers: key });

    const answer = await api.call('POST /properties', {
      as: owner,
      body: { ...loft, name: 'Other' },
      headers: key,
    });

    expect(answer.status).toBe(409);
    expect(
      api.store
        .all('property', tenantA)
        .map((property) => property.name)
        .sort(),
    ).toEqual(['Altbau loft', 'Canal loft']);
  });

  it('creates twice without a key', async () => {
    const api = world();

    await api.call('POST /properties', { as: owner, body: loft });
    await api.call('POST /properties', { as: owner, body: loft });

    expect(api.store.all('property', tenantA)).toHaveLength(3);
  });

  it('remembers nothing of a failed request, so the client can fix it and retry with the same key', async () => {
    const api = world();

    const failed = await api.call('POST /properties', {
      as: owner,
      body: { ...loft, name: '' },
      headers: key,
    });
    const fixed = await api.call('POST /properties', {
      as: owner,
      body: { ...loft, name: '' },
      headers: key,
    });

    expect(failed.status).toBe(400);
    expect(fixed.status).toBe(400);
    expect(api.idempotencyRecords.size).toBe(0);
  });

  it('keeps keys apart per tenant', async () => {
    const api = world();

    await api.call('POST /properties', { as: owner, body: loft, headers: key });
    const theirs = await api.call('POST /properties', { as: otherOwner, body: loft, headers: key });

    expect(theirs.status).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(api.store.all('property', tenantB)).toHaveLength(1);
  });

  it('refuses a malformed key naming the header', async () => {
    const api = world();

    const answer = await api.call('POST /properties', {
      as: owner,
      body: loft,
      headers: { 'idempotency-key': 'has spaces in it' },
    });

    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].field).toBe('headers.idempotency-key');
  });
});

describe('locks', () => {
  const frontDoor = { propertyId: 'prp_loft', name: 'Garden door', connectivity: 'wifi' };

  it('registers a lock and answers the installer bundle once; a replay answers the lock without it', async () => {
    const api = world();
    const headers = { 'idempotency-key': 'register-garden-door' };

    const first = await api.call('POST /locks', { as: manager, body: frontDoor, headers });
    const replay = await api.call('POST /locks', { as: manager, body: frontDoor, headers });

    expect(first.status).toBe(201);
    const registration = documented('POST /locks', first);
    expect(registration.installerBundle?.privateKeyPem).toContain('PRIVATE KEY');
    expect(first.headers['cache-control']).toBe('no-store');
    expect(replay.body.lock).toEqual(first.body.lock);
    expect(replay.body.installerBundle).toBeNull();
    expect(api.devices.provisioned).toHaveLength(1);
    const stored = JSON.stringify([...api.idempotencyRecords.values()].map((record) => record.responseData));
    expect(stored).not.toContain('PRIVATE KEY');
  });

  it('lists a property’s locks, and refuses a list without a property naming the query field', async () => {
    const api = world();

    const listed = await api.call('GET /locks', { as: cleaner, query: { propertyId: 'prp_loft' } });
    const unnamed = await api.call('GET /locks', { as: owner });

    expect(
      documented('GET /locks', listed)
        .items.map((lock: { id: string }) => lock.id)
        .sort(),
    ).toEqual(['lck_flat', 'lck_front']);
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.errors[0].field).toBe('query.propertyId');
  });

  it('rotates credentials into a new bundle; a cleaner may not', async () => {
    const api = world();

    const rotated = await api.call('POST /locks/{lockId}/rotate-credentials', {
      as: owner,
      path: { lockId: 'lck_front' },
    });
    const refused = await api.call('POST /locks/{lockId}/rotate-credentials', {
      as: cleaner,
      path: { lockId: 'lck_front' },
    });

    expect(documented('POST /locks/{lockId}/rotate-credentials', rotated).lock.credentials.keyVersion).toBe(
      2,
    );
    expect(refused.status).toBe(403);
  });
});

describe('bookings', () => {
  it('enters a booking with its grant and a code per lock, as documented', async () => {
    const api = world();

    const answer = await api.call('POST /bookings', { as: manager, body: stay });

    expect(answer.status).toBe(201);
    const result = documented('POST /bookings', answer);
    expect(result.grant.window).toEqual({
      startsAt: '2026-10-24T13:00:00.000Z',
      endsAt: '2026-10-27T10:00:00.000Z',
    });
    expect(result.accessCodes.map((code: { lockId: string }) => code.lockId).sort()).toEqual([
      'lck_flat',
      'lck_front',
    ]);
  });

  it('answers the same reservation entered again with 200 and the booking as it is', async () => {
    const api = world();
    const fromChannel = { ...stay, source: 'webhook', sourceReservationId: 'HM-1' };
    const first = await api.call('POST /bookings', { as: owner, body: fromChannel });

    const again = await api.call('POST /bookings', { as: owner, body: fromChannel });

    expect(again.status).toBe(200);
    expect(again.body.booking.id).toBe(first.body.booking.id);
    expect(api.store.all('booking', tenantA)).toHaveLength(1);
  });

  it('answers 400 naming the failing fields of a booking', async () => {
    const api = world();

    const answer = await api.call('POST /bookings', {
      as: owner,
      body: { ...stay, guest: { name: 'Ada', email: 'not-an-email' }, departureDate: '24.10.2026' },
    });

    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((problem: { field: string }) => problem.field).sort()).toEqual([
      'departureDate',
      'guest.email',
    ]);
  });

  it('shows an owner the booking with its grant and codes, and a cleaner only the schedule', async () => {
    const api = world();
    const { body } = await api.call('POST /bookings', { as: owner, body: stay });
    const path = { bookingId: body.booking.id };

    const forOwner = await api.call('GET /bookings/{bookingId}', { as: owner, path });
    const forCleaner = await api.call('GET /bookings/{bookingId}', { as: cleaner, path });

    const detail = documented('GET /bookings/{bookingId}', forOwner);
    expect(detail.grant?.accessCodes).toHaveLength(2);
    expect(detail.booking.guest.email).toBe('ada@example.com');
    expect(forCleaner.body.booking.guest).toEqual({ name: 'Ada Lovelace' });
    expect(forCleaner.body.grant).toBeUndefined();
  });

  it('moves the grant and codes with a modified stay and keeps the PIN', async () => {
    const api = world();
    const { body } = await api.call('POST /bookings', { as: owner, body: stay });

    const answer = await api.call('PATCH /bookings/{bookingId}', {
      as: owner,
      path: { bookingId: body.booking.id },
      body: { departureDate: '2026-10-28' },
    });

    const result = documented('PATCH /bookings/{bookingId}', answer);
    expect(result.grant.window.endsAt).toBe('2026-10-28T10:00:00.000Z');
    expect(result.accessCodes.map((code: { pin: string }) => code.pin)).toEqual(
      body.accessCodes.map((code: { pin: string }) => code.pin),
    );
  });

  it('cancels a booking with an empty body: the grant is revoked and the codes are withdrawn', async () => {
    const api = world();
    const { body } = await api.call('POST /bookings', { as: owner, body: stay });

    const answer = await api.call('POST /bookings/{bookingId}/cancel', {
      as: owner,
      path: { bookingId: body.booking.id },
    });

    const result = documented('POST /bookings/{bookingId}/cancel', answer);
    expect(result.booking.status).toBe('cancelled');
    expect(result.grant.revocation?.reason).toBeDefined();
    expect(result.accessCodes.every((code: { status: string }) => code.status === 'removed')).toBe(true);
  });

  it('refuses a change to a cancelled booking with 409, changing nothing', async () => {
    const api = world();
    const { body } = await api.call('POST /bookings', { as: owner, body: stay });
    const path = { bookingId: body.booking.id };
    await api.call('POST /bookings/{bookingId}/cancel', { as: owner, path });
    const commits = api.store.commits.length;

    const answer = await api.call('PATCH /bookings/{bookingId}', {
      as: owner,
      path,
      body: { departureDate: '2026-10-29' },
    });

    expect(answer.status).toBe(409);
    expect(api.store.commits).toHaveLength(commits);
  });

  it('filters the schedule by dates and by part of the guest’s name', async () => {
    const api = world();
    await api.call('POST /bookings', { as: owner, body: stay });
    await api.call('POST /bookings', {
      as: owner,
      body: {
        ...stay,
        guest: { name: 'Grace Hopper' },
        arrivalDate: '2026-11-02',
        departureDate: '2026-11-05',
      },
    });

    const untilOctober = await api.call('GET /bookings', {
      as: owner,
      query: { propertyId: 'prp_loft', to: '2026-10-31' },
    });
    const grace = await api.call('GET /bookings', {
      as: cleaner,
      query: { propertyId: 'prp_loft', guest: 'grace' },
    });
    const backwards = await api.call('GET /bookings', {
      as: owner,
      query: { propertyId: 'prp_loft', from: '2026-11-01', to: '2026-10-01' },
    });

    expect(
      documented('GET /bookings', untilOctober).items.map(
        (booking: { guest: { name: string } }) => booking.guest.name,
      ),
    ).toEqual(['Ada Lovelace']);
    expect(grace.body.items.map((booking: { guest: { name: string } }) => booking.guest.name)).toEqual([
      'Grace Hopper',
    ]);
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors[0].field).toBe('query.to');
  });
});

describe('grants', () => {
  it('issues a delivery code for a few hours, one use', async () => {
    const api = world();

    const answer = await api.call('POST /grants', {
      as: manager,
      body: { kind: 'delivery', propertyId: 'prp_loft', label: 'Groceries', durationHours: 3 },
    });

    expect(answer.status).toBe(201);
    const result = documented('POST /grants', answer);
    expect(result.grant).toMatchObject({ kind: 'delivery', singleUse: true });
    expect(result.accessCodes).toHaveLength(2);
  });

  it('issues emergency access and tells every owner', async () => {
    const api = world();

    const answer = await api.call('POST /grants', {
      as: manager,
      body: {
        kind: 'emergency',
        propertyId: 'prp_loft',
        contact: { name: 'Neighbour Nell', phone: '+49 30 555' },
        reason: 'Water leak reported by the flat below',
      },
    });

    expect(answer.status).toBe(201);
    expect(answer.body.ownersNotified).toBe(1);
    expect(api.notifier.sent).toHaveLength(1);
  });

  it('refuses a cleaner issuing a delivery code with 403 before reading the body', async () => {
    const api = world();

    const answer = await api.call('POST /grants', { as: cleaner, body: { kind: 'delivery' } });

    expect(answer.status).toBe(403);
  });

  it('refuses a permanent code from a manager with 403', async () => {
    const api = world();

    const answer = await api.call('POST /grants', {
      as: manager,
      body: { kind: 'permanent', propertyId: 'prp_loft' },
    });

    expect(answer.status).toBe(403);
  });

  it('revokes a grant and withdraws its codes; revoking again changes nothing', async () => {
    const api = world();
    const { body } = await api.call('POST /grants', {
      as: owner,
      body: { kind: 'delivery', propertyId: 'prp_loft', label: 'Parcel' },
    });
    const path = { grantId: body.grant.id };

    const revoked = await api.call('POST /grants/{grantId}/revoke', {
      as: owner,
      path,
      body: { reason: 'Delivered' },
    });
    const again = await api.call('POST /grants/{grantId}/revoke', { as: owner, path });
    const read = await api.call('GET /grants/{grantId}', { as: owner, path });

    expect(revoked.status).toBe(200);
    expect(again.status).toBe(200);
    expect(documented('GET /grants/{grantId}', read).status).toBe('revoked');
  });

  it('lists a cleaner their own grants without a property, and refuses them every grant of a property', async () => {
    const api = world();

    const own = await api.call('GET /grants', { as: cleaner });
    const all = await api.call('GET /grants', { as: cleaner, query: { propertyId: 'prp_loft' } });

    expect(documented('GET /grants', own).items).toEqual([]);
    expect(all.status).toBe(403);
  });
});

describe('the team', () => {
  it('lets an owner invite a member, and nobody else', async () => {
    const api = world();
    const invitation = {
      email: 'Cleo@Example.com',
      name: 'Cleo',
      role: 'staff',
      assignedPropertyIds: ['prp_loft'],
    };

    const invited = await api.call('POST /users', { as: owner, body: invitation });
    const byManager = await api.call('POST /users', {
      as: manager,
      body: { ...invitation, email: 'x@example.com' },
    });

    expect(invited.status).toBe(201);
    expect(documented('POST /users', invited)).toMatchObject({
      email: 'cleo@example.com',
      status: 'invited',
    });
    expect(byManager.status).toBe(403);
    expect(api.identities.invited).toHaveLength(1);
  });

  it('answers 409 when the email is already on the team', async () => {
    const api = world();

    const answer = await api.call('POST /users', {
      as: owner,
      body: { email: 'usr_manager@example.com', name: 'Again', role: 'manager' },
    });

    expect(answer.status).toBe(409);
  });

  it('changes a member’s role and properties in one PATCH', async () => {
    const api = world();
    addProperty(api.store, { id: 'prp_villa', name: 'Villa' });

    const answer = await api.call('PATCH /users/{userId}', {
      as: owner,
      path: { userId: 'usr_staff' },
      body: { role: 'manager', assignedPropertyIds: ['prp_villa'] },
    });

    expect(documented('PATCH /users/{userId}', answer)).toMatchObject({
      role: 'manager',
      assignedPropertyIds: ['prp_villa'],
    });
    expect(api.identities.roles).toEqual([{ userId: 'usr_staff', role: 'manager' }]);
  });

  it('refuses unknown properties naming the field, and leaves the role as it was', async () => {
    const api = world();

    const answer = await api.call('PATCH /users/{userId}', {
      as: owner,
      path: { userId: 'usr_staff' },
      body: { role: 'manager', assignedPropertyIds: ['prp_loft', 'prp_nowhere'] },
    });

    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      { field: 'assignedPropertyIds.1', message: 'No property prp_nowhere' },
    ]);
    expect(api.store.tables.teamMember.get(`${tenantA}/usr_staff`)?.role).toBe('staff');
    expect(api.identities.roles).toEqual([]);
  });

  it('refuses to demote the last owner with 409', async () => {
    const api = world();

    const answer = await api.call('PATCH /users/{userId}', {
      as: owner,
      path: { userId: 'usr_owner' },
      body: { role: 'manager' },
    });

    expect(answer.status).toBe(409);
  });

  it('removes a member: their sign-in is disabled', async () => {
    const api = world();

    const answer = await api.call('DELETE /users/{userId}', { as: owner, path: { userId: 'usr_staff' } });

    expect(documented('DELETE /users/{userId}', answer).member.status).toBe('removed');
    expect(api.identities.disabled).toEqual(['usr_staff']);
  });

  it('shows the team to owners and managers, not to cleaners', async () => {
    const api = world();

    const forManager = await api.call('GET /users', { as: manager });
    const forCleaner = await api.call('GET /users', { as: cleaner });

    expect(documented('GET /users', forManager).items).toHaveLength(3);
    expect(forCleaner.status).toBe(403);
  });
});

describe('the audit log', () => {
  it('reads a lock’s events, newest first, and refuses a property and a lock at once', async () => {
    const api = world();
    await api.call('POST /bookings', { as: owner, body: stay });

    const forLock = await api.call('GET /audit', { as: manager, query: { lockId: 'lck_front' } });
    const both = await api.call('GET /audit', {
      as: owner,
      query: { lockId: 'lck_front', propertyId: 'prp_loft' },
    });
    const forCleaner = await api.call('GET /audit', { as: cleaner });

    const events = documented('GET /audit', forLock).items;
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((event: { lockId?: string }) => event.lockId === 'lck_front')).toBe(true);
    expect(both.status).toBe(400);
    expect(both.body.errors[0].field).toBe('query.lockId');
    expect(forCleaner.status).toBe(403);
  });

  it('answers 404 for another tenant’s lock', async () => {
    const api = world();

    const answer = await api.call('GET /audit', { as: otherOwner, query: { lockId: 'lck_front' } });

    expect(answer.status).toBe(404);
  });
});

describe('client mistakes', () => {
  const hostRouteKeys = routes.filter((route) => route.auth === 'host' && route.path !== '/me');
  const junkBodies: unknown[] = [
    null,
    [],
    'text',
    42,
    { propertyId: 7 },
    { kind: 'teleport' },
    { role: 'king' },
  ];

  it.each(hostRouteKeys.map((route) => `${route.method} ${route.path}`))(
    '%s never answers 500 to junk input',
    async (key) => {
      const api = world();
      const path = {
        propertyId: 'prp_loft',
        lockId: 'lck_front',
        bookingId: 'bkg_x',
        grantId: 'gnt_x',
        userId: 'usr_staff',
      };
      for (const body of junkBodies) {
        const answer = await api.call(key, { as: owner, path, body, query: { limit: 'many', from: 'soon' } });
        expect(answer.status, JSON.stringify(body)).toBeLessThan(500);
        if (answer.status >= 400) expect(answer.headers['content-type']).toBe(problemType);
      }
    },
  );
});
