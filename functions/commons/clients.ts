/**
 * AWS SDK clients, created once per cold start and shared by the handlers of a function. Endpoints come from
 * the standard `AWS_ENDPOINT_URL_*` variables, which the local cloud sets and AWS leaves unset.
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
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
