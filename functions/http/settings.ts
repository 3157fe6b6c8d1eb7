/** Lambda entry of the host API's settings area: the business's lock settings (firmware minimum, offline alerts). */
import { documents } from '#functions/commons/clients.ts';
import { hostApiHandler } from '#functions/commons/host-api.ts';
import { hostServices } from '#functions/commons/ports.ts';
import type { TenantSettingsStore } from '#shared/access/tenant-settings.ts';
import { createDynamoTenantSettingsStore } from '#shared/adapters/dynamo/tenant-settings.ts';
import { requireEnv, resourceVariables } from '#shared/config.ts';
import { settingsRoutes } from './api/settings.ts';

let store: TenantSettingsStore | undefined;

function settings(): TenantSettingsStore {
  store ??= createDynamoTenantSettingsStore({ documents, tableName: requireEnv(resourceVariables.table) });
  return store;
}

export const handler = hostApiHandler({ routes: settingsRoutes({ settings }), services: hostServices() });
