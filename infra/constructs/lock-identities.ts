/**
 * What a lock's IoT identity is made of in AWS: the lock policy every lock certificate gets (the document of
 * infra/iot-policy.ts, which the local IoT Core evaluates too), and the grant that lets the host API create and
 * retire things and certificates. Things are named `lockstay-{lockId}` (shared/domain/operations/locks.ts), so
 * the grant reaches only Lockstay's things.
 */
import { Aws, Validations } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { CfnPolicy } from 'aws-cdk-lib/aws-iot';
import { Construct } from 'constructs';
import { lockPolicyDocument } from '../iot-policy.ts';
import { wildcardResourceFinding } from './nag.ts';

export class LockIdentities extends Construct {
  readonly lockPolicy: CfnPolicy;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.lockPolicy = new CfnPolicy(this, 'LockPolicy', {
      policyDocument: lockPolicyDocument({
        partition: Aws.PARTITION,
        region: Aws.REGION,
        account: Aws.ACCOUNT_ID,
      }),
    });
  }

  /** The generated name of the lock policy, as AttachPolicy wants it. */
  get lockPolicyName(): string {
    return this.lockPolicy.ref;
  }

  /** Create, attach, detach and delete lock things and their certificates. */
  grantProvision(grantee: IGrantable): void {
    const arn = (resource: string) => `arn:${Aws.PARTITION}:iot:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
    const things = arn('thing/lockstay-*');
    const certificates = arn('cert/*');
    Grant.addToPrincipal({
      grantee,
      actions: [
        'iot:CreateThing',
        'iot:DeleteThing',
        'iot:ListThingPrincipals',
        'iot:AttachThingPrincipal',
        'iot:DetachThingPrincipal',
      ],
      resourceArns: [things],
    });
    Grant.addToPrincipal({
      grantee,
      actions: ['iot:UpdateCertificate', 'iot:DeleteCertificate', 'iot:AttachPolicy', 'iot:DetachPolicy'],
      resourceArns: [certificates],
    });
    Grant.addToPrincipal({
      grantee,
      actions: ['iot:AttachPolicy', 'iot:DetachPolicy'],
      resourceArns: [this.lockPolicy.attrArn],
    });
    Grant.addToPrincipal({
      grantee,
      actions: ['iot:CreateKeysAndCertificate', 'iot:DescribeEndpoint'],
      resourceArns: ['*'],
    });
    const principal = grantee.grantPrincipal as unknown as Construct;
    const validations = Validations.of(principal);
    validations.acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'iot:CreateKeysAndCertificate and iot:DescribeEndpoint have no resource type',
    });
    validations.acknowledge({
      id: wildcardResourceFinding(this, things),
      reason:
        'Lock things are created per lock at run time; the name prefix limits the grant to Lockstay locks',
    });
    validations.acknowledge({
      id: wildcardResourceFinding(this, certificates),
      reason:
        'Certificate ids are assigned by AWS IoT when a lock is registered, so they cannot be named ahead',
    });
  }
}
