/** Lambda entry of the host API's Today summary (read-only). */
import { documents } from '#functions/commons/clients.ts';
import { hostApiHandler } from '#functions/commons/host-api.ts';
import { hostServices } from '#functions/commons/ports.ts';
import { createIntegrationStore } from '#shared/adapters/dynamo/integrations.ts';
import { createDynamoLockConditionStore } from '#shared/adapters/dynamo/lock-condition.ts';
import { createOfflineCodeStore } from '#shared/adapters/dynamo/offline-codes.ts';
import { createDynamoTable } from '#shared/adapters/dynamo/table.ts';
import { requireEnv, resourceVariables } from '#shared/config.ts';
import { type TodayServices, todayRoutes } from './api/today.ts';

let services: TodayServices | undefined;

function todayServices(): TodayServices {
  const tableName = requireEnv(resourceVariables.table);
  const table = createDynamoTable({ client: documents, tableName });
  services ??= {
    conditions: createDynamoLockConditionStore({ documents, tableName }),
    integrations: createIntegrationStore({ table }),
    offlineCodes: createOfflineCodeStore({ table }),
  };
  return services;
}

export const handler = hostApiHandler({
  routes: todayRoutes({ services: todayServices }),
  services: hostServices(),
});
