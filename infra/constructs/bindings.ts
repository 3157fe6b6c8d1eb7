/**
 * Binding a function to something it needs: the environment variable that names the resource (as
 * `shared/config.ts` knows it) and the narrowest IAM grant, always set together, so that no function ends up
 * with a name it may not use or a permission it cannot find the resource for. `bindNeeds` turns a catalogue
 * entry's `needs` into these bindings.
 */
import { Aws, Validations } from 'aws-cdk-lib';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Grant } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { IEmailIdentity } from 'aws-cdk-lib/aws-ses';
import { resourceVariables } from '#shared/config.ts';
import type { FunctionNeed } from '../functions.ts';
import type { LockIdentities } from './lock-identities.ts';
import { wildcardResourceFinding } from './nag.ts';
import type { ScheduledWork } from './scheduled-work.ts';

/** What a function can be bound to. */
export interface BindableResources {
  readonly data: { readonly table: ITable; readonly indexNames: readonly string[] };
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;
  readonly mail: { readonly identity: IEmailIdentity; readonly mailFrom: string };
  readonly scheduledWork: ScheduledWork;
  readonly lockIdentities: LockIdentities;
  /**
   * The web pages' public origin, `https://<distribution domain>`, and the value of the secret header the
   * distribution adds to the guest API's requests.
   */
  readonly pages: { readonly origin: string; readonly edgeSecret?: string | undefined };
}

/**
 * Every action of the Cognito admin API the platform uses to manage a tenant's team (invite, change role,
 * disable, remove, reset). Nothing that touches the pool's own configuration.
 */
export const userPoolAdminActions = [
  'cognito-idp:DescribeUserPool',
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminGetUser',
  'cognito-idp:AdminUpdateUserAttributes',
  'cognito-idp:AdminDisableUser',
  'cognito-idp:AdminEnableUser',
  'cognito-idp:AdminDeleteUser',
  'cognito-idp:AdminResetUserPassword',
  'cognito-idp:AdminUserGlobalSignOut',
  'cognito-idp:ListUsers',
] as const;

/**
 * Item reads, conditions and queries. No Scan: no request path may scan the table, and IAM makes sure.
 * DescribeTable is what the health probe calls. Transactions need no actions of their own.
 */
export const tableReadActions = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
] as const;
export const tableWriteActions = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
] as const;
/** What DynamoDB asks KMS for on the caller's behalf to read, and to write, a table under a customer key. */
export const tableKeyReadActions = ['kms:Decrypt', 'kms:DescribeKey'] as const;
export const tableKeyWriteActions = [
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
] as const;

export interface BindTableOptions {
  readonly fn: LambdaFunction;
  readonly table: ITable;
  /** The indexes the function may query, each named in the grant (no `index/*`). */
  readonly indexNames: readonly string[];
  readonly accessMode: 'read' | 'readWrite';
}

/**
 * Narrower than `grantReadData` / `grantReadWriteData`, which add Scan and `index/*`: the table and each of
 * its indexes by name, and the table's key for exactly what DynamoDB needs from it.
 */
export function bindTable({ fn, table, indexNames, accessMode }: BindTableOptions): void {
  fn.addEnvironment(resourceVariables.table, table.tableName);
  const writes = accessMode === 'readWrite';
  Grant.addToPrincipal({
    grantee: fn,
    actions: writes ? [...tableReadActions, ...tableWriteActions] : [...tableReadActions],
    resourceArns: [table.tableArn, ...indexNames.map((indexName) => `${table.tableArn}/index/${indexName}`)],
  });
  table.encryptionKey?.grant(
    fn,
    ...(writes ? [...tableKeyReadActions, ...tableKeyWriteActions] : tableKeyReadActions),
  );
}

export interface BindUserPoolOptions {
  readonly fn: LambdaFunction;
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;
  /** `read` may describe the pool (health probe); `admin` may manage the pool's users. */
  readonly accessMode: 'read' | 'admin';
}

export function bindUserPool({ fn, userPool, userPoolClient, accessMode }: BindUserPoolOptions): void {
  fn.addEnvironment(resourceVariables.userPoolId, userPool.userPoolId);
  fn.addEnvironment(resourceVariables.userPoolClientId, userPoolClient.userPoolClientId);
  if (accessMode === 'read') userPool.grant(fn, 'cognito-idp:DescribeUserPool');
  else userPool.grant(fn, ...userPoolAdminActions);
}

export interface BindMailOptions {
  readonly fn: LambdaFunction;
  readonly mail: BindableResources['mail'];
}

export function bindMail({ fn, mail }: BindMailOptions): void {
  fn.addEnvironment(resourceVariables.mailFrom, mail.mailFrom);
  mail.identity.grantSendEmail(fn);
  Grant.addToPrincipal({ grantee: fn, actions: ['ses:GetAccount'], resourceArns: ['*'] });
  Validations.of(fn.role ?? fn).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'ses:GetAccount (account sending status, read by the health probe) has no resource type',
  });
}

export interface BindScheduledWorkOptions {
  readonly fn: LambdaFunction;
  readonly scheduledWork: ScheduledWork;
}

export function bindScheduledWork({ fn, scheduledWork }: BindScheduledWorkOptions): void {
  fn.addEnvironment(resourceVariables.schedulerGroup, scheduledWork.scheduleGroupName);
  fn.addEnvironment(resourceVariables.schedulerRoleArn, scheduledWork.schedulerRole.roleArn);
  fn.addEnvironment(resourceVariables.scheduledTaskFunctionArn, scheduledWork.taskFunctionArn);
  fn.addEnvironment(resourceVariables.schedulerDeadLetterQueueArn, scheduledWork.deadLetterQueue.queueArn);
  scheduledWork.grantManageSchedules(fn);
}

