/**
 * AWS SDK clients, created once per cold start and shared by the handlers of a function. Endpoints come from
 * the standard `AWS_ENDPOINT_URL_*` variables, which the local cloud sets and AWS leaves unset.
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeEndpointCommand, IoTClient } from '@aws-sdk/client-iot';
import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const dynamo = new DynamoDBClient({});
export const documents = DynamoDBDocumentClient.from(dynamo, {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
});
export const cognito = new CognitoIdentityProviderClient({});
export const mail = new SESv2Client({});
export const scheduler = new SchedulerClient({});
/**
 * The account's `iot:Data-ATS` endpoint, looked up once (iot:DescribeEndpoint) when the local cloud has not named
 * one in `AWS_ENDPOINT_URL_IOT_DATA_PLANE`: the data plane has no endpoint the SDK could guess.
 */
let dataEndpoint: Promise<{ url: URL }> | undefined;
const iotDataEndpoint = () => {
  dataEndpoint ??= new IoTClient({})
    .send(new DescribeEndpointCommand({ endpointType: 'iot:Data-ATS' }))
    .then(({ endpointAddress }) => {
      if (endpointAddress === undefined) throw new Error('AWS IoT named no iot:Data-ATS endpoint');
      return { url: new URL(`https://${endpointAddress}`) };
    });
  return dataEndpoint;
};

/** Locks' shadows, through the IoT data plane. */
export const iotData = new IoTDataPlaneClient(
  process.env.AWS_ENDPOINT_URL_IOT_DATA_PLANE ? {} : { endpoint: iotDataEndpoint },
);
