/**
 * The Lockstay CDK app as a function of its settings, so that `infra/app.ts` (which reads the environment)
 * and the infrastructure tests (which do not) build exactly the same stacks, checked by the same cdk-nag
 * AwsSolutions rules.
 */
import { type App, type Environment, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { StatefulStack } from './stacks/stateful-stack.ts';
import { StatelessStack } from './stacks/stateless-stack.ts';

export interface LockstaySettings {
  /**
   * Account and region to deploy to.
   * @default environment-agnostic stacks
   */
  readonly env?: Environment;
  /** The domain Lockstay sends mail from (`no-reply@<domain>`). */
  readonly mailFromDomain: string;
}

export interface LockstayStacks {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

export function addLockstay(app: App, settings: LockstaySettings): LockstayStacks {
  const { env, mailFromDomain } = settings;
  const common = env === undefined ? {} : { env };

  const stateful = new StatefulStack(app, 'LockstayStateful', {
    ...common,
    description: 'Lockstay data and identity: table, user pool, mail identity (retained on delete)',
    mailFromDomain,
  });
  const stateless = new StatelessStack(app, 'LockstayStateless', {
    ...common,
    description: 'Lockstay code: functions, HTTP API, scheduled work',
    stateful,
  });
  for (const stack of [stateful, stateless]) Tags.of(stack).add('project', 'lockstay');

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { stateful, stateless };
}
