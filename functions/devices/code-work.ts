/**
 * The scheduling of code pushes for the host API (bookings and grants): EventBridge Scheduler one-time
 * schedules targeting the scheduled-task function, built on first use from the `scheduler:manage` variables.
 */
import { scheduler } from '#functions/commons/clients.ts';
import { hostServices } from '#functions/commons/ports.ts';
import { type CodeWork, createCodeWork } from '#shared/access/code-schedule.ts';
import { createEventBridgeTaskScheduler } from '#shared/adapters/eventbridge-task-scheduler.ts';
import { optionalEnv, requireEnv, resourceVariables } from '#shared/config.ts';
import { logger } from '#shared/observability.ts';

let built: CodeWork | undefined;

function codeWorkOf(): CodeWork {
  const deadLetterQueueArn = optionalEnv(resourceVariables.schedulerDeadLetterQueueArn);
  built ??= createCodeWork({
    ports: hostServices().ports,
    tasks: createEventBridgeTaskScheduler({
      client: scheduler,
      groupName: requireEnv(resourceVariables.schedulerGroup),
      targetFunctionArn: requireEnv(resourceVariables.scheduledTaskFunctionArn),
      roleArn: requireEnv(resourceVariables.schedulerRoleArn),
      ...(deadLetterQueueArn !== undefined ? { deadLetterQueueArn } : {}),
    }),
  });
  return built;
}

/**
 * Code work after a committed change. A scheduling failure is logged, not answered as an error: the change is
 * committed, and the readiness check catches a code that never went on.
 */
export const codeWork: CodeWork = {
  async afterGrantChange(options) {
    try {
      await codeWorkOf().afterGrantChange(options);
    } catch (error) {
      logger.error('Could not schedule the code work of a grant', { grantId: options.grant.id, error });
    }
  },
};