export interface BindDeviceProvisioningOptions {
  readonly fn: LambdaFunction;
  readonly lockIdentities: LockIdentities;
  readonly table: ITable;
}

/**
 * Creating lock identities: things and certificates with the lock policy, and device keys sealed with KMS
 * under the table's key (Encrypt only: opening a device key is for the functions that talk to locks).
 */
export function bindDeviceProvisioning({ fn, lockIdentities, table }: BindDeviceProvisioningOptions): void {
  const key = table.encryptionKey;
  if (!key) throw new Error('Device keys are sealed with the table key, and the table has none');
  fn.addEnvironment(resourceVariables.iotLockPolicyName, lockIdentities.lockPolicyName);
  fn.addEnvironment(resourceVariables.deviceKeyKmsKeyId, key.keyArn);
  lockIdentities.grantProvision(fn);
  key.grant(fn, 'kms:Encrypt');
}

export interface BindIotShadowsOptions {
  readonly fn: LambdaFunction;
  readonly table: ITable;
}

/**
 * Talking to locks through their shadows: GetThingShadow and UpdateThingShadow on Lockstay's things only,
 * DescribeEndpoint (the function looks up the account's `iot:Data-ATS` endpoint at its cold start, see
 * functions/commons/clients.ts: no deployment-time custom resource), and Decrypt of the device keys sealed
 * under the table's key (PIN hashes and command signatures are made with them).
 */
export function bindIotShadows({ fn, table }: BindIotShadowsOptions): void {
  const key = table.encryptionKey;
  if (!key) throw new Error('Device keys are sealed with the table key, and the table has none');
  const things = `arn:${Aws.PARTITION}:iot:${Aws.REGION}:${Aws.ACCOUNT_ID}:thing/lockstay-*`;
  fn.addEnvironment(resourceVariables.deviceKeyKmsKeyId, key.keyArn);
  Grant.addToPrincipal({
    grantee: fn,
    actions: ['iot:GetThingShadow', 'iot:UpdateThingShadow'],
    resourceArns: [things],
  });
  Grant.addToPrincipal({ grantee: fn, actions: ['iot:DescribeEndpoint'], resourceArns: ['*'] });
  key.grant(fn, 'kms:Decrypt');
  Validations.of(fn.role ?? fn).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'iot:DescribeEndpoint has no resource type',
  });
  Validations.of(fn.role ?? fn).acknowledge({
    id: wildcardResourceFinding(fn, things),
    reason:
      'Lock things are created per lock at run time; the name prefix limits the grant to Lockstay locks',
  });
}

export interface BindSecretSealingOptions {
  readonly fn: LambdaFunction;
  readonly table: ITable;
}

/**
 * Sealing and opening secrets kept in the table (booking webhook secrets) with KMS under the table's key,
 * Encrypt and Decrypt only: the same key variable the device keys use, as `functions/commons/ports.ts` reads it.
 */
export function bindSecretSealing({ fn, table }: BindSecretSealingOptions): void {
  const key = table.encryptionKey;
  if (!key) throw new Error('Secrets are sealed with the table key, and the table has none');
  fn.addEnvironment(resourceVariables.deviceKeyKmsKeyId, key.keyArn);
  key.grant(fn, 'kms:Encrypt', 'kms:Decrypt');
}

export interface BindNeedsOptions {
  readonly fn: LambdaFunction;
  readonly needs: readonly FunctionNeed[];
  readonly resources: BindableResources;
}

export function bindNeeds({ fn, needs, resources }: BindNeedsOptions): void {
  const { data, userPool, userPoolClient, mail, scheduledWork, lockIdentities, pages } = resources;
  const { table, indexNames } = data;
  for (const need of needs) {
    switch (need) {
      case 'table:read':
        bindTable({ fn, table, indexNames, accessMode: 'read' });
        break;
      case 'table:readWrite':
        bindTable({ fn, table, indexNames, accessMode: 'readWrite' });
        break;
      case 'userPool:read':
        bindUserPool({ fn, userPool, userPoolClient, accessMode: 'read' });
        break;
      case 'userPool:admin':
        bindUserPool({ fn, userPool, userPoolClient, accessMode: 'admin' });
        break;
      case 'mail:send':
        bindMail({ fn, mail });
        break;
      case 'scheduler:manage':
        bindScheduledWork({ fn, scheduledWork });
        break;
      case 'devices:provision':
        bindDeviceProvisioning({ fn, lockIdentities, table });
        break;
      case 'iot:shadows':
        bindIotShadows({ fn, table });
        break;
      case 'secrets:seal':
        bindSecretSealing({ fn, table });
        break;
      case 'pages:origin':
        // A name only: reading the pages needs no permission.
        fn.addEnvironment(resourceVariables.pagesOrigin, pages.origin);
        break;
      case 'pages:edge':
        // A dynamic reference to the secret, which CloudFormation resolves at deployment: no permission needed.
        if (pages.edgeSecret === undefined) throw new Error('The pages have no edge secret to give');
        fn.addEnvironment(resourceVariables.pagesEdgeSecret, pages.edgeSecret);
        break;
      default:
        throw new Error(`No binding for the function need '${need satisfies never}'`);
    }
  }
}
