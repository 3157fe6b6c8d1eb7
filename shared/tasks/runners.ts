/**
 * The runners of every kind of scheduled task, by type. Each feature adds its own entry here when it starts
 * scheduling work.
 */
import type { TaskRunner } from './dispatcher.ts';

export const taskRunners: Readonly<Record<string, TaskRunner>> = {};
