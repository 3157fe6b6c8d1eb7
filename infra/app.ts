/**
 * Entry point of `cdk synth` / `cdk deploy` (see cdk.json). The only place that reads the environment:
 * account and region from the CDK CLI, everything else from context (`-c mailFromDomain=...` or cdk.json).
 */
import { App } from 'aws-cdk-lib';
import { addLockstay } from './lockstay-app.ts';

const app = new App();

const mailFromDomain: unknown = app.node.tryGetContext('mailFromDomain');
if (typeof mailFromDomain !== 'string' || mailFromDomain === '') {
  throw new Error(
    'Context value mailFromDomain is missing: set it in cdk.json or pass -c mailFromDomain=...',
  );
}
const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;

addLockstay(app, {
  mailFromDomain,
  ...(account !== undefined && region !== undefined ? { env: { account, region } } : {}),
});
