/**
 * Runs a scheduled task by its type. Each kind of delayed work (code push, guest email, expiry, readiness
 * check...) registers a runner under its type; a task of a type nobody registered is a deployment mistake
 * and fails loudly so that it lands in the dead-letter queue instead of vanishing.
 */
import { z } from 'zod';

export const scheduledTaskEventSchema = z.object({
  taskId: z.string().min(1),
  type: z.string().min(1),
  payload: z.record(z.string(), z.unknown()),
});

export type ScheduledTaskInput = z.infer<typeof scheduledTaskEventSchema>;

export type TaskRunner = (task: ScheduledTaskInput) => Promise<void>;

export class UnknownTaskTypeError extends Error {
  readonly type: string;
  constructor(type: string) {
    super(`No runner is registered for scheduled tasks of type '${type}'`);
    this.type = type;
  }
}

export function createTaskDispatcher(runners: Readonly<Record<string, TaskRunner>>) {
  return async (event: unknown): Promise<void> => {
    const task = scheduledTaskEventSchema.parse(event);
    const run = runners[task.type];
    if (!run) throw new UnknownTaskTypeError(task.type);
    await run(task);
  };
}
