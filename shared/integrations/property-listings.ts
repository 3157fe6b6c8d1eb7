/**
 * A property's listings at its booking sources, seen from the property: which listing id of which channel
 * integration (Lockstay's webhook, Hostaway, Guesty) sends its reservations here. The mapping itself lives
 * on each integration (`PUT /integrations/{id}/listings`); this is the same mapping cut the other way, so a
 * host setting up a property can read and change it there. The rules are the integration side's: a listing
 * id belongs to one property per tenant and source kind, and an iCal feed (one property by construction) has
 * no listings.
 */
import { z } from 'zod';
import { ConflictError, InvalidInputError, NotFoundError } from '#shared/domain/errors.ts';
import { assertMayAttempt, authorize, isPermitted } from '#shared/domain/permissions.ts';
import type { DomainPorts } from '#shared/domain/ports/domain-ports.ts';
import type { Principal } from '#shared/domain/team.ts';
import { parseInput } from '#shared/domain/validation.ts';
import { type Integration, type IntegrationStore, maxIntegrationsSavedTogether } from './integration.ts';

const channelKinds = ['lockstay-webhook', 'hostaway', 'guesty'] as const;

export const externalListingSchema = z
  .object({
    integrationId: z.string(),
    kind: z.enum(channelKinds),
    name: z.string().describe('The integration’s name'),
    externalListingId: z.string().describe('The listing’s id at the source'),
  })
  .meta({ id: 'ExternalListing', description: 'A source’s listing whose reservations come to the property' });
export type ExternalListing = z.infer<typeof externalListingSchema>;

export const propertyListingsSchema = z
  .object({ externalListings: z.array(externalListingSchema) })
  .meta({ id: 'PropertyListings' });

export const propertyListingsInputSchema = z
  .object({
    listings: z
      .array(
        z.object({
          integrationId: z.string().trim().min(1).max(100),
          externalListingId: z.string().trim().min(1).max(200),
        }),
      )
      .max(500)
      .describe('Every listing that maps to the property; those left out stop mapping to it'),
  })
  .meta({ id: 'PropertyListingsInput' });
export type PropertyListingsInput = z.input<typeof propertyListingsInputSchema>;

export interface PropertyListingServices {
  readonly ports: Pick<DomainPorts, 'clock' | 'properties'>;
  readonly store: Pick<IntegrationStore, 'list' | 'saveAll'>;
}

type ChannelIntegration = Integration & { readonly kind: (typeof channelKinds)[number] };

const isChannel = (integration: Integration): integration is ChannelIntegration =>
  integration.kind !== 'ical';

function listingsOf(integrations: readonly Integration[], propertyId: string): ExternalListing[] {
  return integrations
    .filter(isChannel)
    .flatMap((integration) =>
      Object.entries(integration.listings)
        .filter(([, mapped]) => mapped === propertyId)
        .map(([externalListingId]) => ({
          integrationId: integration.id,
          kind: integration.kind,
          name: integration.name,
          externalListingId,
        })),
    )
    .sort(
      (a, b) =>
        a.kind.localeCompare(b.kind) ||
        a.name.localeCompare(b.name) ||
        a.externalListingId.localeCompare(b.externalListingId),
    );
}

/**
 * The property's listings for a caller who may see integrations (owners); undefined for the others, who see
 * the property without them. The property itself is the caller's to have checked.
 */
export async function externalListingsOf({
  services,
  principal,
  propertyId,
}: {
  services: Pick<PropertyListingServices, 'store'>;
  principal: Principal;
  propertyId: string;
}): Promise<ExternalListing[] | undefined> {
  const { tenantId } = principal;
  if (!isPermitted({ principal, action: 'integration.read', resource: { tenantId } })) return undefined;
  return listingsOf(await services.store.list({ tenantId }), propertyId);
}

