import { beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError, NotFoundError, NotPermittedError } from '#shared/domain/errors.ts';
import { createBooking } from '#shared/domain/operations/bookings.ts';
import {
  getBooking,
  getGrant,
  getProperty,
  listBookings,
  listGrants,
  listLocks,
  listProperties,
  readAuditLog,
} from '#shared/domain/operations/queries.ts';
import {
  addLock,
  addProperty,
  addTeamMember,
  issueCleanersTurnoverAfter,
  member,
  type TestWorld,
  tenantA,
  tenantB,
  testWorld,
} from '../fakes.ts';

const manager = member({ role: 'manager' });
const cleaner = member({ role: 'staff', userId: 'usr_cleaner', assignedPropertyIds: ['prp_loft'] });

let world: TestWorld;
let adaBookingId: string;
let adaGrantId: string;
let turnoverGrantId: string;

beforeEach(async () => {
  world = testWorld({ now: '2026-10-01T09:00:00.000Z' });
  addProperty(world.store);
  addProperty(world.store, { id: 'prp_villa', name: 'Villa' });
  addProperty(world.store, { id: 'prp_theirs', tenantId: tenantB, name: 'Not yours' });
  addLock(world.store, { id: 'lck_front' });
  addLock(world.store, { id: 'lck_villa', propertyId: 'prp_villa' });
  addTeamMember(world.store, { role: 'staff', userId: 'usr_cleaner', assignedPropertyIds: ['prp_loft'] });
  const ada = await createBooking({
    ports: world.ports,
    principal: manager,
    input: {
      propertyId: 'prp_loft',
      guest: { name: 'Ada', email: 'ada@example.com', phone: '+4930123456' },
      arrivalDate: '2026-10-24',
      departureDate: '2026-10-27',
    },
  });
  adaBookingId = ada.booking.id;
  adaGrantId = ada.grant.id;
  await createBooking({
    ports: world.ports,
    principal: manager,
    input: {
      propertyId: 'prp_loft',
      guest: { name: 'Grace' },
      arrivalDate: '2026-10-03',
      departureDate: '2026-10-05',
    },
  });
  const turnover = await issueCleanersTurnoverAfter(world, adaBookingId);
  turnoverGrantId = turnover.grant.id;
});

describe('properties and locks as each role sees them', () => {
  it("a manager sees all the business's properties, by name; a cleaner only theirs", async () => {
    const all = await listProperties({ ports: world.ports, principal: manager });
    expect(all.items.map((property) => property.id)).toEqual(['prp_loft', 'prp_villa']);
    const theirs = await listProperties({ ports: world.ports, principal: cleaner });
    expect(theirs.items.map((property) => property.id)).toEqual(['prp_loft']);
  });

  it("a cleaner may not open a property they are not assigned to; another business's is 'not found'", async () => {
    await expect(
      getProperty({ ports: world.ports, principal: cleaner, propertyId: 'prp_villa' }),
    ).rejects.toThrow(NotPermittedError);
    await expect(
      getProperty({ ports: world.ports, principal: manager, propertyId: 'prp_theirs' }),
    ).rejects.toThrow(NotFoundError);
  });

  it("lists a property's locks", async () => {
    const locks = await listLocks({ ports: world.ports, principal: cleaner, propertyId: 'prp_loft' });
    expect(locks.map((lock) => lock.id)).toEqual(['lck_front']);
  });

  it('pages are at most 100 long', async () => {
    await expect(
      listProperties({ ports: world.ports, principal: manager, page: { limit: 500 } }),
    ).rejects.toThrow(InvalidInputError);
    const first = await listProperties({ ports: world.ports, principal: manager, page: { limit: 1 } });
    expect(first.items).toHaveLength(1);
    const second = await listProperties({
      ports: world.ports,
      principal: manager,
      page: { limit: 1, cursor: first.nextCursor },
    });
    expect(second.items.map((property) => property.id)).toEqual(['prp_villa']);
    expect(second.nextCursor).toBeUndefined();
  });
});

