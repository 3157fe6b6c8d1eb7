import { beforeEach, describe, expect, it } from 'vitest';
import { createCodeWork } from '#shared/access/code-schedule.ts';
import { issueOfflineCodesTaskType } from '#shared/access/offline-code-issuance.ts';
import { readinessCheckTaskType } from '#shared/access/readiness.ts';
import { cancelBooking, createBooking, modifyBooking } from '#shared/domain/operations/bookings.ts';
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

const readinessTask = (grantId: string) => tasks.scheduled.get(`readiness-check-${grantId}`);

describe('scheduling the readiness check with the codes', () => {
  it('a new booking: checked at the property’s readiness time (6 hours) before check-in', async () => {
    const result = await createBooking({ ports: world.ports, principal: manager, input: stay });

    await createCodeWork({ tasks, ports: world.ports }).afterGrantChange(result);

    expect(readinessTask(result.grant.id)).toMatchObject({
      type: readinessCheckTaskType,
      payload: { tenantId: 'tnt_a', grantId: result.grant.id },
    });
    // Check-in 15:00 Berlin summer time is 13:00 UTC.
    expect(readinessTask(result.grant.id)?.runAt.toISOString()).toBe('2026-10-24T07:00:00.000Z');
  });

  it('follows the property’s setting', async () => {
    addProperty(world.store, { readinessCheckHours: 12 });
    const result = await createBooking({ ports: world.ports, principal: manager, input: stay });

    await createCodeWork({ tasks, ports: world.ports }).afterGrantChange(result);

    expect(readinessTask(result.grant.id)?.runAt.toISOString()).toBe('2026-10-24T01:00:00.000Z');
  });

  it('a booking arriving sooner than that is checked 10 minutes later, once its code had time to be confirmed', async () => {
    world.clock.set('2026-10-24T10:00:00.000Z');
    const result = await createBooking({ ports: world.ports, principal: manager, input: stay });

    await createCodeWork({ tasks, ports: world.ports }).afterGrantChange(result);

    expect(tasks.scheduled.get(`push-codes-${result.grant.id}`)?.runAt.toISOString()).toBe(
      '2026-10-24T10:00:00.000Z',
    );
    expect(readinessTask(result.grant.id)?.runAt.toISOString()).toBe('2026-10-24T10:10:00.000Z');
  });

  it('a moved stay moves its check', async () => {
    const created = await createBooking({ ports: world.ports, principal: manager, input: stay });
    const work = createCodeWork({ tasks, ports: world.ports });
    await work.afterGrantChange(created);
    const moved = await modifyBooking({
      ports: world.ports,
      principal: manager,
      bookingId: created.booking.id,
      input: { arrivalDate: '2026-10-26', departureDate: '2026-10-29' },
    });

    await work.afterGrantChange(moved);

    expect(tasks.scheduled.size).toBe(3);
    expect(readinessTask(created.grant.id)?.runAt.toISOString()).toBe('2026-10-26T08:00:00.000Z');
  });

  it('a cancelled booking’s check is cancelled', async () => {
    const created = await createBooking({ ports: world.ports, principal: manager, input: stay });
    const work = createCodeWork({ tasks, ports: world.ports });
    await work.afterGrantChange(created);
    const cancelled = await cancelBooking({
      ports: world.ports,
      principal: manager,
      bookingId: created.booking.id,
    });

    await work.afterGrantChange(cancelled);

    expect(readinessTask(created.grant.id)).toBeUndefined();
    expect(tasks.cancelled).toContain(`readiness-check-${created.grant.id}`);
  });

  it('a grant that opens a Bluetooth lock gets its offline codes issued at once, even with no other lock', async () => {
    addLock(world.store, { id: 'lck_front', connectivity: 'bluetooth' });
    const result = await createBooking({ ports: world.ports, principal: manager, input: stay });

    await createCodeWork({ tasks, ports: world.ports }).afterGrantChange(result);

    expect(result.accessCodes).toEqual([]);
    const issue = tasks.scheduled.get(`offline-codes-${result.grant.id}`);
    expect(issue).toMatchObject({
      type: issueOfflineCodesTaskType,
      payload: { tenantId: 'tnt_a', grantId: result.grant.id },
    });
    expect(issue?.runAt.toISOString()).toBe('2026-10-01T09:00:00.000Z');
    expect(readinessTask(result.grant.id)).toBeDefined();
  });

  it('a grant with only online locks schedules no offline codes', async () => {
    const result = await createBooking({ ports: world.ports, principal: manager, input: stay });

    await createCodeWork({ tasks, ports: world.ports }).afterGrantChange(result);

    expect(tasks.scheduled.has(`offline-codes-${result.grant.id}`)).toBe(false);
  });
});
