/**
 * When codes go onto locks and come off them: after a grant is issued, moved, cancelled or revoked, a
 * `push-codes` task runs at the property's lead time before the window opens (at once if that is past, or if a
 * code must come off), and a `remove-expired-codes` task at the window's end. Both push the grant's locks'
 * codes (shared/access/code-sync.ts), which sends what is due and takes off what is over. Task ids are per
 * grant, so scheduling again after a change moves the tasks instead of doubling them.
 *
 * With them: a booking's `readiness-check` at the property's readiness time before check-in (moved with the
 * stay, cancelled with the booking; shared/access/readiness.ts), and, for a grant that opens Bluetooth locks,
 * an `issue-offline-codes` task at once, which derives their offline codes for the grant's window.
 */
import type { AccessCode } from '#shared/domain/access-code.ts';
import type { Grant } from '#shared/domain/grant.ts';
import { addHours, instantOf, laterOf } from '#shared/domain/local-time.ts';
import type { DomainPorts } from '#shared/domain/ports/domain-ports.ts';
import type { TaskScheduler } from '#shared/domain/ports/task-scheduler.ts';
import { scheduleReadinessWork } from './readiness-schedule.ts';

export const pushCodesTaskType = 'push-codes';
export const removeExpiredCodesTaskType = 'remove-expired-codes';

/** What both tasks carry: the locks whose codes to bring in line. */
export interface CodeTaskPayload {
  readonly tenantId: string;
  readonly lockIds: readonly string[];
}

export interface CodeWork {
  afterGrantChange(options: { grant: Grant; accessCodes: readonly AccessCode[] }): Promise<void>;
}

export function createCodeWork({
  tasks,
  ports,
}: {
  tasks: TaskScheduler;
  ports: Pick<DomainPorts, 'properties' | 'clock' | 'bookings' | 'locks'>;
}): CodeWork {
  return {
    async afterGrantChange({ grant, accessCodes }) {
      await scheduleReadinessWork({ tasks, ports, grant });
      const lockIds = [...new Set(accessCodes.map((code) => code.lockId))];
      if (lockIds.length === 0) return;
      const property = await ports.properties.get({ tenantId: grant.tenantId, propertyId: grant.propertyId });
      const now = instantOf(ports.clock.now());
      const leadHours = property?.codePushLeadHours ?? 48;
      const takingOff = accessCodes.some((code) => code.status === 'removing');
      const runAt = takingOff ? now : laterOf(addHours(grant.window.startsAt, -leadHours), now);
      const payload = { tenantId: grant.tenantId, lockIds };
      await tasks.schedule({
        id: `push-codes-${grant.id}`,
        type: pushCodesTaskType,
        runAt: new Date(runAt),
        payload,
      });
      if (grant.window.endsAt !== null && !takingOff) {
        await tasks.schedule({
          id: `remove-expired-codes-${grant.id}`,
          type: removeExpiredCodesTaskType,
          runAt: new Date(laterOf(grant.window.endsAt, now)),
          payload,
        });
      }
    },
  };
}
