/**
 * The stateless stack: one function per catalogue entry, each bound to what it needs and nothing more; the
 * HTTP API with exactly the routes of the route table; the scheduling plumbing.
 */

import { Match } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FunctionDefinition,
  type FunctionName,
  type FunctionNeed,
  functionNames,
  functions,
} from '#infra/functions.ts';
import { iotSqlVersion, iotTopicRules } from '#infra/iot-rules.ts';
import { routeKey, routes } from '#infra/routes.ts';
import { resourceVariables } from '#shared/config.ts';
import {
  removeSynthesizedApps,
  resourcesOf,
  type SynthesizedLockstay,
  synthLockstay,
  type TemplateResource,
} from './lockstay-fixture.ts';

afterAll(removeSynthesizedApps);

let lockstay: SynthesizedLockstay;
beforeAll(() => {
  lockstay = synthLockstay();
});

const logicalIdOf = (name: FunctionName): string => {
  const fn = lockstay.stateless.handlers.functions[name];
  return lockstay.stateless.getLogicalId(fn.node.defaultChild as CfnFunction);
};
const functionResourceOf = (name: FunctionName): TemplateResource => {
  const resource = resourcesOf(lockstay.statelessTemplate)[logicalIdOf(name)];
  if (!resource) throw new Error(`No function resource for ${name}`);
  return resource;
};
const environmentOf = (name: FunctionName): Record<string, unknown> =>
  (functionResourceOf(name).Properties as { Environment: { Variables: Record<string, unknown> } }).Environment
    .Variables;

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}
const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every Allow statement of every identity policy in both stacks, with the logical id of its policy. */
const allowStatements = (): { policy: string; statement: Statement }[] =>
  [lockstay.statefulTemplate, lockstay.statelessTemplate].flatMap((template) => {
    const policies = resourcesOf(template, 'AWS::IAM::Policy');
    return Object.entries(policies).flatMap(([policy, resource]) =>
      (resource.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement.filter(
        (statement) => statement.Effect === 'Allow',
      ).map((statement) => ({ policy, statement })),
    );
  });

/** The policy statements attached to a role, by the role's logical id. */
const statementsOfRole = (roleLogicalId: string): Statement[] =>
  Object.values(resourcesOf(lockstay.statelessTemplate, 'AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties?.Roles) === JSON.stringify([{ Ref: roleLogicalId }]))
    .flatMap(
      (policy) =>
        (policy.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement,
    );

/** The one resource of the stateless stack of that type (and matching `where`); fails unless exactly one. */
const resourceWhere = (type: string, where: (resource: TemplateResource) => boolean = () => true) => {
  const found = Object.values(resourcesOf(lockstay.statelessTemplate, type)).filter(where);
  if (found.length !== 1) throw new Error(`Expected one ${type}, found ${found.length}`);
  return found[0] as TemplateResource;
};

const needsOf = (name: FunctionName): readonly FunctionNeed[] => functions[name].needs;
const functionsThatNeed = (need: FunctionNeed): FunctionName[] =>
  functionNames.filter((name) => needsOf(name).includes(need));

const roleOfFunction = (name: FunctionName): string =>
  (functionResourceOf(name).Properties as { Role: { 'Fn::GetAtt': [string, string] } }).Role['Fn::GetAtt'][0];

describe('functions', () => {
  it('are one per entry of the function catalogue, beside the CDK’s deployment-time providers of the web pages', () => {
    const catalogue = new Set(functionNames.map(logicalIdOf));
    const others = Object.keys(resourcesOf(lockstay.statelessTemplate, 'AWS::Lambda::Function')).filter(
      (id) => !catalogue.has(id),
    );

    expect(catalogue.size).toBe(functionNames.length);
    // BucketDeployment (copies the pages) and AwsCustomResource (sets the API's CORS rules), one each.
    expect(others).toHaveLength(2);
    expect(others.some((id) => id.startsWith('CustomCDKBucketDeployment'))).toBe(true);
    expect(others.some((id) => id.startsWith('AWS679f53fac002430cb0da5b7982bd2287'))).toBe(true);
  });

  it.each(functionNames)('%s runs on Node.js 24 on ARM64, traced, with its timeout and memory', (name) => {
    const definition: FunctionDefinition = functions[name];

    expect(functionResourceOf(name).Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      Timeout: definition.timeoutSeconds ?? 10,
      MemorySize: definition.memoryMb ?? 512,
      Description: functions[name].description,
    });
  });

  it.each(functionNames)('%s logs as JSON to its own log group, which expires its events', (name) => {
    const logGroup = (functionResourceOf(name).Properties as { LoggingConfig: { LogGroup: { Ref: string } } })
      .LoggingConfig.LogGroup.Ref;

    expect(functionResourceOf(name).Properties).toMatchObject({ LoggingConfig: { LogFormat: 'JSON' } });
    expect(resourcesOf(lockstay.statelessTemplate)[logGroup]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: expect.any(Number) },
    });
  });

  // What each need puts in a function's environment, as shared/config.ts names it.
  const variablesOfNeed: Record<FunctionNeed, string[]> = {
    'table:read': [resourceVariables.table],
    'table:readWrite': [resourceVariables.table],
    'userPool:read': [resourceVariables.userPoolId, resourceVariables.userPoolClientId],
    'userPool:admin': [resourceVariables.userPoolId, resourceVariables.userPoolClientId],
    'mail:send': [resourceVariables.mailFrom],
    'scheduler:manage': [
      resourceVariables.schedulerGroup,
      resourceVariables.schedulerRoleArn,
      resourceVariables.scheduledTaskFunctionArn,
      resourceVariables.schedulerDeadLetterQueueArn,
    ],
    'devices:provision': [resourceVariables.iotLockPolicyName, resourceVariables.deviceKeyKmsKeyId],
    'iot:shadows': [resourceVariables.deviceKeyKmsKeyId],
    'secrets:seal': [resourceVariables.deviceKeyKmsKeyId],
    'pages:origin': [resourceVariables.pagesOrigin],
    'pages:edge': [resourceVariables.pagesEdgeSecret],
  };

  it.each(functionNames)(
    '%s has the Powertools settings and a variable for each of its needs, no more',
    (name) => {
      const needs = needsOf(name);
      const expected = new Set([
        'POWERTOOLS_SERVICE_NAME',
        'POWERTOOLS_METRICS_NAMESPACE',
        'NODE_OPTIONS',
        ...needs.flatMap((need) => variablesOfNeed[need]),
      ]);
      const environment = environmentOf(name);

      expect(new Set(Object.keys(environment))).toEqual(expected);
      expect(environment.NODE_OPTIONS).toBe('--enable-source-maps');
    },
  );

  it('send mail as no-reply at the sender domain', () => {
    const senders = functionsThatNeed('mail:send');

    expect(senders.length).toBeGreaterThan(0);
    for (const name of senders) expect(environmentOf(name).MAIL_FROM).toMatch(/^no-reply@/);
  });

  it('that seal secrets may encrypt and decrypt with the table key, and are the integration functions', () => {
    const sealers = functionsThatNeed('secrets:seal');
    const tableKeyId = Object.keys(resourcesOf(lockstay.statefulTemplate, 'AWS::KMS::Key'))[0] ?? '';

    expect(sealers).toEqual(expect.arrayContaining(['integrations', 'webhooks']));
    for (const name of sealers) {
      const keyActions = statementsOfRole(roleOfFunction(name))
        .filter((statement) => JSON.stringify(statement.Resource).includes(tableKeyId))
        .flatMap((statement) => asArray(statement.Action));
      expect(keyActions).toEqual(expect.arrayContaining(['kms:Encrypt', 'kms:Decrypt']));
      expect(JSON.stringify(environmentOf(name)[resourceVariables.deviceKeyKmsKeyId])).toContain(tableKeyId);
    }
  });

  it('may not scan the table: no request path scans', () => {
    const scans = allowStatements().filter(({ statement }) =>
      asArray(statement.Action).includes('dynamodb:Scan'),
    );

    expect(scans).toEqual([]);
  });

  it('that only read may neither write the table nor encrypt with its key', () => {
    const readers = functionsThatNeed('table:read');
    const writes = /^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)$|^kms:(Encrypt|GenerateDataKey)/;

    expect(readers.length).toBeGreaterThan(0);
    for (const name of readers) {
      const actions = statementsOfRole(roleOfFunction(name)).flatMap((statement) =>
        asArray(statement.Action),
      );
      expect(actions).toContain('dynamodb:Query');
      expect(actions.filter((action) => writes.test(action))).toEqual([]);
    }
  });
});