describe('the schedule', () => {
  it('a cleaner sees arrivals and departures of their property without the guests contact details', async () => {
    const booking = await getBooking({ ports: world.ports, principal: cleaner, bookingId: adaBookingId });
    expect(booking.guest).toEqual({ name: 'Ada' });
    const full = await getBooking({ ports: world.ports, principal: manager, bookingId: adaBookingId });
    expect(full.guest).toMatchObject({ email: 'ada@example.com', phone: '+4930123456' });
  });

  it('is listed by arrival, from a date on', async () => {
    const schedule = await listBookings({
      ports: world.ports,
      principal: cleaner,
      filter: { propertyId: 'prp_loft' },
    });
    expect(schedule.items.map((booking) => booking.arrivalDate)).toEqual(['2026-10-03', '2026-10-24']);
    const later = await listBookings({
      ports: world.ports,
      principal: manager,
      filter: { propertyId: 'prp_loft', fromDate: '2026-10-10' },
    });
    expect(later.items.map((booking) => booking.arrivalDate)).toEqual(['2026-10-24']);
  });

  it("another business's property has no schedule to show", async () => {
    await expect(
      listBookings({ ports: world.ports, principal: manager, filter: { propertyId: 'prp_theirs' } }),
    ).rejects.toThrow(NotFoundError);
  });
});

describe('grants and their codes', () => {
  it('a manager sees a guest grant with its PINs and its status', async () => {
    const view = await getGrant({ ports: world.ports, principal: manager, grantId: adaGrantId });
    expect(view.status).toBe('upcoming');
    expect(view.accessCodes?.map((code) => code.pin)).toEqual([expect.stringMatching(/^\d{6}$/)]);
  });

  it('a cleaner sees their own turnover and its code, but never a guest grant', async () => {
    const own = await getGrant({ ports: world.ports, principal: cleaner, grantId: turnoverGrantId });
    expect(own.accessCodes).toHaveLength(1);
    await expect(getGrant({ ports: world.ports, principal: cleaner, grantId: adaGrantId })).rejects.toThrow(
      NotPermittedError,
    );
  });

  it('a cleaner lists their own grants; a property full list is for managers', async () => {
    const own = await listGrants({ ports: world.ports, principal: cleaner });
    expect(own.items.map((item) => item.grant.id)).toEqual([turnoverGrantId]);
    await expect(
      listGrants({ ports: world.ports, principal: cleaner, propertyId: 'prp_loft' }),
    ).rejects.toThrow(NotPermittedError);
    const all = await listGrants({ ports: world.ports, principal: manager, propertyId: 'prp_loft' });
    expect(all.items).toHaveLength(3);
    expect(all.items[0]?.grant.id).toBe(turnoverGrantId);
  });
});

describe('the audit log', () => {
  it('reads per property and per lock, newest first', async () => {
    const property = await readAuditLog({
      ports: world.ports,
      principal: manager,
      scope: { kind: 'property', propertyId: 'prp_loft' },
    });
    expect(property.items[0]?.action).toBe('access-code.allocated');
    expect(property.items.at(-1)?.action).toBe('booking.created');
    const lock = await readAuditLog({
      ports: world.ports,
      principal: manager,
      scope: { kind: 'lock', lockId: 'lck_front' },
    });
    expect(lock.items.map((event) => event.action)).toEqual([
      'access-code.allocated',
      'access-code.allocated',
      'access-code.allocated',
    ]);
    expect(lock.items.every((event) => event.lockId === 'lck_front')).toBe(true);
  });

  it("is not for cleaners, and another business's lock is 'not found'", async () => {
    await expect(
      readAuditLog({
        ports: world.ports,
        principal: cleaner,
        scope: { kind: 'property', propertyId: 'prp_loft' },
      }),
    ).rejects.toThrow(NotPermittedError);
    await expect(
      readAuditLog({
        ports: world.ports,
        principal: member({ role: 'owner', tenantId: tenantB }),
        scope: { kind: 'lock', lockId: 'lck_front' },
      }),
    ).rejects.toThrow(NotFoundError);
    const theirs = await readAuditLog({
      ports: world.ports,
      principal: member({ role: 'owner', tenantId: tenantB }),
      scope: { kind: 'tenant' },
    });
    expect(theirs.items).toEqual([]);
    expect(world.store.auditEvents.every((event) => event.tenantId === tenantA)).toBe(true);
  });
});
