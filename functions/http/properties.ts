/**
 * Lambda entry of the host API's properties area. Properties: list, create, read and change, and the booking
 * sources' listings mapped to one.
 */
import { documents } from '#functions/commons/clients.ts';
import { hostApiHandler } from '#functions/commons/host-api.ts';
import { hostServices } from '#functions/commons/ports.ts';
import { createIntegrationStore } from '#shared/adapters/dynamo/integrations.ts';
import { createDynamoTable } from '#shared/adapters/dynamo/table.ts';
import { requireEnv, resourceVariables } from '#shared/config.ts';
import type { IntegrationStore } from '#shared/integrations/integration.ts';
import { propertyRoutes, propertyRoutesWith } from './api/properties.ts';

let store: IntegrationStore | undefined;

function listings(): IntegrationStore {
  store ??= createIntegrationStore({
    table: createDynamoTable({ client: documents, tableName: requireEnv(resourceVariables.table) }),
  });
  return store;
}

export const handler = hostApiHandler({
  routes: { ...propertyRoutes, ...propertyRoutesWith({ listings }) },
  services: hostServices(),
});
