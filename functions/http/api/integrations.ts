/**
 * Booking integrations as the host manages them (owners only): create one and see its signing secret once,
 * list and read them, remove one, rotate its secret with a grace period for the previous one.
 */
import { z } from 'zod';
import type { HostRoutes } from '#functions/commons/host-api.ts';
import { json } from '#shared/http/middleware.ts';
import { parseJsonBody, parsePathParameters } from '#shared/http/request.ts';
import type { IntegrationServices } from '#shared/integrations/deliveries.ts';
import type { FeedOutbound } from '#shared/integrations/feeds.ts';
import { integrationPathSchema } from '#shared/integrations/integration.ts';
import {
  createIntegration,
  getIntegration,
  listIntegrations,
  removeIntegration,
  rotateIntegrationSecret,
  syncFeed,
} from '#shared/integrations/manage.ts';

export function integrationRoutes({
  services,
}: {
  services: () => IntegrationServices & { outbound: FeedOutbound };
}): HostRoutes {
  return {
    'GET /integrations': async ({ principal }) =>
      json(200, { items: await listIntegrations({ services: services(), principal }) }),

    'POST /integrations': async ({ event, principal, createOnce }) => {
      const input = parseJsonBody(event, z.unknown());
      return createOnce(async () => {
        const created = await createIntegration({ services: services(), principal, input });
        return json(201, created, {
          location: `/integrations/${created.integration.id}`,
          'cache-control': 'no-store',
        });
      });
    },

    'GET /integrations/{integrationId}': async ({ event, principal }) => {
      const { integrationId } = parsePathParameters(event, integrationPathSchema);
      return json(200, await getIntegration({ services: services(), principal, integrationId }));
    },

    'DELETE /integrations/{integrationId}': async ({ event, principal }) => {
      const { integrationId } = parsePathParameters(event, integrationPathSchema);
      await removeIntegration({ services: services(), principal, integrationId });
      return { statusCode: 204 };
    },

    'POST /integrations/{integrationId}/rotate-secret': async ({ event, principal }) => {
      const { integrationId } = parsePathParameters(event, integrationPathSchema);
      const rotated = await rotateIntegrationSecret({ services: services(), principal, integrationId });
      return json(200, rotated, { 'cache-control': 'no-store' });
    },

    'POST /integrations/{integrationId}/sync': async ({ event, principal }) => {
      const { integrationId } = parsePathParameters(event, integrationPathSchema);
      return json(200, await syncFeed({ services: services(), principal, integrationId }));
    },
  };
}
