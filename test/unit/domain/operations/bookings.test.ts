import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, InvalidInputError, NotFoundError, NotPermittedError } from '#shared/domain/errors.ts';
import { cancelBooking, createBooking, modifyBooking } from '#shared/domain/operations/bookings.ts';
import { revokeGrant } from '#shared/domain/operations/grants.ts';
import type { ChangeCommitter } from '#shared/domain/ports/change-set.ts';
import {
  addLock,
  addProperty,
  integration,
  member,
  type TestWorld,
  tenantA,
  tenantB,
  testWorld,
} from '../fakes.ts';

const manager = member({ role: 'manager' });
const stay = {
  propertyId: 'prp_loft',
  guest: { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0000' },
  arrivalDate: '2026-10-24',
  departureDate: '2026-10-27',
};

let world: TestWorld;
beforeEach(() => {
  world = testWorld({ now: '2026-10-01T09:00:00.000Z', randomScript: [480371, 3810] });
  addProperty(world.store);
  addLock(world.store, { id: 'lck_front' });
  addLock(world.store, { id: 'lck_flat' });
  addLock(world.store, {
    id: 'lck_garage',
    connectivity: 'hybrid',
    codeConstraints: { pinLength: 4, capacity: 10 },
  });
  addLock(world.store, { id: 'lck_shed', connectivity: 'bluetooth' });
});

describe('entering a booking', () => {
  it("gives the guest a grant over the property's locks, open from check-in to check-out, Berlin time", async () => {
    const { booking, grant, outcome } = await createBooking({
      ports: world.ports,
      principal: manager,
      input: stay,
    });

    expect(outcome).toBe('created');
    expect(booking).toMatchObject({ status: 'confirmed', source: 'manual', grantId: grant.id, version: 1 });
    expect(booking.guest).toEqual({
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      phone: '+442079460000',
      language: 'en',
    });
    expect(grant).toMatchObject({
      kind: 'booking',
      subject: { kind: 'booking-guest', bookingId: booking.id },
      bookingId: booking.id,
      lockIds: ['lck_front', 'lck_flat', 'lck_garage', 'lck_shed'],
      window: { startsAt: '2026-10-24T13:00:00.000Z', endsAt: '2026-10-27T10:00:00.000Z' },
      issuedBy: { kind: 'user', userId: 'usr_manager', role: 'manager' },
    });
    expect(world.store.all('booking', tenantA)).toHaveLength(1);
  });

  it('allocates one PIN per lock length, so the guest has one code for both doors, scheduled until push time', async () => {
    const { accessCodes, grant } = await createBooking({
      ports: world.ports,
      principal: manager,
      input: stay,
    });

    expect(accessCodes.map(({ lockId, pin, status }) => ({ lockId, pin, status }))).toEqual([
      { lockId: 'lck_front', pin: '480371', status: 'scheduled' },
      { lockId: 'lck_flat', pin: '480371', status: 'scheduled' },
      { lockId: 'lck_garage', pin: '3810', status: 'scheduled' },
    ]);
    for (const code of accessCodes) expect(code.window).toEqual(grant.window);
  });

  it('gives a Bluetooth-only lock no pushed code (it is opened with offline codes)', async () => {
    const { accessCodes } = await createBooking({ ports: world.ports, principal: manager, input: stay });
    expect(accessCodes.map((code) => code.lockId)).not.toContain('lck_shed');
  });

  it('audits the booking, its grant and each code, at one time, by one actor, without the PINs', async () => {
    const { events, accessCodes } = await createBooking({
      ports: world.ports,
      principal: manager,
      input: stay,
    });

    expect(events.map((event) => [event.action, event.lockId])).toEqual([
      ['booking.created', undefined],
      ['grant.issued', undefined],
      ['access-code.allocated', 'lck_front'],
      ['access-code.allocated', 'lck_flat'],
      ['access-code.allocated', 'lck_garage'],
    ]);
    for (const event of events) {
      expect(event).toMatchObject({
        tenantId: tenantA,
        at: '2026-10-01T09:00:00.000Z',
        propertyId: 'prp_loft',
      });
      expect(event.actor).toEqual({ kind: 'user', userId: 'usr_manager', role: 'manager' });
      for (const { pin } of accessCodes) expect(JSON.stringify(event)).not.toContain(pin);
    }
    expect(world.store.auditEvents).toEqual(events);
  });

  it('writes everything in one commit', async () => {
    await createBooking({ ports: world.ports, principal: manager, input: stay });
    expect(world.store.commits).toHaveLength(1);
    expect(world.store.commits[0]?.writes.map((write) => `${write.op} ${write.entity}`)).toEqual([
      'create booking',
      'create grant',
      'create accessCode',
      'create accessCode',
      'create accessCode',
    ]);
  });

  it('a property without locks yet still takes bookings: the grant has no codes', async () => {
    addProperty(world.store, { id: 'prp_empty' });
    const { grant, accessCodes } = await createBooking({
      ports: world.ports,
      principal: manager,
      input: { ...stay, propertyId: 'prp_empty' },
    });
    expect(grant.lockIds).toEqual([]);
    expect(accessCodes).toEqual([]);
  });
});

describe('the same reservation is one booking, however often it is delivered', () => {
  const fromChannel = { ...stay, source: 'webhook', sourceReservationId: 'HM4XK2P9' } as const;

  it('a repeated delivery returns the booking already made and writes nothing', async () => {
    const first = await createBooking({ ports: world.ports, principal: integration(), input: fromChannel });
    const again = await createBooking({ ports: world.ports, principal: integration(), input: fromChannel });

    expect(again.outcome).toBe('existing');
    expect(again.booking).toEqual(first.booking);
    expect(again.accessCodes.map((code) => code.pin)).toEqual(first.accessCodes.map((code) => code.pin));
    expect(again.events).toEqual([]);
    expect(world.store.commits).toHaveLength(1);
    expect(world.store.all('booking', tenantA)).toHaveLength(1);
  });

  it('two deliveries racing each other still make one booking', async () => {
    world.store.beforeCommit = (changes) => {
      world.store.beforeCommit = undefined;
      const ours = changes.writes.find((write) => write.entity === 'booking');
      const grant = changes.writes.find((write) => write.entity === 'grant');
      if (ours?.entity !== 'booking' || grant?.entity !== 'grant')
        throw new Error('expected a booking and its grant');
      // The other delivery commits first, with its own ids, between our read and our write.
      void world.store.commit({
        writes: [
          {
            entity: 'booking',
            op: 'create',
            value: { ...ours.value, id: 'bkg_theirs', grantId: 'gnt_theirs' },
          },
          {
            entity: 'grant',
            op: 'create',
            value: {
              ...grant.value,
              id: 'gnt_theirs',
              bookingId: 'bkg_theirs',
              subject: { kind: 'booking-guest', bookingId: 'bkg_theirs' },
            },
          },
        ],
        auditEvents: [],
      });
    };

    const result = await createBooking({ ports: world.ports, principal: integration(), input: fromChannel });

    expect(result.outcome).toBe('existing');
    expect(result.booking.id).toBe('bkg_theirs');
    expect(result.grant.id).toBe('gnt_theirs');
    expect(world.store.all('booking', tenantA)).toHaveLength(1);
  });

  it('the same reservation id with other details is refused: it is a modification, and must say so', async () => {
    await createBooking({ ports: world.ports, principal: integration(), input: fromChannel });
    await expect(
      createBooking({
        ports: world.ports,
        principal: integration(),
        input: { ...fromChannel, departureDate: '2026-10-28' },
      }),
    ).rejects.toThrow(ConflictError);
  });

  it('a booking from a channel must carry its reservation id', async () => {
    const error = await createBooking({
      ports: world.ports,
      principal: integration(),
      input: { ...stay, source: 'ical' },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).problems).toEqual([
      { field: 'sourceReservationId', message: 'Required for bookings from a channel' },
    ]);
  });
});

describe('PINs are unique among the live codes of each lock', () => {
  it('a PIN already live on one of the doors is replaced for all doors of that length, in one commit', async () => {
    world.store.claimPin({ tenantId: tenantA, lockId: 'lck_flat', pin: '480371' });
    const { accessCodes } = await createBooking({ ports: world.ports, principal: manager, input: stay });

    const sixDigit = accessCodes.filter((code) => code.pin.length === 6);
    expect(sixDigit).toHaveLength(2);
    expect(sixDigit[0]?.pin).not.toBe('480371');
    expect(sixDigit[0]?.pin).toBe(sixDigit[1]?.pin);
    expect(accessCodes.find((code) => code.lockId === 'lck_garage')?.pin).toBe('3810');
    expect(world.store.commits).toHaveLength(1);
    expect(world.store.pinClaims.get(`${tenantA}/lck_flat/${sixDigit[0]?.pin}`)).toBe(sixDigit[1]?.id);
  });

  it('gives up with a conflict when no free PIN is found after a few tries (a full lock)', async () => {
    let attempts = 0;
    const alwaysTaken: ChangeCommitter = {
      commit: async (changes) => {
        attempts += 1;
        const code = changes.writes.find((write) => write.entity === 'accessCode');
        return {
          ok: false,
          conflict: { kind: 'pin-taken', lockId: 'lck_front', accessCodeId: code?.value.id ?? '' },
        };
      },
    };
    await expect(
      createBooking({ ports: { ...world.ports, changes: alwaysTaken }, principal: manager, input: stay }),
    ).rejects.toThrow(/No free PIN could be found on lock lck_front/);
    expect(attempts).toBe(8);
  });
});

describe('who may enter a booking', () => {
  it('a cleaner may not, and is told so before the input is even read', async () => {
    const cleaner = member({ role: 'staff', assignedPropertyIds: ['prp_loft'] });
    await expect(createBooking({ ports: world.ports, principal: cleaner, input: {} })).rejects.toThrow(
      NotPermittedError,
    );
  });

  it("another business's manager gets 'not found' for this property", async () => {
    const outsider = member({ role: 'manager', tenantId: tenantB });
    await expect(createBooking({ ports: world.ports, principal: outsider, input: stay })).rejects.toThrow(
      NotFoundError,
    );
    expect(world.store.commits).toEqual([]);
  });

  it('bad input names every failing field at once', async () => {
    const error = await createBooking({
      ports: world.ports,
      principal: manager,
      input: { ...stay, departureDate: '2026-10-20', guest: { name: '', email: 'not-an-email' } },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).problems.map((problem) => problem.field).sort()).toEqual([
      'departureDate',
      'guest.email',
      'guest.name',
    ]);
  });

  it('a stay longer than a year is refused', async () => {
    await expect(
      createBooking({
        ports: world.ports,
        principal: manager,
        input: { ...stay, departureDate: '2027-10-25' },
      }),
    ).rejects.toThrow(InvalidInputError);
  });
});

describe("changing a booking moves its grant's window", () => {
  it('new dates move the window and every code, keep the PIN, and send codes already on a lock again', async () => {
    const created = await createBooking({ ports: world.ports, principal: manager, input: stay });
    // The front door already has its code.
    const front = created.accessCodes[0];
    if (!front) throw new Error('no code');
    world.store.put('accessCode', { ...front, status: 'set' });
    world.clock.advanceMinutes(60);

    const { booking, grant, accessCodes, events, changed } = await modifyBooking({
      ports: world.ports,
      principal: manager,
      bookingId: created.booking.id,
      input: { arrivalDate: '2026-10-25', departureDate: '2026-10-28', checkOutTime: '12:00' },
    });

    expect(changed).toBe(true);
    expect(booking).toMatchObject({ arrivalDate: '2026-10-25', departureDate: '2026-10-28', version: 2 });
    // 25 October is the night of the change: arrival in CET.
    expect(grant.window).toEqual({
      startsAt: '2026-10-25T14:00:00.000Z',
      endsAt: '2026-10-28T11:00:00.000Z',
    });
    expect(accessCodes.map(({ lockId, pin, status }) => ({ lockId, pin, status }))).toEqual([
      { lockId: 'lck_front', pin: '480371', status: 'setting' },
      { lockId: 'lck_flat', pin: '480371', status: 'scheduled' },
      { lockId: 'lck_garage', pin: '3810', status: 'scheduled' },
    ]);
    for (const code of accessCodes) expect(code.window).toEqual(grant.window);
    expect(events.map((event) => event.action)).toEqual([
      'booking.modified',
      'grant.window-moved',
      'access-code.rescheduled',
      'access-code.rescheduled',
      'access-code.rescheduled',
    ]);
    expect(events[0]?.details).toEqual({ changed: ['arrivalDate', 'departureDate', 'checkOutTime'] });
    expect(events[1]?.details).toEqual({ from: created.grant.window, to: grant.window });
    expect(await world.ports.grants.get({ tenantId: tenantA, grantId: grant.id })).toEqual(grant);
  });

  it("a change of the guest's email leaves the window and the codes alone", async () => {
    const created = await createBooking({ ports: world.ports, principal: manager, input: stay });
    const { events, grant } = await modifyBooking({
      ports: world.ports,
      principal: manager,
      bookingId: created.booking.id,
      input: { guest: { email: 'ada@lovelace.example' } },
    });
    expect(grant).toEqual(created.grant);
    expect(events.map((event) => [event.action, event.details])).toEqual([
      ['booking.modified', { changed: ['guest'] }],
    ]);
  });

  it('removing an override goes back to the property time', async () => {
    const created = await createBooking({
      ports: world.ports,
      principal: manager,
      input: { ...stay, checkInTime: '12:00' },
    });
    const { grant } = await modifyBooking({
      ports: world.ports,
      principal: manager,
      bookingId: created.booking.id,
      input: { checkInTime: null },
    });
    expect(grant.window.startsAt).toBe('2026-10-24T13:00:00.000Z');
  });

  it('a change that changes nothing writes nothing', async () => {
    const created = await createBooking({ ports: world.ports, principal: manager, input: stay });
    const result = await modifyBooking({
      ports: world.ports,
      principal: manager,
      bookingId: created.booking.id,
      input: { arrivalDate: '2026-10-24', guest: { name: 'Ada Lovelace' } },
    });
    expect(result.changed).toBe(false);
    expect(result.events).toEqual([]);
    expect(world.store.commits).toHaveLength(1);
  });

  it('a change that would end the stay before it starts is refused', async () => {
    const created = await createBooking({ ports: world.ports, principal: manager, input: stay });
    const error = await modifyBooking({
      ports: world.ports,
      principal: manager,
      bookingId: created.booking.id,
      input: { arrivalDate: '2026-10-28' },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).problems[0]?.field).toBe('departureDate');
  });

  it('a change made against an old version is refused as stale', async () => {
    const created = await createBooking({ ports: world.ports, principal: manager, input: stay });
    await modifyBooking({
      ports: world.ports,
      principal: manager,
      bookingId: created.booking.id,
      input: { guest: { phone: '+49301234567' } },
    });
    await expect(
      modifyBooking({
        ports: world.ports,
        principal: manager,
        bookingId: created.booking.id,
        input: { departureDate: '2026-10-28', expectedVersion: 1 },
      }),
    ).rejects.toThrow(/changed meanwhile/);
  });

  it('a change racing another change is refused as stale, and nothing is written', async () => {
    const created = await createBooking({ ports: world.ports, principal: manager, input: stay });
    world.store.beforeCommit = () => {
      world.store.put('booking', { ...created.booking, version: 2 });
    };
    await expect(
      modifyBooking({
        ports: world.ports,
        principal: manager,
        bookingId: created.booking.id,
        input: { departureDate: '2026-10-28' },
      }),
    ).rejects.toThrow(ConflictError);
    const grant = await world.ports.grants.get({ tenantId: tenantA, grantId: created.grant.id });
    expect(grant?.window).toEqual(created.grant.window);
  });

  it('a grant the host revoked stays revoked when the booking changes', async () => {
    const created = await createBooking({ ports: world.ports, principal: manager, input: stay });
    await revokeGrant({ ports: world.ports, principal: manager, grantId: created.grant.id });
    const { grant } = await modifyBooking({
      ports: world.ports,
      principal: manager,
      bookingId: created.booking.id,
      input: { departureDate: '2026-10-29' },
    });
    expect(grant.revocation).toBeDefined();
    expect(grant.window).toEqual(created.grant.window);
  });

  it("another business's booking is 'not found'", async () => {
    const created = await createBooking({ ports: world.ports, principal: manager, input: stay });
    await expect(
      modifyBooking({
        ports: world.ports,
        principal: member({ role: 'owner', tenantId: tenantB }),
        bookingId: created.booking.id,
        input: { departureDate: '2026-10-28' },
      }),
    ).rejects.toThrow(NotFoundError);
  });
});

describe('cancelling a booking', () => {
  it('revokes the grant and takes the codes off the locks', async () => {
    const created = await createBooking({ ports: world.ports, principal: manager, input: stay });
    const front = created.accessCodes[0];
    if (!front) throw new Error('no code');
    world.store.put('accessCode', { ...front, status: 'set' });

    const { booking, grant, accessCodes, events } = await cancelBooking({
      ports: world.ports,
      principal: integration(),
      bookingId: created.booking.id,
      input: { reason: 'Guest cancelled on Airbnb' },
    });

    expect(booking).toMatchObject({
      status: 'cancelled',
      cancelledAt: '2026-10-01T09:00:00.000Z',
      cancellationReason: 'Guest cancelled on Airbnb',
    });
    expect(grant.revocation).toEqual({
      at: '2026-10-01T09:00:00.000Z',
      reason: 'booking-cancelled',
      by: { kind: 'integration', integrationId: 'int_hostaway' },
    });
    expect(accessCodes.map(({ lockId, status }) => [lockId, status])).toEqual([
      ['lck_front', 'removing'],
      ['lck_flat', 'removed'],
      ['lck_garage', 'removed'],
    ]);
    expect(events.map((event) => event.action)).toEqual([
      'booking.cancelled',
      'grant.revoked',
      'access-code.withdrawn',
      'access-code.withdrawn',
      'access-code.withdrawn',
    ]);
    // The code still on the front door keeps its PIN until the lock confirms it is gone.
    expect(world.store.pinClaims.has(`${tenantA}/lck_front/480371`)).toBe(true);
    expect(world.store.pinClaims.has(`${tenantA}/lck_flat/480371`)).toBe(false);
  });

  it('cancelling twice changes nothing the second time', async () => {
    const created = await createBooking({ ports: world.ports, principal: manager, input: stay });
    await cancelBooking({ ports: world.ports, principal: manager, bookingId: created.booking.id });
    const again = await cancelBooking({
      ports: world.ports,
      principal: manager,
      bookingId: created.booking.id,
    });
    expect(again.changed).toBe(false);
    expect(again.events).toEqual([]);
    expect(world.store.commits).toHaveLength(2);
  });

  it('a cancelled booking cannot be modified', async () => {
    const created = await createBooking({ ports: world.ports, principal: manager, input: stay });
    await cancelBooking({ ports: world.ports, principal: manager, bookingId: created.booking.id });
    await expect(
      modifyBooking({
        ports: world.ports,
        principal: manager,
        bookingId: created.booking.id,
        input: { departureDate: '2026-10-28' },
      }),
    ).rejects.toThrow(/is cancelled/);
  });

  it('a cleaner may not cancel a booking', async () => {
    const created = await createBooking({ ports: world.ports, principal: manager, input: stay });
    const cleaner = member({ role: 'staff', assignedPropertyIds: ['prp_loft'] });
    await expect(
      cancelBooking({ ports: world.ports, principal: cleaner, bookingId: created.booking.id }),
    ).rejects.toThrow(NotPermittedError);
  });
});
