/**
 * Properties: the tenant's rentals and their access rules; with the integration store, also the listings of
 * the booking sources that map to a property (owners see and change them on the property too).
 */
import { z } from 'zod';
import type { HostRoutes } from '#functions/commons/host-api.ts';
import { createProperty, updateProperty } from '#shared/domain/operations/properties.ts';
import { getProperty, listProperties } from '#shared/domain/operations/queries.ts';
import { json } from '#shared/http/middleware.ts';
import { pageQuerySchema, propertyPathSchema } from '#shared/http/parameters.ts';
import { parseJsonBody, parsePathParameters, parseQuery } from '#shared/http/request.ts';
import type { IntegrationStore } from '#shared/integrations/integration.ts';
import { externalListingsOf, mapPropertyListings } from '#shared/integrations/property-listings.ts';

export const propertyRoutes: HostRoutes = {
  'GET /properties': async ({ event, principal, ports }) =>
    json(200, await listProperties({ ports, principal, page: parseQuery(event, pageQuerySchema) })),

  'POST /properties': async ({ event, principal, ports, createOnce }) => {
    const input = parseJsonBody(event, z.unknown());
    return createOnce(async () => {
      const { property } = await createProperty({ ports, principal, input });
      return json(201, property, { location: `/properties/${property.id}` });
    });
  },

  'GET /properties/{propertyId}': async ({ event, principal, ports }) => {
    const { propertyId } = parsePathParameters(event, propertyPathSchema);
    return json(200, await getProperty({ ports, principal, propertyId }));
  },

  'PATCH /properties/{propertyId}': async ({ event, principal, ports }) => {
    const { propertyId } = parsePathParameters(event, propertyPathSchema);
    const input = parseJsonBody(event, z.unknown());
    const { property } = await updateProperty({ ports, principal, propertyId, input });
    return json(200, property);
  },
};

/** The property routes that also read or change the sources' listings mapped to a property. */
export const propertyRoutesWith = ({
  listings,
}: {
  listings: () => Pick<IntegrationStore, 'list' | 'saveAll'>;
}): HostRoutes => ({
  'GET /properties/{propertyId}': async ({ event, principal, ports }) => {
    const { propertyId } = parsePathParameters(event, propertyPathSchema);
    const property = await getProperty({ ports, principal, propertyId });
    const externalListings = await externalListingsOf({
      services: { store: listings() },
      principal,
      propertyId,
    });
    return json(200, externalListings === undefined ? property : { ...property, externalListings });
  },

  'PUT /properties/{propertyId}/external-listings': async ({ event, principal, ports }) => {
    const { propertyId } = parsePathParameters(event, propertyPathSchema);
    const input = parseJsonBody(event, z.unknown());
    const externalListings = await mapPropertyListings({
      services: { ports, store: listings() },
      principal,
      propertyId,
      input,
    });
    return json(200, { externalListings });
  },
});
