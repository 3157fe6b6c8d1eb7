/**
 * The AWS IoT policy every lock's certificate gets, written once as data. The CDK stack deploys this document
 * (with its account, region and partition tokens) and the local IoT Core evaluates the very same document on
 * every connect, publish, subscribe and delivery, so what a lock may do cannot differ between the two.
 *
 * A lock may connect only with its own thing name as client id (the thing policy variables resolve only then),
 * publish only its own shadow requests and its own events topic (shared/devices/contract.ts), and subscribe to
 * and receive only its own shadow topics.
 */
import { lockEventsTopic } from '#shared/devices/contract.ts';

export type IotPolicyAction = 'iot:Connect' | 'iot:Publish' | 'iot:Subscribe' | 'iot:Receive';

/** The condition operators the local evaluator understands; it refuses any other, so none slips in unchecked. */
export type IotPolicyConditionOperator = 'Bool' | 'StringEquals' | 'StringLike';

export interface IotPolicyStatement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: IotPolicyAction | readonly IotPolicyAction[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Partial<
    Record<IotPolicyConditionOperator, Readonly<Record<string, string | readonly string[]>>>
  >;
}

export interface IotPolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly IotPolicyStatement[];
}

/** Where the policy applies; in CDK these are `Aws.PARTITION`, `Aws.REGION` and `Aws.ACCOUNT_ID`. */
export interface IotPolicyScope {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/** Policy variables are resolved by AWS IoT per connection; they stay literal in the deployed document. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: an AWS IoT policy variable, not a JavaScript template
const thing = '${iot:Connection.Thing.ThingName}';

const shadowRequests = ['get', 'update', 'delete'] as const;

export function lockPolicyDocument({ partition, region, account }: IotPolicyScope): IotPolicyDocument {
  const arn = (resource: string) => `arn:${partition}:iot:${region}:${account}:${resource}`;
  const ownShadow = `$aws/things/${thing}/shadow`;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'iot:Connect',
        Resource: arn(`client/${thing}`),
        Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },
      },
      {
        Effect: 'Allow',
        Action: 'iot:Publish',
        Resource: [
          ...shadowRequests.flatMap((request) => [
            arn(`topic/${ownShadow}/${request}`),
            arn(`topic/${ownShadow}/name/*/${request}`),
          ]),
          arn(`topic/${lockEventsTopic(thing)}`),
        ],
      },
      {
        Effect: 'Allow',
        Action: 'iot:Subscribe',
        Resource: arn(`topicfilter/${ownShadow}/*`),
      },
      {
        Effect: 'Allow',
        Action: 'iot:Receive',
        Resource: arn(`topic/${ownShadow}/*`),
      },
    ],
  };
}
