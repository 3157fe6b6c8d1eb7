/**
 * The host's side of integrations: create one (its signing secret shown once), list, read, remove, rotate
 * the secret (the previous one keeps verifying for a grace period, so deliveries the sender signed and queued
 * before the rotation are not refused). Owners only, as the permission matrix says.
 */
import { InvalidInputError, NotFoundError } from '#shared/domain/errors.ts';
import { authorize } from '#shared/domain/permissions.ts';
import type { Principal } from '#shared/domain/team.ts';
import { parseInput } from '#shared/domain/validation.ts';
import { type IntegrationServices, secretContext } from './deliveries.ts';
import {
  type FeedOutbound,
  feedPollIntervalMinutes,
  feedPollTaskId,
  pollFeed,
  scheduleFeedPoll,
} from './feeds.ts';
import {
  createIntegrationInputSchema,
  type Integration,
  type IntegrationView,
  integrationView,
  type SealedSecret,
} from './integration.ts';
import { assertOutboundUrl } from './url-guard.ts';
import { newWebhookSecret } from './webhook-signature.ts';

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
}): Promise<{ integration: IntegrationView; secret?: string }> {
  const { tenantId } = principal;
  authorize({ principal, action: 'integration.manage', resource: { tenantId } });
  const details = parseInput({ schema: createIntegrationInputSchema, input, what: 'integration' });
  const { ports } = services;
  const propertyIds = details.kind === 'ical' ? [details.propertyId] : Object.values(details.listings);
  for (const propertyId of new Set(propertyIds)) {
    const property = await ports.properties.get({ tenantId, propertyId });
    if (!property) throw new NotFoundError(`No property ${propertyId}`);
  }
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
  const secret = newWebhookSecret();
  const integration: Integration = {
    tenantId,
    id,
    kind: details.kind,
    name: details.name,
    listings: details.listings,
    secrets: [await sealSecret({ services, integration: { tenantId, id }, secret, at })],
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  await services.store.save(integration);
  return { integration: integrationView(integration, now), secret };
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
}): Promise<{ integration: IntegrationView; secret: string }> {
  const { services } = options;
  const integration = await loadIntegration({ ...options, action: 'integration.manage' });
  const now = services.ports.clock.now();
  const at = now.toISOString();
  const graceEnd = new Date(now.getTime() + secretGraceHours * 3_600_000).toISOString();
  const current = integration.secrets.find((secret) => secret.validUntil === undefined);
  const secret = newWebhookSecret();
  const rotated: Integration = {
    ...integration,
    secrets: [
      await sealSecret({ services, integration, secret, at }),
      ...(current ? [{ ...current, validUntil: graceEnd }] : []),
    ],
    updatedAt: at,
    version: integration.version + 1,
  };
  await services.store.save(rotated);
  return { integration: integrationView(rotated, now), secret };
}