describe('IAM', () => {
  // X-Ray's write actions and ses:GetAccount have no resource type: `*` is the only resource IAM accepts.
  const withoutResourceType = new Set([
    'xray:PutTraceSegments',
    'xray:PutTelemetryRecords',
    'ses:GetAccount',
    'iot:CreateKeysAndCertificate',
    'iot:DescribeEndpoint',
  ]);

  it('allows no wildcard action anywhere', () => {
    const wildcards = allowStatements().filter(({ statement }) =>
      asArray(statement.Action).some((action) => action === '*' || action.endsWith(':*')),
    );

    expect(wildcards).toEqual([]);
  });

  it('allows every resource (*) only for actions that have no resource type', () => {
    const everyResource = allowStatements().filter(({ statement }) =>
      asArray(statement.Resource).includes('*'),
    );

    expect(everyResource.length).toBeGreaterThan(0);
    for (const { statement } of everyResource) {
      expect(asArray(statement.Action).filter((action) => !withoutResourceType.has(action))).toEqual([]);
    }
  });

  it('uses no AWS managed policy', () => {
    const roles = Object.values(resourcesOf(lockstay.statelessTemplate, 'AWS::IAM::Role'));

    expect(roles.length).toBeGreaterThan(0);
    for (const role of roles) expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
  });
});