/**
 * Makes exactly the given listings map to the property: each named integration maps its listing here, and
 * listings that mapped here and are not named stop mapping anywhere. A listing of another property is not
 * taken over (a 409 names it): the host unmaps it there first. The changed integrations are saved together, all
 * or none: a change made meanwhile to any of them refuses the whole (409) and nothing is half-mapped.
 */
export async function mapPropertyListings({
  services,
  principal,
  propertyId,
  input,
}: {
  services: PropertyListingServices;
  principal: Principal;
  propertyId: string;
  input: unknown;
}): Promise<ExternalListing[]> {
  assertMayAttempt({ principal, action: 'integration.manage' });
  const { tenantId } = principal;
  authorize({ principal, action: 'integration.manage', resource: { tenantId } });
  const property = await services.ports.properties.get({ tenantId, propertyId });
  if (!property) throw new NotFoundError(`Property ${propertyId} not found`);
  const { listings } = parseInput({ schema: propertyListingsInputSchema, input, what: 'listings' });
  const integrations = await services.store.list({ tenantId });
  const byId = new Map(integrations.map((integration) => [integration.id, integration]));
  const problems = listings.flatMap(({ integrationId }, index) => {
    const integration = byId.get(integrationId);
    if (integration === undefined) {
      return [{ field: `listings.${index}.integrationId`, message: `No integration ${integrationId}` }];
    }
    return isChannel(integration)
      ? []
      : [{ field: `listings.${index}.integrationId`, message: 'An iCal feed has no listings to map' }];
  });
  if (problems.length > 0) throw new InvalidInputError('The listings name unusable integrations', problems);

  const next = new Map<string, Record<string, string>>();
  for (const integration of integrations.filter(isChannel)) {
    const mapping = Object.fromEntries(
      Object.entries(integration.listings).filter(([, mapped]) => mapped !== propertyId),
    );
    for (const { integrationId, externalListingId } of listings) {
      if (integrationId !== integration.id) continue;
      const elsewhere = mapping[externalListingId];
      if (elsewhere !== undefined && elsewhere !== propertyId) {
        throw new ConflictError(
          `Listing ${externalListingId} of integration ${integration.id} is mapped to property ${elsewhere}; unmap it there first`,
        );
      }
      mapping[externalListingId] = propertyId;
    }
    next.set(integration.id, mapping);
  }
  // A listing id belongs to one property per source kind, across the tenant's integrations of that kind.
  for (const { integrationId, externalListingId } of listings) {
    const kind = byId.get(integrationId)?.kind;
    const clash = integrations.find((other) => {
      const mapped = next.get(other.id)?.[externalListingId];
      return (
        other.kind === kind && other.id !== integrationId && mapped !== undefined && mapped !== propertyId
      );
    });
    if (clash) {
      throw new ConflictError(
        `Listing ${externalListingId} is mapped to property ${next.get(clash.id)?.[externalListingId]} by integration ${clash.id}`,
      );
    }
  }

  const at = services.ports.clock.now().toISOString();
  const changed = integrations.flatMap((integration): Integration[] => {
    const mapping = next.get(integration.id);
    return mapping === undefined || sameMapping(mapping, integration.listings)
      ? []
      : [{ ...integration, listings: mapping, updatedAt: at, version: integration.version + 1 }];
  });
  if (changed.length > maxIntegrationsSavedTogether) {
    throw new InvalidInputError(
      `The listings change ${changed.length} integrations; at most ${maxIntegrationsSavedTogether} change at once`,
      [{ field: 'listings', message: `At most ${maxIntegrationsSavedTogether} integrations change at once` }],
    );
  }
  await services.store.saveAll(changed);
  const savedById = new Map(changed.map((integration) => [integration.id, integration]));
  return listingsOf(
    integrations.map((integration) => savedById.get(integration.id) ?? integration),
    propertyId,
  );
}

function sameMapping(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const entries = Object.entries(a);
  return (
    entries.length === Object.keys(b).length && entries.every(([listing, mapped]) => b[listing] === mapped)
  );
}
