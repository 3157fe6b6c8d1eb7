/**
 * The runners of every kind of scheduled task, by type. Each feature adds its own entry here when it starts
 * scheduling work.
 */
import { expireCommandTaskType, expireUnlockCommand } from '#shared/access/unlock-commands.ts';
import type { TaskRunner } from './dispatcher.ts';

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
};
