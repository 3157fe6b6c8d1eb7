/** Lambda entry of the host API's locks area. Locks: register (installer bundle once), list, read, rotate credentials. */
import { documents } from '#functions/commons/clients.ts';
import { hostApiHandler } from '#functions/commons/host-api.ts';
import { hostServices } from '#functions/commons/ports.ts';
import { createDynamoLockConditionStore } from '#shared/adapters/dynamo/lock-condition.ts';
import { requireEnv, resourceVariables } from '#shared/config.ts';
import { type LockServices, lockRoutes } from './api/locks.ts';

let services: LockServices | undefined;

function lockServices(): LockServices {
  services ??= {
    conditions: createDynamoLockConditionStore({ documents, tableName: requireEnv(resourceVariables.table) }),
  };
  return services;
}

export const handler = hostApiHandler({
  routes: lockRoutes({ services: lockServices }),
  services: hostServices(),
});
