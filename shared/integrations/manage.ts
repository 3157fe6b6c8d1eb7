/**
 * The host's side of integrations: create one (its signing secret shown once), list, read, remove, rotate
 * the secret (the previous one keeps verifying for a grace period, so deliveries the sender signed and queued
 * before the rotation are not refused), map the source's listings to properties, see the deliveries that
 * failed and run one again. Owners manage; whoever may see integrations sees the failures.
 */
import { ConflictError, InvalidInputError, NotFoundError } from '#shared/domain/errors.ts';
import { authorize } from '#shared/domain/permissions.ts';
import type { Principal } from '#shared/domain/team.ts';
import { parseInput } from '#shared/domain/validation.ts';
import type { BasicCredentials } from './basic-auth.ts';
import { type IntegrationServices, retryDelivery, secretContext } from './deliveries.ts';
import {
  type FeedOutbound,
  feedPollIntervalMinutes,
  feedPollTaskId,
  pollFeed,
  scheduleFeedPoll,
} from './feeds.ts';
import {
  createIntegrationInputSchema,
  type DeliveryView,
  deliveryView,
  type Integration,
  type IntegrationView,
  integrationView,
  listingMappingInputSchema,
  rotateSecretInputSchema,
  type SealedSecret,
} from './integration.ts';
import { assertOutboundUrl } from './url-guard.ts';
import { newBasicCredentials, sealedFormOfCredentials } from './webhook-credentials.ts';
import { assertWebhookSecret, newWebhookSecret } from './webhook-signature.ts';

/** How long the previous secret verifies after a rotation. */
export const secretGraceHours = 24;

type ManageServices = Pick<IntegrationServices, 'store' | 'sealer'> & {
  ports: Pick<IntegrationServices['ports'], 'clock' | 'ids' | 'properties'>;
  /** Feeds only: the URL guard's resolver and the scheduler of their polls. */
  outbound?: FeedOutbound | undefined;
  tasks?: IntegrationServices['tasks'] | undefined;
};

async function sealSecret({
  services,
  integration,
  secret,
  at,
}: {
  services: ManageServices;
  integration: Pick<Integration, 'tenantId' | 'id'>;
  secret: string;
  at: string;
}): Promise<SealedSecret> {
  const sealed = await services.sealer.seal({
    plaintext: new TextEncoder().encode(secret),
    context: secretContext(integration),
  });
  return { sealed, addedAt: at };
}

