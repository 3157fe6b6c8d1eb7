/**
 * The runners of every kind of scheduled task, by type. Each feature adds its own entry here when it starts
 * scheduling work.
 */

import { pushCodesTaskType, removeExpiredCodesTaskType } from '#shared/access/code-schedule.ts';
import { issueOfflineCodesTaskType } from '#shared/access/offline-code-issuance.ts';
import { readinessCheckTaskType } from '#shared/access/readiness.ts';
import { expireCommandTaskType, expireUnlockCommand } from '#shared/access/unlock-commands.ts';
import {
  guestEmailTaskPayloadSchema,
  guestEmailTaskType,
  sendScheduledGuestEmail,
} from '#shared/guests/guest-email.ts';
import type { TaskRunner } from '#shared/tasks/dispatcher.ts';

/** Brings each named lock's codes in line: what is due goes on, what is over or withdrawn comes off. */
const pushCodesOfLocks: TaskRunner = async ({ payload }) => {
  const { devicePorts } = await import('#functions/devices/ports.ts');
  const { pushCodesToLock } = await import('#shared/access/code-sync.ts');
  const lockIds = Array.isArray(payload.lockIds) ? payload.lockIds.map(String) : [];
  for (const lockId of lockIds) {
    await pushCodesToLock({ ports: devicePorts(), tenantId: String(payload.tenantId), lockId });
  }
};

export const taskRunners: Readonly<Record<string, TaskRunner>> = {
  /** A remote unlock command still pending at its expiry becomes expired and leaves the lock's shadow. */
  [expireCommandTaskType]: async ({ payload }) => {
    // Loaded on first use: the composition builds IoT and scheduler clients other tasks do not need.
    const { unlockPorts } = await import('#functions/http/api/commands-services.ts');
    await expireUnlockCommand({
      ports: unlockPorts(),
      tenantId: String(payload.tenantId),
      commandId: String(payload.commandId),
    });
  },
  /** Codes due within the lead time go onto their locks (and withdrawn ones come off). */
  [pushCodesTaskType]: pushCodesOfLocks,
  /** At a window's end its codes come off the locks. */
  [removeExpiredCodesTaskType]: pushCodesOfLocks,
  /** Some hours before check-in: every code of the stay set, or the host alerted and an offline code issued. */
  [readinessCheckTaskType]: async ({ payload }) => {
    const { readinessPorts } = await import('#functions/devices/readiness-ports.ts');
    const { checkReadiness } = await import('#shared/access/readiness.ts');
    await checkReadiness({
      ports: readinessPorts(),
      tenantId: String(payload.tenantId),
      grantId: String(payload.grantId),
    });
  },
  /** The offline codes of a grant's Bluetooth locks, for its window. */
  [issueOfflineCodesTaskType]: async ({ payload }) => {
    const { readinessPorts } = await import('#functions/devices/readiness-ports.ts');
    const { issueBluetoothOfflineCodes } = await import('#shared/access/offline-code-issuance.ts');
    const { logger } = await import('#shared/observability.ts');
    const issues = await issueBluetoothOfflineCodes({
      ports: readinessPorts(),
      tenantId: String(payload.tenantId),
      grantId: String(payload.grantId),
    });
    // The readiness check alerts the host before arrival; until then an operator can see why (never the code).
    for (const issue of issues) {
      if (issue.outcome === 'refused') {
        logger.warn('No offline code for a Bluetooth lock', {
          grantId: payload.grantId,
          lockId: issue.lockId,
          reason: issue.reason,
        });
      }
    }
  },
  /** A guest's email about their stay (access, changed, cancelled), sent once per booking version and reason. */
  [guestEmailTaskType]: async ({ payload }) => {
    const { guestEmailPorts } = await import('#functions/commons/guest-services.ts');
    const result = await sendScheduledGuestEmail({
      ports: guestEmailPorts(),
      ...guestEmailTaskPayloadSchema.parse(payload),
    });
    // Another attempt is sending it right now: fail, so that the retry finds it sent (or takes over its claim).
    if (result.outcome === 'skipped' && result.why === 'in-progress') {
      throw new Error('The guest email is being sent by another attempt');
    }
  },
};
