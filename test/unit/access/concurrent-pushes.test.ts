/**
 * Pushes to one lock side by side (several bookings changing its codes at once): the push whose commit finds
 * a code changed meanwhile reads the codes again and carries on from there, instead of failing its task.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { maxPushAttempts, pushCodesToLock } from '#shared/access/code-sync.ts';
import type { DeviceEventPorts } from '#shared/access/device-events.ts';
import { createBooking } from '#shared/domain/operations/bookings.ts';
import { addLock, addProperty, addTeamMember, member, type TestWorld, testWorld } from '../domain/fakes.ts';
import { deviceEventPortsFor, FakeShadows } from './access-fakes.ts';

const manager = member({ role: 'manager' });
const stay = (arrivalDate: string, departureDate: string, name: string) => ({
  propertyId: 'prp_loft',
  guest: { name, email: `${name.split(' ')[0]?.toLowerCase()}@example.com` },
  arrivalDate,
  departureDate,
});

let world: TestWorld;
let shadows: FakeShadows;
let ports: DeviceEventPorts;

beforeEach(() => {
  world = testWorld({ now: '2026-10-01T09:00:00.000Z' });
  addProperty(world.store);
  addLock(world.store, { id: 'lck_front' });
  addTeamMember(world.store, { role: 'owner' });
  shadows = new FakeShadows();
  ports = deviceEventPortsFor(world, { shadows });
});

const codesOf = async (lockId: string) =>
  (await world.ports.accessCodes.listLiveByLock({ tenantId: 'tnt_a', lockId, page: { limit: 50 } })).items;

describe('pushes to one lock at once', () => {
  it('both finish; every due code is sent once and marked setting at the version the lock is sent', async () => {
    await createBooking({
      ports: world.ports,
      principal: manager,
      input: stay('2026-10-02', '2026-10-04', 'Ada Lovelace'),
    });
    await createBooking({
      ports: world.ports,
      principal: manager,
      input: stay('2026-10-01', '2026-10-02', 'Grace Hopper'),
    });

    const results = await Promise.all([
      pushCodesToLock({ ports, tenantId: 'tnt_a', lockId: 'lck_front' }),
      pushCodesToLock({ ports, tenantId: 'tnt_a', lockId: 'lck_front' }),
    ]);

    const codes = await codesOf('lck_front');
    expect(codes.map((code) => code.status)).toEqual(['setting', 'setting']);
    expect(results.flatMap((result) => result.pushed).sort()).toEqual(codes.map((code) => code.id).sort());
    const desired = shadows.desiredCodes('lockstay-lck_front');
    for (const code of codes) expect(desired[code.id]?.v).toBe(code.version);
    const sent = world.store.auditEvents.filter((event) => event.action === 'access-code.sent-to-lock');
    expect(sent).toHaveLength(2);
  });

  it('gives up after a bounded number of attempts when every commit meets another change', async () => {
    await createBooking({
      ports: world.ports,
      principal: manager,
      input: stay('2026-10-02', '2026-10-04', 'Ada Lovelace'),
    });
    let commits = 0;
    const contended: DeviceEventPorts = {
      ...ports,
      changes: {
        commit: async () => {
          commits += 1;
          return { ok: false, conflict: { kind: 'stale', entity: 'accessCode', id: 'acc_other' } };
        },
      },
    };

    await expect(
      pushCodesToLock({ ports: contended, tenantId: 'tnt_a', lockId: 'lck_front' }),
    ).rejects.toThrow(/changed while pushing: stale/);

    expect(commits).toBe(maxPushAttempts);
    expect(shadows.updates).toEqual([]);
  });
});