describe('scheduled work', () => {
  const schedulerRole = (): [string, TemplateResource] => {
    const roles = Object.entries(resourcesOf(lockstay.statelessTemplate, 'AWS::IAM::Role')).filter(
      ([, role]) =>
        JSON.stringify(role.Properties?.AssumeRolePolicyDocument).includes('scheduler.amazonaws.com'),
    );
    expect(roles).toHaveLength(1);
    return roles[0] as [string, TemplateResource];
  };

  it('runs tasks through a role only schedules of the group may assume', () => {
    const [, role] = schedulerRole();
    const groupId = Object.keys(resourcesOf(lockstay.statelessTemplate, 'AWS::Scheduler::ScheduleGroup'))[0];

    expect(role.Properties?.AssumeRolePolicyDocument).toMatchObject({
      Statement: [
        {
          Action: 'sts:AssumeRole',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: {
            StringEquals: {
              'aws:SourceAccount': { Ref: 'AWS::AccountId' },
              'aws:SourceArn': { 'Fn::GetAtt': [groupId, 'Arn'] },
            },
          },
        },
      ],
    });
  });

  it('lets the scheduler invoke the scheduled-task function and nothing else', () => {
    const [roleId] = schedulerRole();
    const statements = statementsOfRole(roleId);
    const lambdaStatements = statements.filter((statement) =>
      asArray(statement.Action).some((action) => action.startsWith('lambda:')),
    );

    expect(lambdaStatements).toEqual([
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: { 'Fn::GetAtt': [logicalIdOf('runScheduledTask'), 'Arn'] },
      },
    ]);
    const otherActions = statements
      .filter((statement) => !lambdaStatements.includes(statement))
      .flatMap((statement) => asArray(statement.Action));
    expect(otherActions.every((action) => action.startsWith('sqs:'))).toBe(true);
  });

  it('dead-letters undeliverable tasks to an encrypted queue that refuses plain HTTP', () => {
    const [queueId] = Object.keys(resourcesOf(lockstay.statelessTemplate, 'AWS::SQS::Queue'));
    const [roleId] = schedulerRole();

    lockstay.statelessTemplate.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    lockstay.statelessTemplate.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    expect(statementsOfRole(roleId)).toContainEqual(
      expect.objectContaining({
        Action: expect.arrayContaining(['sqs:SendMessage']),
        Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
      }),
    );
  });

  it('names the deployed scheduled-task function in the ARN the schedules target', () => {
    const { FunctionName } = functionResourceOf('runScheduledTask').Properties as { FunctionName: string };
    const targetArn = JSON.stringify(
      environmentOf('runScheduledTask')[resourceVariables.scheduledTaskFunctionArn],
    );

    expect(targetArn).toContain(`:function:${FunctionName}"`);
  });

  it('lets a function that manages schedules touch only the group, its schedules and the scheduler role', () => {
    const managers = functionsThatNeed('scheduler:manage');
    const [schedulerRoleId] = schedulerRole();
    const groupId = Object.keys(resourcesOf(lockstay.statelessTemplate, 'AWS::Scheduler::ScheduleGroup'))[0];

    expect(managers.length).toBeGreaterThan(0);
    for (const name of managers) {
      const statements = statementsOfRole(roleOfFunction(name));
      const scheduling = statements.filter((statement) =>
        asArray(statement.Action).some((action) => action.startsWith('scheduler:')),
      );
      const passRole = statements.filter((statement) => asArray(statement.Action).includes('iam:PassRole'));

      expect(scheduling.flatMap((statement) => asArray(statement.Action)).sort()).toEqual([
        'scheduler:CreateSchedule',
        'scheduler:DeleteSchedule',
        'scheduler:GetScheduleGroup',
        'scheduler:UpdateSchedule',
      ]);
      for (const statement of scheduling)
        expect(JSON.stringify(statement.Resource)).toContain(`"${groupId}"`);
      expect(passRole).toEqual([
        { Effect: 'Allow', Action: 'iam:PassRole', Resource: { 'Fn::GetAtt': [schedulerRoleId, 'Arn'] } },
      ]);
    }
  });
});

