/**
 * Delayed work, as the domain asks for it: "run this task at that time". Adapters decide how (EventBridge
 * Scheduler in AWS, its local twin at home); the task itself runs in the scheduled-task function.
 */

export interface ScheduledTask {
  /** Unique per task and stable, so that scheduling the same work twice replaces instead of doubling it. */
  readonly id: string;
  readonly type: string;
  readonly runAt: Date;
  readonly payload: Readonly<Record<string, unknown>>;
}

export interface TaskScheduler {
  /** Schedules the task, or moves it if a task with this id is already scheduled. */
  schedule(task: ScheduledTask): Promise<void>;
  /** Cancels the task; cancelling one that already ran or never existed is not an error. */
  cancel(taskId: string): Promise<void>;
}
