/** `GET /health`: whether each service the platform depends on answers; 503 when any is down. */
import { DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetThingShadowCommand, ResourceNotFoundException } from '@aws-sdk/client-iot-data-plane';
import { GetScheduleGroupCommand } from '@aws-sdk/client-scheduler';
import { GetAccountCommand } from '@aws-sdk/client-sesv2';
import { cognito, dynamo, iotData, mail, scheduler } from '#functions/commons/clients.ts';
import { requireEnv, resourceVariables } from '#shared/config.ts';
import { checkHealth } from '#shared/health.ts';
import { httpHandler, json } from '#shared/http/middleware.ts';

const tableName = requireEnv(resourceVariables.table);
const userPoolId = requireEnv(resourceVariables.userPoolId);
const scheduleGroup = requireEnv(resourceVariables.schedulerGroup);

const probes = {
  database: () => dynamo.send(new DescribeTableCommand({ TableName: tableName })),
  identity: () => cognito.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId })),
  mail: () => mail.send(new GetAccountCommand({})),
  scheduler: () => scheduler.send(new GetScheduleGroupCommand({ Name: scheduleGroup })),
  // A thing with no shadow: IoT Core answering "not found" is IoT Core up.
  devices: () =>
    iotData
      .send(new GetThingShadowCommand({ thingName: 'lockstay-health-probe' }))
      .catch((error: unknown) => {
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }),
};

export const handler = httpHandler(async () => {
  const report = await checkHealth({ probes });
  return json(report.status === 'up' ? 200 : 503, report, { 'cache-control': 'no-store' });
});