describe('device events', () => {
  const ruleEntries = Object.entries(iotTopicRules);
  const topicRules = () => resourcesOf(lockstay.statelessTemplate, 'AWS::IoT::TopicRule');
  interface TopicRulePayload {
    Sql: string;
    AwsIotSqlVersion: string;
    RuleDisabled: boolean;
    Actions: { Lambda?: { FunctionArn: unknown } }[];
    ErrorAction: { Sqs?: { QueueUrl: unknown; RoleArn: { 'Fn::GetAtt': [string, string] } } };
  }
  const payloadOf = (rule: TemplateResource): TopicRulePayload =>
    (rule.Properties as { TopicRulePayload: TopicRulePayload }).TopicRulePayload;
  const ruleWithSql = (sql: string): [string, TopicRulePayload] => {
    const found = Object.entries(topicRules()).filter(([, rule]) => payloadOf(rule).Sql === sql);
    expect(found).toHaveLength(1);
    const [logicalId, rule] = found[0] as [string, TemplateResource];
    return [logicalId, payloadOf(rule)];
  };

  it('are carried by exactly one topic rule per entry of the rule table', () => {
    const sqls = Object.values(topicRules()).map((rule) => payloadOf(rule).Sql);

    expect(sqls.sort()).toEqual(ruleEntries.map(([, rule]) => rule.sql).sort());
  });

  it.each(ruleEntries)(
    '%s runs its SQL and invokes a function of the catalogue, and dead-letters what it cannot deliver',
    (_name, rule) => {
      const [, payload] = ruleWithSql(rule.sql);

      expect(functionNames).toContain(rule.target);
      expect(payload.AwsIotSqlVersion).toBe(iotSqlVersion);
      expect(payload.RuleDisabled).toBe(false);
      expect(payload.Actions).toEqual([
        { Lambda: { FunctionArn: { 'Fn::GetAtt': [logicalIdOf(rule.target as FunctionName), 'Arn'] } } },
      ]);
      const errorQueue = payload.ErrorAction.Sqs?.QueueUrl as { Ref: string };
      expect(resourcesOf(lockstay.statelessTemplate)[errorQueue.Ref]).toMatchObject({
        Type: 'AWS::SQS::Queue',
      });
    },
  );

  it.each(ruleEntries)('%s alone may have IoT invoke its function', (_name, rule) => {
    const [ruleId] = ruleWithSql(rule.sql);
    const permissions = Object.values(
      resourcesOf(lockstay.statelessTemplate, 'AWS::Lambda::Permission'),
    ).filter(
      (permission) =>
        JSON.stringify(permission.Properties?.SourceArn) ===
        JSON.stringify({ 'Fn::GetAtt': [ruleId, 'Arn'] }),
    );

    expect(permissions).toHaveLength(1);
    expect(permissions[0]?.Properties).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Principal: 'iot.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [logicalIdOf(rule.target as FunctionName), 'Arn'] },
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
  });

  it('that cannot be delivered go to an encrypted queue that refuses plain HTTP, sent by a role that may do nothing else', () => {
    const errorActions = Object.values(topicRules()).map((rule) => payloadOf(rule).ErrorAction.Sqs);
    const [first] = errorActions;
    const queueId = (first?.QueueUrl as { Ref: string } | undefined)?.Ref ?? '';
    const roleId = first?.RoleArn['Fn::GetAtt'][0] ?? '';
    const resources = resourcesOf(lockstay.statelessTemplate);
    const queuePolicies = Object.values(
      resourcesOf(lockstay.statelessTemplate, 'AWS::SQS::QueuePolicy'),
    ).filter((policy) => JSON.stringify(policy.Properties?.Queues) === JSON.stringify([{ Ref: queueId }]));

    for (const errorAction of errorActions) expect(errorAction).toEqual(first);
    expect(resources[queueId]?.Properties).toMatchObject({ SqsManagedSseEnabled: true });
    expect(queuePolicies).toHaveLength(1);
    expect(queuePolicies[0]?.Properties?.PolicyDocument).toMatchObject({
      Statement: expect.arrayContaining([
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]),
    });
    expect(resources[roleId]?.Properties?.AssumeRolePolicyDocument).toMatchObject({
      Statement: [{ Action: 'sts:AssumeRole', Principal: { Service: 'iot.amazonaws.com' } }],
    });
    expect(statementsOfRole(roleId)).toEqual([
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [queueId, 'Arn'] } },
    ]);
  });
});

