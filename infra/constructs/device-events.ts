/**
 * How locks' reports reach Lockstay in AWS: one IoT topic rule per entry of `infra/iot-rules.ts` (the same
 * rules the local IoT Core runs), each invoking its target function, which only that rule may invoke on IoT's
 * behalf. A message a rule cannot deliver goes to an encrypted dead-letter queue through a role that may send
 * to that queue and do nothing else, so that a failing handler loses no report from a door.
 */
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Grant, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnTopicRule } from 'aws-cdk-lib/aws-iot';
import { CfnPermission, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionName } from '../functions.ts';
import { type IotTopicRuleDefinition, iotSqlVersion } from '../iot-rules.ts';

export interface DeviceEventsProps {
  /** The rules, by name (`infra/iot-rules.ts`). */
  readonly rules: Readonly<Record<string, IotTopicRuleDefinition>>;
  /** The functions a rule may target, by their catalogue name. */
  readonly functions: Readonly<Record<FunctionName, IFunction>>;
  /**
   * How long an undeliverable device event waits in the dead-letter queue.
   * @default 14 days, the longest SQS keeps a message
   */
  readonly deadLetterRetention?: Duration;
}

const constructIdOf = (name: string): string => `${name.charAt(0).toUpperCase()}${name.slice(1)}`;

export class DeviceEvents extends Construct {
  /** The topic rules, by their name in `infra/iot-rules.ts`. */
  readonly topicRules: Readonly<Record<string, CfnTopicRule>>;
  readonly deadLetterQueue: Queue;
  /** The role IoT assumes to dead-letter a message a rule could not deliver. */
  readonly errorActionRole: Role;

  constructor(scope: Construct, id: string, props: DeviceEventsProps) {
    super(scope, id);
    const { rules, functions, deadLetterRetention } = props;
    const stack = Stack.of(this);

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: deadLetterRetention ?? Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "It is the dead-letter queue: every topic rule's error action sends to it",
    });

    this.errorActionRole = new Role(this, 'ErrorActionRole', {
      description: 'Assumed by AWS IoT to dead-letter device events a Lockstay topic rule could not deliver',
      assumedBy: new ServicePrincipal('iot.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    });
    Grant.addToPrincipal({
      grantee: this.errorActionRole,
      actions: ['sqs:SendMessage'],
      resourceArns: [this.deadLetterQueue.queueArn],
    });

    this.topicRules = Object.fromEntries(
      Object.entries(rules).map(([name, rule]) => {
        const target = functions[rule.target as FunctionName];
        if (!target) throw new Error(`The IoT rule ${name} targets '${rule.target}', which is no function`);
        const id = constructIdOf(name);
        const topicRule = new CfnTopicRule(this, id, {
          topicRulePayload: {
            description: rule.description,
            sql: rule.sql,
            awsIotSqlVersion: iotSqlVersion,
            ruleDisabled: false,
            actions: [{ lambda: { functionArn: target.functionArn } }],
            errorAction: {
              sqs: { queueUrl: this.deadLetterQueue.queueUrl, roleArn: this.errorActionRole.roleArn },
            },
          },
        });
        // Only this rule, in this account, may have IoT invoke the function.
        new CfnPermission(this, `${id}Invoke`, {
          action: 'lambda:InvokeFunction',
          functionName: target.functionArn,
          principal: 'iot.amazonaws.com',
          sourceArn: topicRule.attrArn,
          sourceAccount: stack.account,
        });
        return [name, topicRule];
      }),
    );
  }
}
