/**
 * Booking integrations as the host manages them (owners only): create one and see its signing secret once,
 * list and read them, remove one, rotate its secret with a grace period for the previous one, map the
 * source's listings to properties, see the deliveries that failed and run one again.
 */
import { z } from 'zod';
import type { HostRoutes } from '#functions/commons/host-api.ts';
import { json } from '#shared/http/middleware.ts';
import { parseJsonBody, parsePathParameters, parseQuery } from '#shared/http/request.ts';
import type { IntegrationServices } from '#shared/integrations/deliveries.ts';
import type { FeedOutbound } from '#shared/integrations/feeds.ts';
import {
  deliveryListQuerySchema,
  deliveryPathSchema,
  integrationPathSchema,
} from '#shared/integrations/integration.ts';
import {
  createIntegration,
  getIntegration,
  listFailedDeliveries,
  listIntegrations,
  mapListings,
  removeIntegration,
  retryFailedDelivery,
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
      // Only Guesty's rotation carries a body (the secret the host brings); the others need none.
      const input = event.body ? parseJsonBody(event, z.unknown()) : {};
      const rotated = await rotateIntegrationSecret({
        services: services(),
        principal,
        integrationId,
        input,
      });
      return json(200, rotated, { 'cache-control': 'no-store' });
    },

    'PUT /integrations/{integrationId}/listings': async ({ event, principal }) => {
      const { integrationId } = parsePathParameters(event, integrationPathSchema);
      const input = parseJsonBody(event, z.unknown());
      return json(200, await mapListings({ services: services(), principal, integrationId, input }));
    },

    'GET /integrations/{integrationId}/deliveries': async ({ event, principal }) => {
      const { integrationId } = parsePathParameters(event, integrationPathSchema);
      const { limit } = parseQuery(event, deliveryListQuerySchema);
      const items = await listFailedDeliveries({ services: services(), principal, integrationId, limit });
      return json(200, { items });
    },

    'POST /integrations/{integrationId}/deliveries/{deliveryId}/retry': async ({ event, principal }) => {
      const { integrationId, deliveryId } = parsePathParameters(event, deliveryPathSchema);
      return json(
        202,
        await retryFailedDelivery({ services: services(), principal, integrationId, deliveryId }),
      );
    },

    'POST /integrations/{integrationId}/sync': async ({ event, principal }) => {
      const { integrationId } = parsePathParameters(event, integrationPathSchema);
      return json(200, await syncFeed({ services: services(), principal, integrationId }));
    },
  };
}
