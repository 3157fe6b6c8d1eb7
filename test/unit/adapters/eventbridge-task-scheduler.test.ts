import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { atExpression, createEventBridgeTaskScheduler } from '#shared/adapters/eventbridge-task-scheduler.ts';

const scheduler = mockClient(SchedulerClient);
const now = new Date('2026-11-26T10:00:00.000Z');

const tasks = () =>
  createEventBridgeTaskScheduler({
    client: new SchedulerClient({}),
    groupName: 'lockstay',
    targetFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:run-task',
    roleArn: 'arn:aws:iam::123456789012:role/scheduler',
    now: () => now,
  });

describe('scheduling a task on EventBridge Scheduler', () => {
  beforeEach(() => scheduler.reset());

  it('creates a one-time schedule in UTC that deletes itself and carries the task', async () => {
    // Prepare
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });

    // Act
    await tasks().schedule({
      id: 'grant-g1:push-codes',
      type: 'push-codes',
      runAt: new Date('2026-11-27T14:00:00Z'),
      payload: { grantId: 'g1' },
    });

    // Assess
    expect(scheduler).toReceiveCommandWith(CreateScheduleCommand, {
      Name: 'grant-g1_push-codes',
      GroupName: 'lockstay',
      ScheduleExpression: 'at(2026-11-27T14:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      ActionAfterCompletion: 'DELETE',
      Target: expect.objectContaining({
        Arn: 'arn:aws:lambda:eu-west-1:123456789012:function:run-task',
        Input: JSON.stringify({
          taskId: 'grant-g1:push-codes',
          type: 'push-codes',
          payload: { grantId: 'g1' },
        }),
      }),
    });
  });

  it('moves a schedule that already exists', async () => {
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }))
      .on(UpdateScheduleCommand)
      .resolves({ ScheduleArn: 'arn' });

    await tasks().schedule({
      id: 'email-b1',
      type: 'guest-email',
      runAt: new Date('2026-11-28T09:00:00Z'),
      payload: {},
    });

    expect(scheduler).toReceiveCommandWith(UpdateScheduleCommand, {
      Name: 'email-b1',
      ScheduleExpression: 'at(2026-11-28T09:00:00)',
    });
  });

  it('creates the schedule again when the one it found ran and deleted itself before it could be moved', async () => {
    scheduler
      .on(CreateScheduleCommand)
      .rejectsOnce(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }))
      .resolves({ ScheduleArn: 'arn' })
      .on(UpdateScheduleCommand)
      .rejects(new ResourceNotFoundException({ message: 'gone', Message: 'gone', $metadata: {} }));

    await tasks().schedule({
      id: 'dlv-1',
      type: 'delivery',
      runAt: new Date('2026-11-26T10:00:00Z'),
      payload: {},
    });

    expect(scheduler).toHaveReceivedCommandTimes(CreateScheduleCommand, 2);
    expect(scheduler).toHaveReceivedCommandTimes(UpdateScheduleCommand, 1);
  });

  it('gives up after three rounds of a schedule that keeps vanishing', async () => {
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }))
      .on(UpdateScheduleCommand)
      .rejects(new ResourceNotFoundException({ message: 'gone', Message: 'gone', $metadata: {} }));

    await expect(
      tasks().schedule({
        id: 'dlv-1',
        type: 'delivery',
        runAt: new Date('2026-11-26T10:00:00Z'),
        payload: {},
      }),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(scheduler).toHaveReceivedCommandTimes(CreateScheduleCommand, 3);
  });

  it('treats cancelling a schedule that already ran as done', async () => {
    scheduler
      .on(DeleteScheduleCommand)
      .rejects(new ResourceNotFoundException({ message: 'gone', Message: 'gone', $metadata: {} }));

    await expect(tasks().cancel('email-b1')).resolves.toBeUndefined();
    expect(scheduler).toReceiveCommandWith(DeleteScheduleCommand, {
      Name: 'email-b1',
      GroupName: 'lockstay',
    });
  });
});

describe('the at() expression', () => {
  it('never runs a task before its time: fractions of a second round up', () => {
    expect(atExpression(new Date('2026-11-26T10:00:05.200Z'), now)).toBe('at(2026-11-26T10:00:06)');
  });

  it('runs a task whose time has passed as soon as possible', () => {
    expect(atExpression(new Date('2026-11-20T08:00:00Z'), now)).toBe('at(2026-11-26T10:00:00)');
  });
});
