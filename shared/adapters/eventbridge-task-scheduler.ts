/**
 * TaskScheduler on EventBridge Scheduler: one one-time schedule per task (`at(...)` in UTC), deleted by the
 * service after it runs, targeting the scheduled-task function with the task as its input. Locally the same
 * client talks to the scheduler twin; only the endpoint differs.
 */
import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleInput,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import type { ScheduledTask, TaskScheduler } from '#shared/domain/ports/task-scheduler.ts';

export interface EventBridgeTaskSchedulerOptions {
  readonly client: SchedulerClient;
  readonly groupName: string;
  readonly targetFunctionArn: string;
  readonly roleArn: string;
  /**
   * Queue that receives a task whose delivery failed after every retry, so that it can be inspected and
   * replayed instead of being lost.
   * @default no dead-letter queue
   */
  readonly deadLetterQueueArn?: string;
  readonly now?: () => Date;
}

/** What the scheduled-task function receives as its event. */
export interface ScheduledTaskEvent {
  readonly taskId: string;
  readonly type: string;
  readonly payload: Record<string, unknown>;
}

/** Schedule names allow 1-64 of `[0-9a-zA-Z-_.]`. */
const scheduleNameOf = (taskId: string): string => taskId.replace(/[^0-9a-zA-Z_.-]/g, '_').slice(0, 64);

/**
 * `at(2026-11-26T10:15:00)`, UTC. Rounded up to the whole second, so a task never runs before its time; a time
 * already past runs as soon as possible.
 */
export function atExpression(runAt: Date, now: Date): string {
  const when = Math.ceil(Math.max(runAt.getTime(), now.getTime()) / 1000) * 1000;
  return `at(${new Date(when).toISOString().slice(0, 19)})`;
}

export function createEventBridgeTaskScheduler(options: EventBridgeTaskSchedulerOptions): TaskScheduler {
  const {
    client,
    groupName,
    targetFunctionArn,
    roleArn,
    deadLetterQueueArn,
    now = () => new Date(),
  } = options;

  const inputOf = (task: ScheduledTask): CreateScheduleInput => {
    const event: ScheduledTaskEvent = { taskId: task.id, type: task.type, payload: { ...task.payload } };
    return {
      Name: scheduleNameOf(task.id),
      GroupName: groupName,
      ScheduleExpression: atExpression(task.runAt, now()),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: targetFunctionArn,
        RoleArn: roleArn,
        Input: JSON.stringify(event),
        RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 5 },
        ...(deadLetterQueueArn === undefined ? {} : { DeadLetterConfig: { Arn: deadLetterQueueArn } }),
      },
    };
  };

  return {
    async schedule(task) {
      const input = inputOf(task);
      // A schedule that exists is updated; one that ran and deleted itself between the two calls is created
      // again (its task is idempotent), so a task is never left unscheduled by that race.
      for (let attempt = 1; ; attempt += 1) {
        try {
          await client.send(new CreateScheduleCommand(input));
          return;
        } catch (error) {
          if (!(error instanceof ConflictException)) throw error;
        }
        try {
          await client.send(new UpdateScheduleCommand(input));
          return;
        } catch (error) {
          if (!(error instanceof ResourceNotFoundException) || attempt >= 3) throw error;
        }
      }
    },
    async cancel(taskId) {
      try {
        await client.send(new DeleteScheduleCommand({ Name: scheduleNameOf(taskId), GroupName: groupName }));
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }
    },
  };
}
