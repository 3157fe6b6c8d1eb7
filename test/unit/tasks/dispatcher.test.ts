import { describe, expect, it } from 'vitest';
import {
  createTaskDispatcher,
  type ScheduledTaskInput,
  UnknownTaskTypeError,
} from '#shared/tasks/dispatcher.ts';

describe('a scheduled task', () => {
  it('runs with the runner registered for its type', async () => {
    const ran: ScheduledTaskInput[] = [];
    const dispatch = createTaskDispatcher({ 'push-codes': async (task) => void ran.push(task) });

    await dispatch({ taskId: 't1', type: 'push-codes', payload: { grantId: 'g1' } });

    expect(ran).toEqual([{ taskId: 't1', type: 'push-codes', payload: { grantId: 'g1' } }]);
  });

  it('of a type nobody registered fails loudly, so that it reaches the dead-letter queue', async () => {
    const dispatch = createTaskDispatcher({});

    await expect(dispatch({ taskId: 't1', type: 'mystery', payload: {} })).rejects.toBeInstanceOf(
      UnknownTaskTypeError,
    );
  });

  it('that is malformed is refused before any runner sees it', async () => {
    const ran: ScheduledTaskInput[] = [];
    const dispatch = createTaskDispatcher({ 'push-codes': async (task) => void ran.push(task) });

    await expect(dispatch({ type: 'push-codes' })).rejects.toThrow();
    expect(ran).toEqual([]);
  });
});
