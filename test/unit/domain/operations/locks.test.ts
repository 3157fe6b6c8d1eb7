import { beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError, NotFoundError, NotPermittedError } from '#shared/domain/errors.ts';
import { canUnlockRemotely } from '#shared/domain/lock.ts';
import { cancelBooking, createBooking } from '#shared/domain/operations/bookings.ts';
import { registerLock, rotateLockCredentials, syncLockWithGrants } from '#shared/domain/operations/locks.ts';
import { addLock, addProperty, member, type TestWorld, tenantA, tenantB, testWorld } from '../fakes.ts';

const manager = member({ role: 'manager' });
const frontDoor = { propertyId: 'prp_loft', name: 'Front door', connectivity: 'wifi' };

let world: TestWorld;
beforeEach(() => {
  world = testWorld({ now: '2026-10-01T09:00:00.000Z' });
  addProperty(world.store);
});

describe('registering a lock', () => {
  it('provisions its device identity and hands the installer the bundle once', async () => {
    const { lock, installerBundle, events } = await registerLock({
      ports: world.ports,
      principal: manager,
      input: frontDoor,
    });

    expect(lock).toMatchObject({
      id: 'lck_0001',
      propertyId: 'prp_loft',
      connectivity: 'wifi',
      codeConstraints: { pinLength: 6, capacity: 20 },
      thingName: 'lockstay-lck_0001',
      credentials: { certificateId: 'cert-lockstay-lck_0001-v1', keyVersion: 1 },
    });
    expect(world.devices.provisioned).toEqual(['lockstay-lck_0001']);
    expect(installerBundle.privateKeyPem).toContain('PRIVATE KEY');
    expect(events.map((event) => [event.action, event.lockId])).toEqual([['lock.registered', 'lck_0001']]);
  });

  it('keeps no secret in the stored lock or the audit log', async () => {
    const { lock, installerBundle } = await registerLock({
      ports: world.ports,
      principal: manager,
      input: frontDoor,
    });
    const stored = JSON.stringify([
      await world.ports.locks.get({ tenantId: tenantA, lockId: lock.id }),
      world.store.auditEvents,
    ]);
    expect(stored).not.toContain(installerBundle.privateKeyPem);
    expect(stored).not.toContain(installerBundle.deviceKey);
  });

  it('respects the PIN length the lock demands, between 4 and 8', async () => {
    const { lock } = await registerLock({
      ports: world.ports,
      principal: manager,
      input: { ...frontDoor, connectivity: 'hybrid', codeConstraints: { pinLength: 4, capacity: 100 } },
    });
    expect(lock.codeConstraints).toEqual({ pinLength: 4, capacity: 100 });
    await expect(
      registerLock({
        ports: world.ports,
        principal: manager,
        input: { ...frontDoor, codeConstraints: { pinLength: 9 } },
      }),
    ).rejects.toThrow(InvalidInputError);
  });

  it('a Bluetooth-only lock can never be opened remotely; WiFi and bridged locks can', () => {
    expect(canUnlockRemotely({ connectivity: 'bluetooth' })).toBe(false);
    expect(canUnlockRemotely({ connectivity: 'wifi' })).toBe(true);
    expect(canUnlockRemotely({ connectivity: 'hybrid' })).toBe(true);
  });

  it('releases the device identity again when the lock cannot be recorded', async () => {
    const ports = {
      ...world.ports,
      changes: {
        commit: async () =>
          ({ ok: false, conflict: { kind: 'already-exists', entity: 'lock', id: 'x' } }) as const,
      },
    };
    await expect(registerLock({ ports, principal: manager, input: frontDoor })).rejects.toThrow(
      /already exists/,
    );
    expect(world.devices.released).toEqual(['lockstay-lck_0001']);
  });

  it("provisions nothing for another business's property or for a cleaner", async () => {
    await expect(
      registerLock({
        ports: world.ports,
        principal: member({ role: 'manager', tenantId: tenantB }),
        input: frontDoor,
      }),
    ).rejects.toThrow(NotFoundError);
    await expect(
      registerLock({
        ports: world.ports,
        principal: member({ role: 'staff', assignedPropertyIds: ['prp_loft'] }),
        input: frontDoor,
      }),
    ).rejects.toThrow(NotPermittedError);
    expect(world.devices.provisioned).toEqual([]);
  });
});