export async function createIntegration({
  services,
  principal,
  input,
}: {
  services: ManageServices;
  principal: Principal;
  input: unknown;
}): Promise<{ integration: IntegrationView; secret?: string; credentials?: BasicCredentials }> {
  const { tenantId } = principal;
  authorize({ principal, action: 'integration.manage', resource: { tenantId } });
  const details = parseInput({ schema: createIntegrationInputSchema, input, what: 'integration' });
  const { ports } = services;
  const propertyIds = details.kind === 'ical' ? [details.propertyId] : Object.values(details.listings);
  await assertPropertiesExist({ services, tenantId, propertyIds });
  const now = ports.clock.now();
  const at = now.toISOString();
  const id = `int_${ports.ids.newId()}`;
  if (details.kind === 'ical') {
    const { outbound, tasks } = services;
    if (!outbound || !tasks) throw new Error('Feeds need the outbound guard and the task scheduler');
    const url = await assertOutboundUrl({
      url: details.url,
      resolver: outbound.resolver,
      allowLoopback: outbound.allowLoopback,
      field: 'url',
    });
    const integration: Integration = {
      tenantId,
      id,
      kind: 'ical',
      name: details.name,
      listings: {},
      secrets: [],
      feed: { url: url.href, propertyId: details.propertyId, channel: details.channel, snapshot: [] },
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
    await services.store.save(integration);
    // The first poll follows shortly; a host who wants it at once syncs on demand.
    await scheduleFeedPoll({ services: { tasks }, integration, runAt: new Date(now.getTime() + 60_000) });
    return { integration: integrationView(integration, now) };
  }
  await assertListingsFree({ services, tenantId, kind: details.kind, listings: details.listings });
  const issued = issueSecret({
    kind: details.kind,
    brought: 'secret' in details ? details.secret : undefined,
  });
  const integration: Integration = {
    tenantId,
    id,
    kind: details.kind,
    name: details.name,
    listings: details.listings,
    secrets: [await sealSecret({ services, integration: { tenantId, id }, secret: issued.sealed, at })],
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  await services.store.save(integration);
  return { integration: integrationView(integration, now), ...issued.shown };
}

/**
 * The secret of a webhook integration, and what the host is shown of it once: Lockstay's signing secret,
 * Hostaway's Basic credentials, or nothing for Guesty, whose secret the host brought from Guesty.
 */
function issueSecret({ kind, brought }: { kind: Integration['kind']; brought?: string | undefined }): {
  sealed: string;
  shown: { secret?: string; credentials?: BasicCredentials };
} {
  switch (kind) {
    case 'hostaway': {
      const credentials = newBasicCredentials();
      return { sealed: sealedFormOfCredentials(credentials), shown: { credentials } };
    }
    case 'guesty': {
      if (brought === undefined) {
        throw new InvalidInputError('Guesty’s signing secret is required', [
          {
            field: 'secret',
            message:
              'Give the signing secret Guesty’s Open API returns at GET /v1/webhooks-v2/secret (whsec_…)',
          },
        ]);
      }
      assertWebhookSecret(brought, 'secret');
      return { sealed: brought, shown: {} };
    }
    default: {
      const secret = newWebhookSecret();
      return { sealed: secret, shown: { secret } };
    }
  }
}

/**
 * A listing id belongs to one property per tenant and source kind: two Hostaway integrations of a business
 * (two accounts) must not send the same listing to different properties, or a reservation would have two
 * homes. The mapping is checked against the tenant's other integrations of the kind.
 */
async function assertListingsFree({
  services,
  tenantId,
  kind,
  listings,
  integrationId,
}: {
  services: ManageServices;
  tenantId: string;
  kind: Integration['kind'];
  listings: Readonly<Record<string, string>>;
  integrationId?: string;
}): Promise<void> {
  const others = (await services.store.list({ tenantId })).filter(
    (other) => other.kind === kind && other.id !== integrationId,
  );
  const problems = Object.entries(listings).flatMap(([listing, propertyId]) => {
    const clash = others.find(
      (other) => other.listings[listing] !== undefined && other.listings[listing] !== propertyId,
    );
    return clash
      ? [
          {
            field: `listings.${listing}`,
            message: `Already mapped to property ${clash.listings[listing]} by integration ${clash.id}`,
          },
        ]
      : [];
  });
  if (problems.length > 0) throw new ConflictError(problems.map((problem) => problem.message).join('; '));
}

async function assertPropertiesExist({
  services,
  tenantId,
  propertyIds,
}: {
  services: ManageServices;
  tenantId: string;
  propertyIds: readonly string[];
}): Promise<void> {
  for (const propertyId of new Set(propertyIds)) {
    const property = await services.ports.properties.get({ tenantId, propertyId });
    if (!property) throw new NotFoundError(`No property ${propertyId}`);
  }
}

/** Replaces the integration's listing mapping; each listing must name a property of the tenant. */
export async function mapListings(options: {
  services: ManageServices;
  principal: Principal;
  integrationId: string;
  input: unknown;
}): Promise<IntegrationView> {
  const { services } = options;
  const integration = await loadIntegration({ ...options, action: 'integration.manage' });
  const { listings } = parseInput({
    schema: listingMappingInputSchema,
    input: options.input,
    what: 'listing mapping',
  });
  if (integration.kind === 'ical') {
    throw new InvalidInputError('A feed belongs to one property', [
      { field: 'integrationId', message: 'An iCal feed has no listings to map' },
    ]);
  }
  const { tenantId } = integration;
  await assertPropertiesExist({ services, tenantId, propertyIds: Object.values(listings) });
  await assertListingsFree({
    services,
    tenantId,
    kind: integration.kind,
    listings,
    integrationId: integration.id,
  });
  const now = services.ports.clock.now();
  const mapped: Integration = {
    ...integration,
    listings,
    updatedAt: now.toISOString(),
    version: integration.version + 1,
  };
  await services.store.save(mapped);
  return integrationView(mapped, now);
}

/** The integration's recent failed and dead-lettered deliveries, with why. */
export async function listFailedDeliveries(options: {
  services: ManageServices;
  principal: Principal;
  integrationId: string;
  limit: number;
}): Promise<DeliveryView[]> {
  const integration = await loadIntegration({ ...options, action: 'integration.read' });
  const failed = await options.services.store.listFailedDeliveries({
    tenantId: integration.tenantId,
    integrationId: integration.id,
    limit: options.limit,
  });
  return failed.map(deliveryView);
}

/** Runs a failed delivery again (after the host mapped its listing, say). */
export async function retryFailedDelivery(options: {
  services: IntegrationServices;
  principal: Principal;
  integrationId: string;
  deliveryId: string;
}): Promise<DeliveryView> {
  const integration = await loadIntegration({ ...options, action: 'integration.manage' });
  const pending = await retryDelivery({
    services: options.services,
    tenantId: integration.tenantId,
    integrationId: integration.id,
    deliveryId: options.deliveryId,
  });
  return deliveryView(pending);
}

async function loadIntegration({
  services,
  principal,
  integrationId,
  action,
}: {
  services: ManageServices;
  principal: Principal;
  integrationId: string;
  action: 'integration.read' | 'integration.manage';
}): Promise<Integration> {
  const { tenantId } = principal;
  authorize({ principal, action, resource: { tenantId } });
  const integration = await services.store.get({ tenantId, integrationId });
  if (!integration) throw new NotFoundError(`No integration ${integrationId}`);
  return integration;
}

export async function listIntegrations({
  services,
  principal,
}: {
  services: ManageServices;
  principal: Principal;
}): Promise<IntegrationView[]> {
  const { tenantId } = principal;
  authorize({ principal, action: 'integration.read', resource: { tenantId } });
  const now = services.ports.clock.now();
  return (await services.store.list({ tenantId })).map((integration) => integrationView(integration, now));
}

export async function getIntegration(options: {
  services: ManageServices;
  principal: Principal;
  integrationId: string;
}): Promise<IntegrationView> {
  const integration = await loadIntegration({ ...options, action: 'integration.read' });
  return integrationView(integration, options.services.ports.clock.now());
}

export async function removeIntegration(options: {
  services: ManageServices;
  principal: Principal;
  integrationId: string;
}): Promise<void> {
  const integration = await loadIntegration({ ...options, action: 'integration.manage' });
  await options.services.store.remove({ tenantId: integration.tenantId, integrationId: integration.id });
  if (integration.feed) await options.services.tasks?.cancel(feedPollTaskId(integration));
}

/** Polls a feed now (and its next poll follows from now); answers the integration with its health. */
export async function syncFeed(options: {
  services: IntegrationServices & { outbound: FeedOutbound };
  principal: Principal;
  integrationId: string;
}): Promise<IntegrationView> {
  const { services } = options;
  const integration = await loadIntegration({ ...options, action: 'integration.manage' });
  if (!integration.feed)
    throw new InvalidInputError('Only a feed can be synced', [
      { field: 'integrationId', message: 'Not an iCal feed' },
    ]);
  const polled = await pollFeed({
    services,
    outbound: services.outbound,
    tenantId: integration.tenantId,
    integrationId: integration.id,
  });
  const now = services.ports.clock.now();
  await scheduleFeedPoll({
    services,
    integration,
    runAt: new Date(now.getTime() + feedPollIntervalMinutes * 60_000),
  });
  return integrationView(polled?.integration ?? integration, now);
}

/** A new secret, shown once; the current one verifies for `secretGraceHours` more, older ones no longer. */
export async function rotateIntegrationSecret(options: {
  services: ManageServices;
  principal: Principal;
  integrationId: string;
  input?: unknown;
}): Promise<{ integration: IntegrationView; secret?: string; credentials?: BasicCredentials }> {
  const { services } = options;
  const integration = await loadIntegration({ ...options, action: 'integration.manage' });
  const { secret: brought } = parseInput({
    schema: rotateSecretInputSchema,
    input: options.input ?? {},
    what: 'rotation',
  });
  if (integration.kind === 'ical') {
    throw new InvalidInputError('A feed has no secret', [
      { field: 'integrationId', message: 'An iCal feed has no secret to rotate' },
    ]);
  }
  const issued = issueSecret({ kind: integration.kind, brought });
  const now = services.ports.clock.now();
  const at = now.toISOString();
  const graceEnd = new Date(now.getTime() + secretGraceHours * 3_600_000).toISOString();
  const current = integration.secrets.find((secret) => secret.validUntil === undefined);
  const rotated: Integration = {
    ...integration,
    secrets: [
      await sealSecret({ services, integration, secret: issued.sealed, at }),
      ...(current ? [{ ...current, validUntil: graceEnd }] : []),
    ],
    updatedAt: at,
    version: integration.version + 1,
  };
  await services.store.save(rotated);
  return { integration: integrationView(rotated, now), ...issued.shown };
}
