/**
 * Finding a booking by guest or dates across the whole schedule, the audit log narrowed by time, person and
 * method, and a stay's timeline as its host reads it.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { cancelBooking, createBooking, modifyBooking } from '#shared/domain/operations/bookings.ts';
import { issueAdHocGrant } from '#shared/domain/operations/grants.ts';
import { listBookings, readAuditLog, readStayTimeline } from '#shared/domain/operations/queries.ts';
import { addLock, addProperty, addTeamMember, member, type TestWorld, testWorld } from '../fakes.ts';

const manager = member({ role: 'manager' });
const owner = member({ role: 'owner', userId: 'usr_owner' });
const cleaner = member({ role: 'staff', userId: 'usr_cleaner', assignedPropertyIds: ['prp_loft'] });

let world: TestWorld;

async function book(name: string, arrivalDate: string, departureDate: string, by = manager) {
  return createBooking({
    ports: world.ports,
    principal: by,
    input: { propertyId: 'prp_loft', guest: { name }, arrivalDate, departureDate },
  });
}

beforeEach(() => {
  world = testWorld({ now: '2026-10-01T09:00:00.000Z' });
  addProperty(world.store);
  addLock(world.store, { id: 'lck_front' });
  addTeamMember(world.store, { role: 'staff', userId: 'usr_cleaner', assignedPropertyIds: ['prp_loft'] });
});

describe('searching the schedule', () => {
  beforeEach(async () => {
    await book('Ana Silva', '2026-10-10', '2026-10-12');
    for (let night = 0; night < 30; night += 1) {
      const day = String(13 + (night % 15)).padStart(2, '0');
      await book(`Guest ${night}`, `2026-11-${day}`, `2026-11-${String(Number(day) + 1).padStart(2, '0')}`);
    }
    await book('José Álvarez', '2026-12-20', '2026-12-24');
  });

  it('finds a guest by part of their name, any case and without accents, however far in the schedule', async () => {
    const found = await listBookings({
      ports: world.ports,
      principal: manager,
      filter: { propertyId: 'prp_loft', guestName: 'jose ALV' },
      page: { limit: 5 },
    });

    expect(found.items.map((booking) => booking.guest.name)).toEqual(['José Álvarez']);
    expect(found.nextCursor).toBeUndefined();
  });

  it('keeps stays that overlap the dates: departing on or after `from`, arriving on or before `to`', async () => {
    const found = await listBookings({
      ports: world.ports,
      principal: manager,
      filter: { propertyId: 'prp_loft', fromDate: '2026-10-11', toDate: '2026-11-13' },
      page: { limit: 50 },
    });

    expect(found.items.map((booking) => booking.arrivalDate)).toEqual([
      '2026-10-10',
      '2026-11-13',
      '2026-11-13',
    ]);
  });

  it('refuses an empty search', async () => {
    await expect(
      listBookings({
        ports: world.ports,
        principal: manager,
        filter: { propertyId: 'prp_loft', guestName: '  ' },
      }),
    ).rejects.toThrow(InvalidInputError);
  });
});

describe('the audit log narrowed', () => {
  it('by person, method and time', async () => {
    await book('Ana', '2026-10-10', '2026-10-12');
    world.clock.advanceMinutes(60);
    await book('Bo', '2026-10-14', '2026-10-16', owner);

    const byOwner = await readAuditLog({
      ports: world.ports,
      principal: manager,
      scope: { kind: 'property', propertyId: 'prp_loft' },
      filter: { userId: 'usr_owner', method: 'admin' },
    });
    expect(byOwner.items.length).toBeGreaterThan(0);
    expect(
      byOwner.items.every((event) => event.actor.kind === 'user' && event.actor.userId === 'usr_owner'),
    ).toBe(true);

    const firstHour = await readAuditLog({
      ports: world.ports,
      principal: manager,
      scope: { kind: 'tenant' },
      filter: { from: '2026-10-01T09:00:00Z', to: '2026-10-01T09:30:00Z' },
    });
    expect(firstHour.items.length).toBeGreaterThan(0);
    expect(firstHour.items.every((event) => event.at === '2026-10-01T09:00:00.000Z')).toBe(true);

    const keypad = await readAuditLog({
      ports: world.ports,
      principal: manager,
      scope: { kind: 'tenant' },
      filter: { method: 'keypad' },
    });
    expect(keypad.items).toEqual([]);
  });

  it('refuses a range that ends before it starts, naming the field', async () => {
    const refused = readAuditLog({
      ports: world.ports,
      principal: manager,
      scope: { kind: 'tenant' },
      filter: { from: '2026-10-02T00:00:00Z', to: '2026-10-01T00:00:00Z' },
    });
    await expect(refused).rejects.toThrow(InvalidInputError);
    await expect(refused).rejects.toMatchObject({ problems: [expect.objectContaining({ field: 'to' })] });
  });
});

describe('a stay’s timeline', () => {
  it('tells what happened to this stay only, oldest first, for those who may read the log', async () => {
    const ana = await book('Ana', '2026-10-10', '2026-10-12');
    await book('Bo', '2026-10-14', '2026-10-16');
    world.clock.advanceMinutes(30);
    await modifyBooking({
      ports: world.ports,
      principal: manager,
      bookingId: ana.booking.id,
      input: { departureDate: '2026-10-13' },
    });
    const delivery = await issueAdHocGrant({
      ports: world.ports,
      principal: manager,
      input: { kind: 'delivery', propertyId: 'prp_loft', label: 'Groceries', durationHours: 2 },
    });
    world.clock.advanceMinutes(30);
    await cancelBooking({ ports: world.ports, principal: manager, bookingId: ana.booking.id, input: {} });

    const timeline = await readStayTimeline({
      ports: world.ports,
      principal: manager,
      stay: { ...ana.booking, bookingId: ana.booking.id },
    });

    const actions = timeline?.events.map((event) => event.action) ?? [];
    expect(actions[0]).toBe('booking.created');
    expect(actions).toContain('access-code.allocated');
    expect(actions).toContain('booking.modified');
    expect(actions).toContain('grant.window-moved');
    expect(actions.at(-1)).toMatch(/^(booking\.cancelled|grant\.revoked|access-code\.withdrawn)$/);
    expect(actions).toContain('booking.cancelled');
    expect(JSON.stringify(timeline)).not.toContain(delivery.grant.id);
    const times = timeline?.events.map((event) => event.at) ?? [];
    expect([...times].sort()).toEqual(times);
    expect(
      timeline?.events.every(
        (event) => JSON.stringify(event).includes(ana.grant.id) || event.target.id === ana.booking.id,
      ),
    ).toBe(true);
    expect(timeline?.complete).toBe(true);
  });

  it('is not shown to a cleaner, who may not read the log', async () => {
    const ana = await book('Ana', '2026-10-10', '2026-10-12');

    const timeline = await readStayTimeline({
      ports: world.ports,
      principal: cleaner,
      stay: { ...ana.booking, bookingId: ana.booking.id },
    });

    expect(timeline).toBeUndefined();
  });
});
