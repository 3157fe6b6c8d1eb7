// The lock policy of infra/iot-policy.ts, as the local IoT Core evaluates it (the same document CDK deploys).
import { describe, expect, it } from 'vitest';
import { type IotPolicyDocument, lockPolicyDocument } from '#infra/iot-policy.ts';
import {
  type IotResourceKind,
  iotResourceArn,
  isAllowed,
  localIotScope,
  type PolicyVariables,
  UnsupportedPolicyError,
} from '#infra/local/iot/policy-evaluator.ts';

const policy = lockPolicyDocument(localIotScope);

/** The variables AWS IoT resolves for a certificate attached to `thing`, connecting as `clientId`. */
function connectionOf(thing: string, clientId = thing): PolicyVariables {
  return clientId === thing
    ? {
        'iot:ClientId': clientId,
        'iot:Connection.Thing.ThingName': thing,
        'iot:Connection.Thing.IsAttached': 'true',
      }
    : { 'iot:ClientId': clientId, 'iot:Connection.Thing.IsAttached': 'false' };
}

const can = (
  variables: PolicyVariables,
  action: 'iot:Connect' | 'iot:Publish' | 'iot:Subscribe' | 'iot:Receive',
  kind: IotResourceKind,
  name: string,
  document: IotPolicyDocument = policy,
) => isAllowed({ policy: document, action, resource: iotResourceArn(localIotScope, kind, name), variables });

const lock1 = connectionOf('lock-1');

describe('the lock policy', () => {
  it('lets a lock connect only with its own thing name as client id', () => {
    expect(can(lock1, 'iot:Connect', 'client', 'lock-1')).toBe(true);
    expect(can(connectionOf('lock-1', 'lock-2'), 'iot:Connect', 'client', 'lock-2')).toBe(false);
    expect(can(connectionOf('lock-1', 'anything'), 'iot:Connect', 'client', 'anything')).toBe(false);
  });

  it('lets a lock publish its own shadow requests, classic and named', () => {
    for (const topic of [
      '$aws/things/lock-1/shadow/get',
      '$aws/things/lock-1/shadow/update',
      '$aws/things/lock-1/shadow/delete',
      '$aws/things/lock-1/shadow/name/state/update',
      '$aws/things/lock-1/shadow/name/codes/get',
    ]) {
      expect(can(lock1, 'iot:Publish', 'topic', topic)).toBe(true);
    }
  });

  it("refuses publishing to another lock's shadow, to response topics and to anything else", () => {
    for (const topic of [
      '$aws/things/lock-2/shadow/update',
      '$aws/things/lock-2/shadow/name/state/update',
      '$aws/things/lock-1/shadow/update/accepted',
      '$aws/things/lock-1/shadow/name/state/update/delta',
      '$aws/things/lock-10/shadow/update',
      '$aws/events/presence/connected/lock-1',
      'lockstay/commands',
    ]) {
      expect(can(lock1, 'iot:Publish', 'topic', topic)).toBe(false);
    }
  });

  it('lets a lock publish its own events, and never as another lock or on a wider topic', () => {
    expect(can(lock1, 'iot:Publish', 'topic', 'lockstay/things/lock-1/events')).toBe(true);
    for (const topic of [
      'lockstay/things/lock-2/events',
      'lockstay/things/lock-1/events/extra',
      'lockstay/things/lock-1',
      'lockstay/things/lock-10/events',
    ]) {
      expect(can(lock1, 'iot:Publish', 'topic', topic)).toBe(false);
    }
  });

  it('neither lets a lock subscribe to nor receive events, its own included', () => {
    expect(can(lock1, 'iot:Subscribe', 'topicfilter', 'lockstay/things/lock-1/events')).toBe(false);
    expect(can(lock1, 'iot:Receive', 'topic', 'lockstay/things/lock-2/events')).toBe(false);
  });

  it('lets a lock subscribe to its own shadow topics, wildcards included', () => {
    for (const filter of [
      '$aws/things/lock-1/shadow/update/delta',
      '$aws/things/lock-1/shadow/get/+',
      '$aws/things/lock-1/shadow/name/+/update/delta',
      '$aws/things/lock-1/shadow/#',
    ]) {
      expect(can(lock1, 'iot:Subscribe', 'topicfilter', filter)).toBe(true);
    }
  });

  it("refuses subscribing to another lock's shadow or to wide filters", () => {
    for (const filter of [
      '$aws/things/lock-2/shadow/update/delta',
      '$aws/things/+/shadow/update/delta',
      '$aws/things/#',
      '#',
      '$aws/events/presence/#',
    ]) {
      expect(can(lock1, 'iot:Subscribe', 'topicfilter', filter)).toBe(false);
    }
  });

  it('delivers a lock only messages of its own shadow', () => {
    expect(can(lock1, 'iot:Receive', 'topic', '$aws/things/lock-1/shadow/name/state/update/delta')).toBe(
      true,
    );
    expect(can(lock1, 'iot:Receive', 'topic', '$aws/things/lock-2/shadow/name/state/update/delta')).toBe(
      false,
    );
  });

  it('grants nothing when the client id is not the thing name, the thing variables being unresolved', () => {
    const impostor = connectionOf('lock-1', 'lock-2');
    expect(can(impostor, 'iot:Publish', 'topic', '$aws/things/lock-2/shadow/update')).toBe(false);
    expect(can(impostor, 'iot:Publish', 'topic', '$aws/things/lock-1/shadow/update')).toBe(false);
  });

  it('treats wildcard characters in a variable value literally', () => {
    const starry = connectionOf('*');
    expect(can(starry, 'iot:Publish', 'topic', '$aws/things/lock-2/shadow/update')).toBe(false);
  });

  it('is deployed with the policy variables left for AWS IoT to resolve', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an AWS IoT policy variable, not a JavaScript template
    expect(JSON.stringify(policy)).toContain('${iot:Connection.Thing.ThingName}');
  });
});

