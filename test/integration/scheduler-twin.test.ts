import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConflictException,
  GetScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SchedulerTwin, startSchedulerTwin } from '#infra/local/scheduler-twin.ts';
import { createEventBridgeTaskScheduler } from '#shared/adapters/eventbridge-task-scheduler.ts';

const functionArn = 'arn:aws:lambda:us-east-1:000000000000:function:runScheduledTask';
const groupName = 'lockstay';

interface Invocation {
  readonly functionName: string;
  readonly event: unknown;
  /** When the twin invoked the function, epoch ms. */
  readonly at: number;
}

describe('the scheduler twin, driven by the production adapter through the AWS SDK', () => {
  let dataDir: string;
  let twin: SchedulerTwin | undefined;
  let invocations: Invocation[];
  let failuresLeft: number;
  let invoked: (() => void) | undefined;

  const start = async () => {
    twin = await startSchedulerTwin({
      dataDir,
      port: 0,
      groups: [groupName],
      retryBaseDelayMs: 10,
      invoke: async (functionName, event) => {
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          throw new Error('function failed');
        }
        invocations.push({ functionName, event, at: Date.now() });
        invoked?.();
      },
    });
    const client = new SchedulerClient({
      endpoint: twin.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const tasks = createEventBridgeTaskScheduler({
      client,
      groupName,
      targetFunctionArn: functionArn,
      roleArn: 'arn:aws:iam::000000000000:role/scheduler',
    });
    return { client, tasks };
  };
  const nextInvocation = () => new Promise<void>((resolve) => (invoked = resolve));
  /** Resolves once the task with this id has run (received in order, so anything due before it ran first). */
  const invocationOf = (taskId: string) =>
    new Promise<void>((resolve) => {
      invoked = () => {
        if (invocations.some((invocation) => (invocation.event as { taskId: string }).taskId === taskId))
          resolve();
      };
    });

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'scheduler-twin-'));
    invocations = [];
    failuresLeft = 0;
  });
  afterEach(async () => {
    await twin?.stop();
    twin = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs a task at its time with the task as the event, then deletes the one-time schedule', async () => {
    const { client, tasks } = await start();
    const ran = nextInvocation();
    const runAt = new Date(Date.now() + 1000);

    await tasks.schedule({ id: 'push-codes-1', type: 'push-codes', runAt, payload: { grantId: 'g1' } });
    await ran;

    expect(invocations).toEqual([
      {
        functionName: 'runScheduledTask',
        event: { taskId: 'push-codes-1', type: 'push-codes', payload: { grantId: 'g1' } },
        at: expect.any(Number),
      },
    ]);
    // Not before its time (however long scheduling took on a busy machine).
    expect(invocations[0]?.at).toBeGreaterThanOrEqual(runAt.getTime());
    await expect(
      client.send(new GetScheduleCommand({ Name: 'push-codes-1', GroupName: groupName })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('moves a task scheduled again under the same id instead of running it twice', async () => {
    const { client, tasks } = await start();
    await tasks.schedule({
      id: 'email-1',
      type: 'guest-email',
      runAt: new Date('2099-01-01T10:00:00Z'),
      payload: {},
    });

    await tasks.schedule({
      id: 'email-1',
      type: 'guest-email',
      runAt: new Date('2099-01-02T16:30:00Z'),
      payload: {},
    });

    const schedule = await client.send(new GetScheduleCommand({ Name: 'email-1', GroupName: groupName }));
    expect(schedule.ScheduleExpression).toBe('at(2099-01-02T16:30:00)');
    expect(schedule.ScheduleExpressionTimezone).toBe('UTC');
  });

  it('answers ConflictException and ResourceNotFoundException as AWS does', async () => {
    const { client } = await start();
    const { CreateScheduleCommand, DeleteScheduleCommand } = await import('@aws-sdk/client-scheduler');
    const input = {
      Name: 'twice',
      GroupName: groupName,
      ScheduleExpression: 'at(2099-01-01T00:00:00)',
      FlexibleTimeWindow: { Mode: 'OFF' as const },
      Target: { Arn: functionArn, RoleArn: 'arn:aws:iam::000000000000:role/scheduler' },
    };
    await client.send(new CreateScheduleCommand(input));

    await expect(client.send(new CreateScheduleCommand(input))).rejects.toBeInstanceOf(ConflictException);
    await expect(
      client.send(new DeleteScheduleCommand({ Name: 'never', GroupName: groupName })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('cancels a task so that it never runs', async () => {
    const { client, tasks } = await start();
    // Far enough ahead that the cancellation comes first even on a busy machine.
    const runAt = Date.now() + 5_000;
    await tasks.schedule({ id: 'expire-1', type: 'expire', runAt: new Date(runAt), payload: {} });

    await tasks.cancel('expire-1');
    await tasks.cancel('expire-1');
    await expect(
      client.send(new GetScheduleCommand({ Name: 'expire-1', GroupName: groupName })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    // A task due after it has run: had the cancelled one been left, it would have run before.
    const sentinelRan = invocationOf('sentinel');
    await tasks.schedule({ id: 'sentinel', type: 'expire', runAt: new Date(runAt + 1_000), payload: {} });
    await sentinelRan;

    expect(invocations.map((invocation) => (invocation.event as { taskId: string }).taskId)).toEqual([
      'sentinel',
    ]);
  });

  it('retries a failing function before giving up', async () => {
    const { tasks } = await start();
    failuresLeft = 2;
    const ran = nextInvocation();

    await tasks.schedule({ id: 'flaky', type: 'push-codes', runAt: new Date(), payload: {} });
    await ran;

    expect(invocations).toHaveLength(1);
  });

  it('keeps schedules across a restart and runs the ones that fell due while it was down', async () => {
    const first = await start();
    await first.tasks.schedule({
      id: 'later',
      type: 'readiness',
      runAt: new Date(Date.now() + 3_600_000),
      payload: {},
    });
    // Far enough ahead that the twin is stopped before it is due, even on a busy machine.
    const soonAt = Date.now() + 4_000;
    await first.tasks.schedule({ id: 'soon', type: 'readiness', runAt: new Date(soonAt), payload: {} });
    await twin?.stop();
    expect(invocations).toEqual([]);

    // It falls due while the twin is down (`at` expressions are whole seconds, rounded up).
    const dueAt = Math.ceil(soonAt / 1000) * 1000;
    await expect.poll(() => Date.now(), { timeout: 10_000, interval: 100 }).toBeGreaterThan(dueAt);
    const ran = nextInvocation();
    const second = await start();
    await ran;

    expect(invocations.map((invocation) => (invocation.event as { taskId: string }).taskId)).toEqual([
      'soon',
    ]);
    const kept = await second.client.send(new GetScheduleCommand({ Name: 'later', GroupName: groupName }));
    expect(kept.Target?.Arn).toBe(functionArn);
  });
});
