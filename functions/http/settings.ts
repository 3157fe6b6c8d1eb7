/** Lambda entry of the host API's settings area: the business's lock settings (firmware minimum, offline alerts). */
import { documents } from '#functions/commons/clients.ts';
import { hostApiHandler } from '#functions/commons/host-api.ts';
import { hostServices } from '#functions/commons/ports.ts';
import { createDynamoLockConditionStore } from '#shared/adapters/dynamo/lock-condition.ts';
import { createDynamoTenantSettingsStore } from '#shared/adapters/dynamo/tenant-settings.ts';
import { requireEnv, resourceVariables } from '#shared/config.ts';
import { type SettingsServices, settingsRoutes } from './api/settings.ts';

let built: SettingsServices | undefined;

function services(): SettingsServices {
  const tableName = requireEnv(resourceVariables.table);
  built ??= {
    settings: createDynamoTenantSettingsStore({ documents, tableName }),
    conditions: createDynamoLockConditionStore({ documents, tableName }),
  };
  return built;
}

export const handler = hostApiHandler({ routes: settingsRoutes({ services }), services: hostServices() });
