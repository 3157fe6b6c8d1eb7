/**
 * How an integration's state reads on the page: its kind in the host's words, whether it is well (a feed's
 * health and the parser's reason when it is not) and what the host should do about it. Pure, so it is
 * specified by unit tests apart from the page.
 */
import type { IntegrationView } from '#shared/integrations/integration.ts';

export type { IntegrationView };

const kindLabels: Readonly<Record<string, string>> = {
  'lockstay-webhook': 'Lockstay webhook',
  hostaway: 'Hostaway',
  guesty: 'Guesty',
  ical: 'iCal feed',
};

export const kindLabel = (kind: string): string => kindLabels[kind] ?? kind;

export type StatusTone = 'good' | 'warning' | 'bad' | 'neutral';

export interface IntegrationStatus {
  readonly tone: StatusTone;
  /** One or two words for the badge. */
  readonly label: string;
  /** Why, in the source's or the parser's words, when something is wrong. */
  readonly reason?: string;
  /** What the host can do about it. */
  readonly advice?: string;
}

export function integrationStatus(integration: Pick<IntegrationView, 'kind' | 'feed'>): IntegrationStatus {
  const { feed } = integration;
  if (integration.kind !== 'ical' || feed === undefined) {
    return { tone: 'good', label: 'Receiving', advice: 'Bookings arrive as your system sends them.' };
  }
  const health = feed.health;
  if (health === undefined) {
    return {
      tone: 'neutral',
      label: 'Not read yet',
      advice: 'The first import follows within a minute; use “Sync now” to read it at once.',
    };
  }
  switch (health.status) {
    case 'healthy':
      return { tone: 'good', label: 'Healthy' };
    case 'suspicious':
      return {
        tone: 'warning',
        label: 'Needs a look',
        ...(health.reason ? { reason: health.reason } : {}),
        advice:
          'Nothing was cancelled because of this. Check the calendar at its source; if it is right, sync again.',
      };
    case 'failed':
      return {
        tone: 'bad',
        label: 'Failing',
        ...(health.reason ? { reason: health.reason } : {}),
        advice:
          'Bookings from this feed are not updated until it reads again. Check the address (copy it again from the channel) and sync now.',
      };
  }
}

/** The newest first by creation, feeds and webhooks alike; names break ties so the order is stable. */
export function byNewest(integrations: readonly IntegrationView[]): IntegrationView[] {
  return [...integrations].sort(
    (a, b) => b.createdAt.localeCompare(a.createdAt) || a.name.localeCompare(b.name),
  );
}

/** Replaces one integration in the list by id (after a sync or a rotation), or adds it first. */
export function withIntegration(
  integrations: readonly IntegrationView[],
  changed: IntegrationView,
): IntegrationView[] {
  const found = integrations.some((integration) => integration.id === changed.id);
  return found
    ? integrations.map((integration) => (integration.id === changed.id ? changed : integration))
    : [changed, ...integrations];
}

/**
 * A list as the API answered it, with what the host changed since it was asked for (an integration added,
 * synced or rotated; `null`: removed): an answer read before a change must not undo it on the page.
 */
export function withChangesSince(
  listed: readonly IntegrationView[],
  changes: ReadonlyMap<string, IntegrationView | null>,
): IntegrationView[] {
  let integrations = byNewest(listed);
  for (const [id, changed] of changes) {
    integrations =
      changed === null
        ? integrations.filter((integration) => integration.id !== id)
        : withIntegration(integrations, changed);
  }
  return integrations;
}