describe("rotating a lock's credentials", () => {
  it('issues the next key version and audits the change of certificate', async () => {
    const { lock } = await registerLock({ ports: world.ports, principal: manager, input: frontDoor });
    world.clock.advanceMinutes(60);
    const rotated = await rotateLockCredentials({ ports: world.ports, principal: manager, lockId: lock.id });

    expect(rotated.lock.credentials).toEqual({
      certificateId: 'cert-lockstay-lck_0001-v2',
      keyVersion: 2,
      issuedAt: '2026-10-01T10:00:00.000Z',
    });
    expect(rotated.lock.version).toBe(2);
    expect(rotated.events[0]).toMatchObject({
      action: 'lock.credentials-rotated',
      lockId: lock.id,
      details: { previousCertificateId: 'cert-lockstay-lck_0001-v1', keyVersion: 2 },
    });
  });
});

describe('a lock added to a property with bookings ahead', () => {
  async function book(arrivalDate: string, departureDate: string) {
    return createBooking({
      ports: world.ports,
      principal: manager,
      input: { propertyId: 'prp_loft', guest: { name: 'Guest' }, arrivalDate, departureDate },
    });
  }

  it('joins the grants of current and coming stays, with the PIN the guest already has', async () => {
    addLock(world.store, { id: 'lck_front' });
    const coming = await book('2026-10-24', '2026-10-27');
    const past = await book('2026-09-20', '2026-09-22');
    const cancelled = await book('2026-11-01', '2026-11-03');
    await cancelBooking({ ports: world.ports, principal: manager, bookingId: cancelled.booking.id });

    const { lock, grantSync, events } = await registerLock({
      ports: world.ports,
      principal: manager,
      input: { ...frontDoor, name: 'Flat door' },
    });

    expect(grantSync).toMatchObject({
      extendedGrantIds: [coming.grant.id],
      failedGrantIds: [],
      complete: true,
    });
    const grant = await world.ports.grants.get({ tenantId: tenantA, grantId: coming.grant.id });
    expect(grant?.lockIds).toEqual(['lck_front', lock.id]);
    const codes = await world.ports.accessCodes.listByGrant({ tenantId: tenantA, grantId: coming.grant.id });
    expect(codes.map(({ lockId, pin, window }) => ({ lockId, pin, window }))).toEqual([
      { lockId: 'lck_front', pin: coming.accessCodes[0]?.pin, window: coming.grant.window },
      { lockId: lock.id, pin: coming.accessCodes[0]?.pin, window: coming.grant.window },
    ]);
    expect((await world.ports.grants.get({ tenantId: tenantA, grantId: past.grant.id }))?.lockIds).toEqual([
      'lck_front',
    ]);
    expect(events.map((event) => event.action)).toEqual([
      'lock.registered',
      'grant.lock-added',
      'access-code.allocated',
    ]);
  });

  it('syncing again changes nothing', async () => {
    await book('2026-10-24', '2026-10-27');
    const { lock } = await registerLock({ ports: world.ports, principal: manager, input: frontDoor });
    const again = await syncLockWithGrants({ ports: world.ports, principal: manager, lockId: lock.id });
    expect(again).toEqual({ extendedGrantIds: [], failedGrantIds: [], complete: true, events: [] });
  });

  it('a Bluetooth-only lock joins the grant without a pushed code', async () => {
    const coming = await book('2026-10-24', '2026-10-27');
    const { lock, grantSync } = await registerLock({
      ports: world.ports,
      principal: manager,
      input: { ...frontDoor, connectivity: 'bluetooth' },
    });
    expect(grantSync.extendedGrantIds).toEqual([coming.grant.id]);
    const codes = await world.ports.accessCodes.listByGrant({ tenantId: tenantA, grantId: coming.grant.id });
    expect(codes.map((code) => code.lockId)).not.toContain(lock.id);
  });

  it('never fails the registration once the lock is recorded: the installer bundle is shown only once', async () => {
    await book('2026-10-24', '2026-10-27');
    const ports = {
      ...world.ports,
      grants: {
        ...world.ports.grants,
        listLiveByProperty: async () => {
          throw new Error('storage hiccup');
        },
      },
    };
    const { installerBundle, grantSync } = await registerLock({
      ports,
      principal: manager,
      input: frontDoor,
    });
    expect(installerBundle.deviceKey).not.toBe('');
    expect(grantSync.complete).toBe(false);
  });
});
