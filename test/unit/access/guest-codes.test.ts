import { beforeEach, describe, expect, it } from 'vitest';
import { codesForGuest, type GuestCodesPorts } from '#shared/access/guest-codes.ts';
import { NotFoundError } from '#shared/domain/errors.ts';
import { cancelBooking, createBooking } from '#shared/domain/operations/bookings.ts';
import { addLock, addProperty, member, type TestWorld, testWorld } from '../domain/fakes.ts';
import { InMemoryOfflineCodes } from './offline-code-fakes.ts';

const manager = member({ role: 'manager' });
const stay = {
  propertyId: 'prp_loft',
  guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
  arrivalDate: '2026-10-24',
  departureDate: '2026-10-27',
};

let world: TestWorld;
let offlineCodes: InMemoryOfflineCodes;
let ports: GuestCodesPorts;

beforeEach(() => {
  world = testWorld({ now: '2026-10-01T09:00:00.000Z', randomScript: [480371, 3810, 123456, 654321] });
  addProperty(world.store);
  offlineCodes = new InMemoryOfflineCodes(world.store.auditEvents);
  ports = { ...world.ports, offlineCodes };
});

describe('the codes a guest should use', () => {
  it('is the PIN of the only lock, without naming the lock', async () => {
    addLock(world.store, { id: 'lck_front', name: 'Front door' });
    const { grant, accessCodes } = await createBooking({
      ports: world.ports,
      principal: manager,
      input: stay,
    });

    const codes = await codesForGuest({ ports, tenantId: 'tnt_a', grantId: grant.id });

    expect(codes).toEqual([{ code: accessCodes[0]?.pin, kind: 'pin' }]);
  });

  it('gives one code for locks sharing a PIN, naming them, and one more for a lock with another PIN length', async () => {
    addLock(world.store, { id: 'lck_front', name: 'Front door' });
    addLock(world.store, { id: 'lck_flat', name: 'Flat door' });
    addLock(world.store, {
      id: 'lck_garage',
      name: 'Garage',
      codeConstraints: { pinLength: 8, capacity: 20 },
    });
    const { grant, accessCodes } = await createBooking({
      ports: world.ports,
      principal: manager,
      input: stay,
    });
    const pinOf = (lockId: string) => accessCodes.find((code) => code.lockId === lockId)?.pin;

    const codes = await codesForGuest({ ports, tenantId: 'tnt_a', grantId: grant.id });

    expect(pinOf('lck_front')).toBe(pinOf('lck_flat'));
    expect(codes).toEqual([
      { code: pinOf('lck_front'), kind: 'pin', lockNames: ['Front door', 'Flat door'] },
      { code: pinOf('lck_garage'), kind: 'pin', lockNames: ['Garage'] },
    ]);
    expect(pinOf('lck_garage')).toHaveLength(8);
  });

  it('gives nothing once the booking is cancelled', async () => {
    addLock(world.store, { id: 'lck_front' });
    const { booking, grant } = await createBooking({ ports: world.ports, principal: manager, input: stay });
    await cancelBooking({ ports: world.ports, principal: manager, bookingId: booking.id });

    expect(await codesForGuest({ ports, tenantId: 'tnt_a', grantId: grant.id })).toEqual([]);
  });

  it("answers not found for another tenant's grant", async () => {
    addLock(world.store, { id: 'lck_front' });
    const { grant } = await createBooking({ ports: world.ports, principal: manager, input: stay });

    await expect(codesForGuest({ ports, tenantId: 'tnt_b', grantId: grant.id })).rejects.toThrow(
      NotFoundError,
    );
  });
});
