import { beforeEach, describe, expect, it } from 'vitest';
import {
  createCodeWork,
  pushCodesTaskType,
  removeExpiredCodesTaskType,
} from '#shared/access/code-schedule.ts';
import { cancelBooking, createBooking } from '#shared/domain/operations/bookings.ts';
import { addLock, addProperty, member, RecordingTasks, type TestWorld, testWorld } from '../domain/fakes.ts';

const manager = member({ role: 'manager' });
const stay = {
  propertyId: 'prp_loft',
  guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
  arrivalDate: '2026-10-24',
  departureDate: '2026-10-27',
};

let world: TestWorld;
let tasks: RecordingTasks;
beforeEach(() => {
  world = testWorld({ now: '2026-10-01T09:00:00.000Z', randomScript: [480371] });
  addProperty(world.store);
  addLock(world.store, { id: 'lck_front' });
  tasks = new RecordingTasks();
});

describe('scheduling code work after a change', () => {
  it('a new stay: push at the lead time (48 h) before the window, removal at its end', async () => {
    const result = await createBooking({ ports: world.ports, principal: manager, input: stay });

    await createCodeWork({ tasks, ports: world.ports }).afterGrantChange(result);

    const push = tasks.scheduled.get(`push-codes-${result.grant.id}`);
    expect(push).toMatchObject({
      type: pushCodesTaskType,
      payload: { tenantId: 'tnt_a', lockIds: ['lck_front'] },
    });
    expect(push?.runAt.toISOString()).toBe('2026-10-22T13:00:00.000Z');
    const removal = tasks.scheduled.get(`remove-expired-codes-${result.grant.id}`);
    expect(removal?.type).toBe(removeExpiredCodesTaskType);
    expect(removal?.runAt.toISOString()).toBe(result.grant.window.endsAt);
  });

  it('a stay due sooner than the lead time is pushed at once', async () => {
    world.clock.set('2026-10-24T10:00:00.000Z');
    const result = await createBooking({ ports: world.ports, principal: manager, input: stay });

    await createCodeWork({ tasks, ports: world.ports }).afterGrantChange(result);

    expect(tasks.scheduled.get(`push-codes-${result.grant.id}`)?.runAt.toISOString()).toBe(
      '2026-10-24T10:00:00.000Z',
    );
  });

  it('a cancellation of codes on the lock moves the push to now, replacing the earlier task', async () => {
    const created = await createBooking({ ports: world.ports, principal: manager, input: stay });
    const work = createCodeWork({ tasks, ports: world.ports });
    await work.afterGrantChange(created);
    world.clock.set('2026-10-23T09:00:00.000Z');
    // On the lock already: cancelling marks it removing.
    const [code] = created.accessCodes;
    if (code) world.store.put('accessCode', { ...code, status: 'set', version: code.version });
    const cancelled = await cancelBooking({
      ports: world.ports,
      principal: manager,
      bookingId: created.booking.id,
    });

    await work.afterGrantChange(cancelled);

    expect(tasks.scheduled.get(`push-codes-${created.grant.id}`)?.runAt.toISOString()).toBe(
      '2026-10-23T09:00:00.000Z',
    );
    expect([...tasks.scheduled.keys()].filter((id) => id.startsWith('push-codes-'))).toHaveLength(1);
  });
});