describe('the HTTP API', () => {
  it('has exactly one route per entry of the route table', () => {
    const routeKeys = Object.values(resourcesOf(lockstay.statelessTemplate, 'AWS::ApiGatewayV2::Route')).map(
      (route) => route.Properties?.RouteKey,
    );

    expect(routeKeys.sort()).toEqual(routes.map(routeKey).sort());
  });

  it.each(routes.map((route) => [routeKey(route), route] as const))(
    '%s has the authorization its entry asks for and invokes the function it names',
    (key, route) => {
      const resources = resourcesOf(lockstay.statelessTemplate);
      const routeProperties = resourceWhere(
        'AWS::ApiGatewayV2::Route',
        (candidate) => candidate.Properties?.RouteKey === key,
      ).Properties as { AuthorizationType: string; AuthorizerId?: { Ref: string }; Target: unknown };
      const target = routeProperties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
      const integration = resources[target['Fn::Join'][1][1].Ref];

      if (route.auth === 'host') {
        expect(routeProperties.AuthorizationType).toBe('JWT');
        expect(resources[routeProperties.AuthorizerId?.Ref ?? '']?.Properties).toMatchObject({
          AuthorizerType: 'JWT',
        });
      } else {
        expect(routeProperties.AuthorizationType).toBe('NONE');
        expect(routeProperties.AuthorizerId).toBeUndefined();
      }
      expect(integration?.Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: { 'Fn::GetAtt': [logicalIdOf(route.function), 'Arn'] },
        PayloadFormatVersion: '2.0',
      });
    },
  );

  it('accepts only tokens the Lockstay user pool issued to the host app client', () => {
    type StackOutputReference = { 'Fn::GetStackOutput': { OutputName: string } };
    const outputs = lockstay.statefulTemplate.toJSON().Outputs as Record<string, { Value: unknown }>;
    const { Issuer, Audience } = (
      resourceWhere('AWS::ApiGatewayV2::Authorizer').Properties as {
        JwtConfiguration: { Issuer: StackOutputReference; Audience: StackOutputReference[] };
      }
    ).JwtConfiguration;
    const outputValueOf = (reference: StackOutputReference | undefined) =>
      outputs[reference?.['Fn::GetStackOutput'].OutputName ?? '']?.Value;

    expect(outputValueOf(Issuer)).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^IdentityUserPool[0-9A-F]{8}$/), 'ProviderURL'],
    });
    expect(Audience).toHaveLength(1);
    expect(outputValueOf(Audience[0])).toEqual({ Ref: expect.stringMatching(/^IdentityUserPoolHostClient/) });
  });

  it('logs every request of its stage, without paths (they may carry a guest token), and throttles', () => {
    const [stage] = Object.values(resourcesOf(lockstay.statelessTemplate, 'AWS::ApiGatewayV2::Stage'));
    const settings = stage?.Properties as {
      AccessLogSettings: { Format: string; DestinationArn: unknown };
      DefaultRouteSettings: Record<string, number>;
      StageName: string;
      AutoDeploy: boolean;
    };
    const format = JSON.parse(settings.AccessLogSettings.Format) as Record<string, string>;

    expect(settings.StageName).toBe('$default');
    expect(settings.AutoDeploy).toBe(true);
    expect(format).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey' });
    expect(Object.values(format).filter((variable) => /\$context\.(path|rawPath)/.test(variable))).toEqual(
      [],
    );
    expect(settings.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: expect.any(Number),
      ThrottlingBurstLimit: expect.any(Number),
    });
  });

  it('publishes its URL as an output', () => {
    lockstay.statelessTemplate.hasOutput('ApiUrl', {});
  });
});

describe('names', () => {
  // Physical names block replacements and second deployments. The one exception is the scheduled-task
  // function, which must know its own ARN (a generated name would make it depend on itself).
  const nameProperty: Record<string, string> = {
    'AWS::DynamoDB::Table': 'TableName',
    'AWS::KMS::Key': 'KeyName',
    'AWS::Cognito::UserPool': 'UserPoolName',
    'AWS::Lambda::Function': 'FunctionName',
    'AWS::SQS::Queue': 'QueueName',
    'AWS::IAM::Role': 'RoleName',
    'AWS::Logs::LogGroup': 'LogGroupName',
    'AWS::Scheduler::ScheduleGroup': 'Name',
  };

  it('are generated by CloudFormation, except the scheduled-task function name', () => {
    const named = [lockstay.statefulTemplate, lockstay.statelessTemplate].flatMap((template) =>
      Object.entries(resourcesOf(template))
        .filter(([, resource]) => {
          const property = nameProperty[resource.Type];
          return property !== undefined && typeof resource.Properties?.[property] === 'string';
        })
        .map(([logicalId]) => logicalId),
    );

    expect(named).toEqual([logicalIdOf('runScheduledTask')]);
  });
});
