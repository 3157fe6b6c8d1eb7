/**
 * Polling an iCal feed: fetch it (conditional GET with the last ETag / Last-Modified, a timeout, a byte cap,
 * the URL guard again at connect time since DNS may have changed since creation), parse it, compare it with
 * the last import in the property's "today", and apply what changed through the same worker as webhooks.
 * A feed that fails, comes back empty or shrinks suspiciously cancels nothing: its health says why, and the
 * snapshot and "last imported" stay as the last clean import left them.
 *
 * A feed turning unhealthy alerts the owners once (email and an `alert.feed-unhealthy` audit event), not on
 * every poll that finds it still broken.
 *
 * Each poll schedules the next one (a task with a stable id per feed, so an on-demand sync moves it rather
 * than doubling it).
 */
import { type AuditEvent, auditTrail } from '#shared/domain/audit.ts';
import { newEntityId } from '#shared/domain/entity.ts';
import { localDateAt } from '#shared/domain/local-time.ts';
import type { IntegrationAlertNotice } from '#shared/domain/ports/host-notifier.ts';
import { applyEvent, type IntegrationServices } from './deliveries.ts';
import { diffFeed, type FeedFetch, type FeedHealth } from './feed-diff.ts';
import { feedCancellationEvent, feedReservationEvent, maxFeedLength, parseIcalFeed } from './ical.ts';
import type { Feed, Integration } from './integration.ts';
import { checkOutboundUrl, type HostResolver } from './url-guard.ts';

export const feedPollTaskType = 'integration-feed-poll';
export const feedPollIntervalMinutes = 30;
export const feedTimeoutMs = 10_000;

/** How feeds reach the outside: the resolver the URL guard uses, and whether loopback is allowed. */
export interface FeedOutbound {
  readonly resolver: HostResolver;
  /** Only the local cloud sets it, for the demo feeds it serves itself. */
  readonly allowLoopback: boolean;
  readonly fetch: typeof fetch;
}

export const feedPollTaskId = (integration: Pick<Integration, 'id'>) => `feed-${integration.id}`;

export async function scheduleFeedPoll({
  services,
  integration,
  runAt,
}: {
  services: Pick<IntegrationServices, 'tasks'>;
  integration: Integration;
  runAt: Date;
}): Promise<void> {
  await services.tasks.schedule({
    id: feedPollTaskId(integration),
    type: feedPollTaskType,
    runAt,
    payload: { tenantId: integration.tenantId, integrationId: integration.id },
  });
}

type FetchOutcome =
  | { readonly kind: 'unchanged' }
  | {
      readonly kind: 'fetched';
      readonly result: FeedFetch;
      readonly etag?: string;
      readonly lastModified?: string;
    };

async function fetchFeed({
  outbound,
  feed,
  timeZone,
}: {
  outbound: FeedOutbound;
  feed: Feed;
  timeZone: string;
}): Promise<FetchOutcome> {
  const check = await checkOutboundUrl({
    url: feed.url,
    resolver: outbound.resolver,
    allowLoopback: outbound.allowLoopback,
  });
  if (!check.ok) return { kind: 'fetched', result: { ok: false, reason: check.message } };
  const headers: Record<string, string> = { accept: 'text/calendar, */*;q=0.5' };
  if (feed.etag) headers['if-none-match'] = feed.etag;
  if (feed.lastModified) headers['if-modified-since'] = feed.lastModified;
  let response: Response;
  try {
    response = await outbound.fetch(check.url, {
      headers,
      redirect: 'error',
      signal: AbortSignal.timeout(feedTimeoutMs),
    });
  } catch (error) {
    const reason =
      error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'could not be reached';
    return { kind: 'fetched', result: { ok: false, reason: `The feed ${reason}` } };
  }
  if (response.status === 304) return { kind: 'unchanged' };
  if (!response.ok) {
    return { kind: 'fetched', result: { ok: false, reason: `The feed answered HTTP ${response.status}` } };
  }
  const text = await readCapped(response);
  if (text === undefined)
    return { kind: 'fetched', result: { ok: false, reason: 'The feed is larger than 5 MB' } };
  const parsed = parseIcalFeed({ text, channel: feed.channel, timeZone });
  return {
    kind: 'fetched',
    result: parsed,
    etag: response.headers.get('etag') ?? undefined,
    lastModified: response.headers.get('last-modified') ?? undefined,
  };
}

async function readCapped(response: Response): Promise<string | undefined> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxFeedLength) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export interface FeedPollResult {
  readonly integration: Integration;
  readonly created: number;
  readonly modified: number;
  readonly cancelled: number;
  readonly withheld: number;
}

