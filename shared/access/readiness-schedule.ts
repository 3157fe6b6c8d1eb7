/**
 * The readiness work of a grant after it changes, scheduled beside its code pushes (code-schedule.ts):
 * - a booking's readiness check at the property's `readinessCheckHours` before check-in (`stayMilestones`);
 *   moved with the stay, cancelled with the booking. It never runs sooner than `readinessGraceMinutes` after the
 *   change, so that a late booking's code, pushed at once, has time to be confirmed by a lock that is online
 *   before anyone is alarmed;
 * - for a grant that opens Bluetooth locks, the issue of their offline codes at once (they need the device
 *   keys, which only the scheduled-task function may open), again after each change of window.
 * Task ids are per grant, so a later change moves the tasks instead of doubling them.
 */
import type { Grant } from '#shared/domain/grant.ts';
import { stayMilestones } from '#shared/domain/grant-window.ts';
import { addMinutes, epochOf, instantOf, laterOf } from '#shared/domain/local-time.ts';
import { acceptsPushedCodes } from '#shared/domain/lock.ts';
import type { DomainPorts } from '#shared/domain/ports/domain-ports.ts';
import type { TaskScheduler } from '#shared/domain/ports/task-scheduler.ts';
import { issueOfflineCodesTaskId, issueOfflineCodesTaskType } from './offline-code-issuance.ts';
import { readinessCheckTaskId, readinessCheckTaskType } from './readiness.ts';

/** How long after a change the readiness check waits at least. */
export const readinessGraceMinutes = 10;

/** What the readiness and offline-code tasks carry. */
export interface GrantTaskPayload {
  readonly tenantId: string;
  readonly grantId: string;
}

export async function scheduleReadinessWork({
  tasks,
  ports,
  grant,
}: {
  tasks: TaskScheduler;
  ports: Pick<DomainPorts, 'properties' | 'clock' | 'bookings' | 'locks'>;
  grant: Grant;
}): Promise<void> {
  const { tenantId } = grant;
  const now = ports.clock.now();
  const over = grant.window.endsAt !== null && epochOf(grant.window.endsAt) <= now.getTime();
  if (grant.revocation || over) {
    await tasks.cancel(readinessCheckTaskId(grant.id));
    return;
  }
  const payload = { tenantId, grantId: grant.id } satisfies GrantTaskPayload;

  const locks = await ports.locks.listByProperty({ tenantId, propertyId: grant.propertyId });
  if (locks.some((lock) => grant.lockIds.includes(lock.id) && !acceptsPushedCodes(lock))) {
    await tasks.schedule({
      id: issueOfflineCodesTaskId(grant.id),
      type: issueOfflineCodesTaskType,
      runAt: now,
      payload,
    });
  }

  if (grant.bookingId === undefined) return;
  const [booking, property] = await Promise.all([
    ports.bookings.get({ tenantId, bookingId: grant.bookingId }),
    ports.properties.get({ tenantId, propertyId: grant.propertyId }),
  ]);
  if (booking === undefined || property === undefined) return;
  const { readinessCheckAt } = stayMilestones({ property, booking, now });
  await tasks.schedule({
    id: readinessCheckTaskId(grant.id),
    type: readinessCheckTaskType,
    runAt: new Date(laterOf(readinessCheckAt, addMinutes(instantOf(now), readinessGraceMinutes))),
    payload,
  });
}
