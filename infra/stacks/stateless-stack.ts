/**
 * Everything that can be replaced by deploying again: the functions, the HTTP API, the scheduling plumbing
 * and the IoT topic rules that carry locks' reports to the functions. It reads the stateful stack's
 * resources and never owns data.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Api } from '../constructs/api.ts';
import { DeviceEvents } from '../constructs/device-events.ts';
import { Handlers } from '../constructs/handlers.ts';
import { LockIdentities } from '../constructs/lock-identities.ts';
import { ScheduledWork } from '../constructs/scheduled-work.ts';
import { functions } from '../functions.ts';
import { iotTopicRules } from '../iot-rules.ts';
import { routes } from '../routes.ts';
import type { StatefulStack } from './stateful-stack.ts';

export interface StatelessStackProps extends StackProps {
  /** Where the table, the user pool and the mail identity come from. */
  readonly stateful: Pick<StatefulStack, 'data' | 'identity' | 'mail'>;
}

export class StatelessStack extends Stack {
  readonly handlers: Handlers;
  readonly scheduledWork: ScheduledWork;
  readonly api: Api;
  readonly lockIdentities: LockIdentities;
  readonly deviceEvents: DeviceEvents;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { data, identity, mail } = props.stateful;
    const { userPool, userPoolClient } = identity;

    this.handlers = new Handlers(this, 'Handlers', {
      definitions: functions,
      scheduledTaskFunction: 'runScheduledTask',
    });
    const taskFunction = this.handlers.functions.runScheduledTask;
    this.scheduledWork = new ScheduledWork(this, 'ScheduledWork', {
      taskFunction,
      ...(taskFunction.selfReferencingArn === undefined
        ? {}
        : { taskFunctionArn: taskFunction.selfReferencingArn }),
    });
    this.lockIdentities = new LockIdentities(this, 'LockIdentities');
    this.handlers.bindNeeds({
      lockIdentities: this.lockIdentities,
      data,
      userPool,
      userPoolClient,
      mail,
      scheduledWork: this.scheduledWork,
    });

    this.deviceEvents = new DeviceEvents(this, 'DeviceEvents', {
      rules: iotTopicRules,
      functions: this.handlers.functions,
    });

    this.api = new Api(this, 'Api', { routes, handlers: this.handlers.functions, userPool, userPoolClient });
  }
}
