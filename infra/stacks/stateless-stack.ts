/**
 * Everything that can be replaced by deploying again: the functions, the HTTP API, the scheduling plumbing,
 * the IoT topic rules that carry locks' reports to the functions, and the web pages (S3 and CloudFront). It reads the stateful stack's
 * resources and never owns data.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Api } from '../constructs/api.ts';
import { ApiCors } from '../constructs/api-cors.ts';
import { DeviceEvents } from '../constructs/device-events.ts';
import { Handlers } from '../constructs/handlers.ts';
import { LockIdentities } from '../constructs/lock-identities.ts';
import { ScheduledWork } from '../constructs/scheduled-work.ts';
import { WebPages } from '../constructs/web-pages.ts';
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
  readonly webPages: WebPages;
  readonly apiCors: ApiCors;

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
    this.api = new Api(this, 'Api', { routes, handlers: this.handlers.functions, userPool, userPoolClient });

    this.webPages = new WebPages(this, 'WebPages', {
      httpApiId: this.api.httpApi.apiId,
      console: {
        apiUrl: this.api.stage.url,
        userPoolId: userPool.userPoolId,
        userPoolClientId: userPoolClient.userPoolClientId,
      },
    });
    this.apiCors = new ApiCors(this, 'ApiCors', {
      httpApi: this.api.httpApi,
      allowOrigins: [this.webPages.origin],
    });

    this.handlers.bindNeeds({
      lockIdentities: this.lockIdentities,
      data,
      userPool,
      userPoolClient,
      mail,
      scheduledWork: this.scheduledWork,
      pages: {
        origin: this.webPages.origin,
        // A dynamic reference, resolved by CloudFormation at deployment: the template never holds the value.
        edgeSecret: this.webPages.edgeSecret.secretValue.unsafeUnwrap(),
      },
    });

    this.deviceEvents = new DeviceEvents(this, 'DeviceEvents', {
      rules: iotTopicRules,
      functions: this.handlers.functions,
    });
  }
}
