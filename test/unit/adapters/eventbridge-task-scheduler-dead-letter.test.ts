/** A task whose delivery fails after every retry lands in the dead-letter queue the deployment names. */
import {
  ConflictException,
  CreateScheduleCommand,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createEventBridgeTaskScheduler } from '#shared/adapters/eventbridge-task-scheduler.ts';

const scheduler = mockClient(SchedulerClient);
const deadLetterQueueArn = 'arn:aws:sqs:eu-west-1:123456789012:scheduled-task-dead-letters';
const task = {
  id: 'grant-g1:guest-email',
  type: 'guest-email',
  runAt: new Date('2026-11-27T09:00:00Z'),
  payload: { grantId: 'g1' },
};

const tasksWith = (options: { deadLetterQueueArn?: string }) =>
  createEventBridgeTaskScheduler({
    client: new SchedulerClient({}),
    groupName: 'lockstay',
    targetFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:run-task',
    roleArn: 'arn:aws:iam::123456789012:role/scheduler',
    now: () => new Date('2026-11-26T10:00:00Z'),
    ...options,
  });

describe('dead-lettering scheduled tasks', () => {
  beforeEach(() => {
    scheduler.reset();
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
  });

  it('names the dead-letter queue in the target of every schedule it creates', async () => {
    // Act
    await tasksWith({ deadLetterQueueArn }).schedule(task);

    // Assess
    expect(scheduler).toReceiveCommandWith(CreateScheduleCommand, {
      Target: expect.objectContaining({ DeadLetterConfig: { Arn: deadLetterQueueArn } }),
    });
  });

  it('keeps the dead-letter queue when it moves a schedule that already exists', async () => {
    // Prepare
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));
    scheduler.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn' });

    // Act
    await tasksWith({ deadLetterQueueArn }).schedule(task);

    // Assess
    expect(scheduler).toReceiveCommandWith(UpdateScheduleCommand, {
      Target: expect.objectContaining({ DeadLetterConfig: { Arn: deadLetterQueueArn } }),
    });
  });

  it('leaves the dead-letter setting out when the deployment names no queue', async () => {
    // Act
    await tasksWith({}).schedule(task);

    // Assess
    const [call] = scheduler.commandCalls(CreateScheduleCommand);
    expect(call?.args[0].input.Target).not.toHaveProperty('DeadLetterConfig');
  });
});