describe('policy evaluation', () => {
  const document = (statements: IotPolicyDocument['Statement']): IotPolicyDocument => ({
    Version: '2012-10-17',
    Statement: statements,
  });

  it('denies what no statement allows', () => {
    expect(can(lock1, 'iot:Publish', 'topic', 'a', document([]))).toBe(false);
  });

  it('lets an explicit Deny win over an Allow', () => {
    const both = document([
      { Effect: 'Allow', Action: 'iot:Publish', Resource: iotResourceArn(localIotScope, 'topic', '*') },
      { Effect: 'Deny', Action: 'iot:Publish', Resource: iotResourceArn(localIotScope, 'topic', 'secret/*') },
    ]);
    expect(can(lock1, 'iot:Publish', 'topic', 'open/1', both)).toBe(true);
    expect(can(lock1, 'iot:Publish', 'topic', 'secret/1', both)).toBe(false);
  });

  it('matches ? as exactly one character and action wildcards', () => {
    const single = document([
      {
        Effect: 'Allow',
        Action: 'iot:*' as 'iot:Publish',
        Resource: iotResourceArn(localIotScope, 'topic', 'a?'),
      },
    ]);
    expect(can(lock1, 'iot:Publish', 'topic', 'ab', single)).toBe(true);
    expect(can(lock1, 'iot:Receive', 'topic', 'ab', single)).toBe(true);
    expect(can(lock1, 'iot:Publish', 'topic', 'abc', single)).toBe(false);
  });

  it('applies StringEquals conditions and fails closed on operators it does not know', () => {
    const arn = iotResourceArn(localIotScope, 'topic', '*');
    const equals = document([
      {
        Effect: 'Allow',
        Action: 'iot:Publish',
        Resource: arn,
        Condition: { StringEquals: { 'iot:ClientId': 'x' } },
      },
    ]);
    expect(can(connectionOf('x'), 'iot:Publish', 'topic', 't', equals)).toBe(true);
    expect(can(connectionOf('y'), 'iot:Publish', 'topic', 't', equals)).toBe(false);
    const unknown = document([
      {
        Effect: 'Allow',
        Action: 'iot:Publish',
        Resource: arn,
        Condition: {
          NumericLessThan: { 'iot:ClientId': '1' },
        } as IotPolicyDocument['Statement'][number]['Condition'],
      },
    ]);
    expect(() => can(connectionOf('x'), 'iot:Publish', 'topic', 't', unknown)).toThrow(
      UnsupportedPolicyError,
    );
  });
});
