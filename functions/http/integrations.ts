/** Lambda entry of the host API's integrations area: booking integrations and their secrets. */
import { hostApiHandler } from '#functions/commons/host-api.ts';
import { integrationServices } from '#functions/commons/integration-services.ts';
import { hostServices } from '#functions/commons/ports.ts';
import { integrationRoutes } from './api/integrations.ts';

export const handler = hostApiHandler({
  routes: integrationRoutes({ services: integrationServices }),
  services: hostServices(),
});