/** Polls the integration's feed once and applies what changed; answers the integration as saved after it. */
export async function pollFeed({
  services,
  outbound,
  tenantId,
  integrationId,
}: {
  services: IntegrationServices;
  outbound: FeedOutbound;
  tenantId: string;
  integrationId: string;
}): Promise<FeedPollResult | undefined> {
  const { store, ports } = services;
  const integration = await store.get({ tenantId, integrationId });
  const feed = integration?.feed;
  if (!integration || !feed) return undefined;
  const property = await ports.properties.get({ tenantId, propertyId: feed.propertyId });
  const now = ports.clock.now();
  const at = now.toISOString();
  const fetched = property
    ? await fetchFeed({ outbound, feed, timeZone: property.timeZone })
    : ({ kind: 'unchanged' } as const);
  let next: Feed = { ...feed, lastAttemptAt: at };
  const counts = { created: 0, modified: 0, cancelled: 0, withheld: 0 };
  if (!property) {
    next = { ...next, health: { status: 'failed', reason: 'The feed’s property was removed' } };
  } else if (fetched.kind === 'unchanged') {
    next = { ...next, lastImportAt: at, health: feed.health ?? { status: 'healthy' } };
  } else {
    const result: FeedFetch = fetched.result;
    const diff = diffFeed({
      previous: feed.snapshot,
      current: result,
      today: localDateAt({ instant: at, timeZone: property.timeZone }),
    });
    const channel = result.ok ? result.feed.channel : 'other';
    const listing = { propertyId: feed.propertyId };
    const apply = (event: Parameters<typeof applyEvent>[0]['event']) =>
      applyEvent({ services, integration, event });
    for (const reservation of diff.created) {
      await apply(feedReservationEvent({ reservation, channel, listing, fetchedAt: at }));
      counts.created += 1;
    }
    for (const { after } of diff.modified) {
      await apply(feedReservationEvent({ reservation: after, channel, listing, fetchedAt: at }));
      counts.modified += 1;
    }
    for (const reservation of diff.cancelled) {
      await apply(feedCancellationEvent({ reservation, channel, listing, fetchedAt: at }));
      counts.cancelled += 1;
    }
    counts.withheld = diff.withheldCancellations.length;
    next = {
      ...next,
      health: diff.health,
      snapshot: diff.nextSnapshot,
      ...(result.ok ? { lastImportAt: at, etag: fetched.etag, lastModified: fetched.lastModified } : {}),
    };
  }
  const saved: Integration = { ...integration, feed: next, updatedAt: at, version: integration.version + 1 };
  const alert = healthAlert({ services, integration, before: feed, after: next, at });
  await store.save(saved, { auditEvents: alert?.auditEvents ?? [] });
  if (alert?.notice) {
    const owners = await ports.team.listByRole({ tenantId, role: 'owner' });
    await ports.notifier.notify({
      tenantId,
      recipients: owners.map(({ userId, email, name }) => ({ userId, email, name })),
      notice: alert.notice,
    });
  }
  return { integration: saved, ...counts };
}

const feedPollActor = { kind: 'system', process: 'feed-poll' } as const;

const isUnhealthy = (health: FeedHealth | undefined) => health !== undefined && health.status !== 'healthy';

/**
 * What a poll that changed the feed's health tells: turning unhealthy is an alert (an `alert.feed-unhealthy`
 * audit event and an email to the owners), once per transition rather than per poll, since the saved
 * health is what the next poll compares with; turning healthy again is only recorded.
 */
function healthAlert({
  services,
  integration,
  before,
  after,
  at,
}: {
  services: IntegrationServices;
  integration: Integration;
  before: Feed;
  after: Feed;
  at: string;
}): { auditEvents: readonly AuditEvent[]; notice?: IntegrationAlertNotice } | undefined {
  const { health } = after;
  const wasUnhealthy = isUnhealthy(before.health);
  if (wasUnhealthy === isUnhealthy(health) || health === undefined) return undefined;
  const audit = auditTrail({
    tenantId: integration.tenantId,
    actor: feedPollActor,
    at,
    newId: () => newEntityId({ ids: services.ports.ids, kind: 'auditEvent' }),
  });
  const target = { kind: 'integration', id: integration.id } as const;
  if (health.status === 'healthy') {
    audit.record({ action: 'integration.feed-healthy', target, propertyId: after.propertyId });
    return { auditEvents: audit.events };
  }
  audit.record({
    action: 'alert.feed-unhealthy',
    target,
    propertyId: after.propertyId,
    details: {
      integrationName: integration.name,
      status: health.status,
      reason: health.reason,
      ...(after.lastImportAt ? { lastImportAt: after.lastImportAt } : {}),
    },
  });
  return {
    auditEvents: audit.events,
    notice: {
      kind: 'integration-alert',
      alert: 'feed-unhealthy',
      integrationId: integration.id,
      integrationName: integration.name,
      propertyId: after.propertyId,
      status: health.status,
      reason: health.reason,
      lastImportAt: after.lastImportAt,
    },
  };
}
