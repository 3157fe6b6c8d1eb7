/**
 * Integrations (owners): the booking sources of the business with their health and last import; adding a
 * signed webhook (its secret shown once, with a copy button), a channel manager, or a property's iCal feed;
 * syncing a feed now, rotating a webhook's secret and removing an integration. Everything goes through the
 * public API with the host's token; the API refuses anyone but an owner.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { IntegrationView } from '#shared/integrations/integration.ts';
import type { SectionProps } from '../shell/shell.tsx';
import { describeTimeZone, formatDateTime, viewerTimeZone } from '../time.ts';
import { useTitle } from '../title.ts';
import { allPages, failureMessage, useRequest } from '../ui/admin.tsx';
import { Alert, Heading, ReadProgress } from '../ui.tsx';
import { FailedDeliveries, ListingsEditor, ReplaceGuestySecret } from './channel-tools.tsx';
import { FeedForm, type IssuedSecret, SecretReveal, WebhookForm } from './integration-forms.tsx';
import { integrationStatus, kindLabel, withChangesSince, withIntegration } from './integration-status.ts';

export interface PropertySummary {
  readonly id: string;
  readonly name: string;
  readonly timeZone: string;
}

type Listing =
  | { readonly kind: 'loading' }
  | { readonly kind: 'loaded'; readonly integrations: readonly IntegrationView[] }
  | { readonly kind: 'failed'; readonly message: string };

export function IntegrationsPage(props: SectionProps) {
  const { services } = props;
  const { api } = services;
  useTitle('Integrations');
  const [listing, setListing] = useState<Listing>({ kind: 'loading' });
  const [properties, setProperties] = useState<readonly PropertySummary[]>([]);
  const [issued, setIssued] = useState<IssuedSecret | undefined>();

  // What the host changed since the list was last asked for: its answer may have been read before.
  const changesSinceLoad = useRef(new Map<string, IntegrationView | null>());

  const load = useCallback(() => {
    const changes = new Map<string, IntegrationView | null>();
    changesSinceLoad.current = changes;
    setListing({ kind: 'loading' });
    Promise.all([
      api.get<{ items: IntegrationView[] }>('/integrations'),
      allPages<PropertySummary>((path) => api.get(path), '/properties'),
    ]).then(
      ([{ items }, found]) => {
        setListing({ kind: 'loaded', integrations: withChangesSince(items, changes) });
        setProperties(found);
      },
      (failure: unknown) =>
        setListing({ kind: 'failed', message: failureMessage(failure, 'list your integrations') }),
    );
  }, [api]);
  useEffect(load, [load]);

  const integrations = listing.kind === 'loaded' ? listing.integrations : [];
  const changed = (integration: IntegrationView) => {
    changesSinceLoad.current.set(integration.id, integration);
    setListing((current) => ({
      kind: 'loaded',
      integrations: withIntegration(current.kind === 'loaded' ? current.integrations : [], integration),
    }));
  };
  const removed = (id: string) => {
    changesSinceLoad.current.set(id, null);
    setListing((current) => ({
      kind: 'loaded',
      integrations: (current.kind === 'loaded' ? current.integrations : []).filter(
        (integration) => integration.id !== id,
      ),
    }));
  };

  return (
    <>
      <Heading>Integrations</Heading>
      <p class="lead">
        Where your bookings come from: a channel manager or your own system sending signed webhooks, and the
        calendars of Airbnb, Vrbo or Booking.com read as iCal feeds.
      </p>
      {issued ? (
        <SecretReveal issued={issued} apiUrl={services.config.apiUrl} onDone={() => setIssued(undefined)} />
      ) : null}

      <section aria-labelledby="integration-list" class="integration-list">
        <h2 id="integration-list">Your integrations</h2>
        <ReadProgress state={listing} loading="Loading integrations…" onRetry={load} />
        {listing.kind === 'loaded' && integrations.length === 0 ? (
          <p>No integrations yet: add a webhook or an iCal feed below.</p>
        ) : null}
        <ul class="cards">
          {integrations.map((integration) => (
            <IntegrationCard
              key={integration.id}
              integration={integration}
              properties={properties}
              props={props}
              onChanged={changed}
              onRemoved={removed}
              onIssued={setIssued}
            />
          ))}
        </ul>
      </section>

      <WebhookForm
        services={services}
        onCreated={(created) => {
          changed(created.integration);
          setIssued(created);
        }}
      />
      <FeedForm services={services} properties={properties} onCreated={(created) => changed(created)} />
    </>
  );
}

function IntegrationCard(options: {
  integration: IntegrationView;
  properties: readonly PropertySummary[];
  props: SectionProps;
  onChanged: (integration: IntegrationView) => void;
  onRemoved: (id: string) => void;
  onIssued: (issued: IssuedSecret) => void;
}) {
  const { integration, properties, props, onChanged, onRemoved, onIssued } = options;
  const { api, config } = props.services;
  const request = useRequest();
  const [notice, setNotice] = useState<string | undefined>();
  const [confirmingRemoval, setConfirmingRemoval] = useState(false);
  const status = integrationStatus(integration);
  const { feed } = integration;
  const property = feed ? properties.find((candidate) => candidate.id === feed.propertyId) : undefined;
  // A feed's times are its property's; a webhook belongs to no property, so the viewer's own zone is used.
  const timeZone = property?.timeZone ?? viewerTimeZone();
  const at = (instant: string) => formatDateTime({ at: instant, timeZone });
  const path = `/integrations/${encodeURIComponent(integration.id)}`;
  const headingId = `integration-${integration.id}`;

  const syncNow = async () => {
    setNotice(undefined);
    const synced = await request.run(() => api.post<IntegrationView>(`${path}/sync`));
    if (synced) {
      onChanged(synced);
      const health = integrationStatus(synced);
      setNotice(
        `Read just now: ${health.label.toLowerCase()}, ${synced.feed?.reservations ?? 0} reservations.`,
      );
    }
  };
  const rotate = async () => {
    setNotice(undefined);
    const rotated = await request.run(() => api.post<Omit<IssuedSecret, 'reason'>>(`${path}/rotate-secret`));
    if (rotated) {
      onChanged(rotated.integration);
      onIssued({ ...rotated, reason: 'rotated' });
    }
  };
  const remove = async () => {
    const done = await request.run(() => api.delete<void>(path).then(() => true));
    if (done) onRemoved(integration.id);
  };

  return (
    <li class="card integration" aria-labelledby={headingId} data-testid="integration">
      <div class="card-title">
        <h3 id={headingId}>{integration.name}</h3>
        <span class={`badge badge-${status.tone}`} data-testid="integration-status">
          {status.label}
        </span>
      </div>
      <dl class="facts compact">
        <dt>Kind</dt>
        <dd>{kindLabel(integration.kind)}</dd>
        {integration.webhookPath ? (
          <>
            <dt>Delivers to</dt>
            <dd>
              <code data-testid="webhook-url">{`${config.apiUrl}${integration.webhookPath}`}</code>
            </dd>
          </>
        ) : null}
        {feed ? (
          <>
            <dt>Property</dt>
            <dd>{property?.name ?? feed.propertyId}</dd>
            <dt>Feed</dt>
            <dd>
              <code>{feed.url}</code>
            </dd>
            <dt>Last import</dt>
            <dd data-testid="last-import">
              {feed.lastImportAt
                ? `${at(feed.lastImportAt)}, ${feed.reservations} reservation${feed.reservations === 1 ? '' : 's'}`
                : 'None yet'}
            </dd>
            {feed.lastAttemptAt && feed.lastAttemptAt !== feed.lastImportAt ? (
              <>
                <dt>Last attempt</dt>
                <dd>{at(feed.lastAttemptAt)}</dd>
              </>
            ) : null}
          </>
        ) : null}
        {integration.secretRotation ? (
          <>
            <dt>Previous secret</dt>
            <dd data-testid="previous-secret">
              Still verifies until {at(integration.secretRotation.previousSecretValidUntil)}
            </dd>
          </>
        ) : null}
        <dt>Added</dt>
        <dd>{at(integration.createdAt)}</dd>
      </dl>
      <p class="hint">Times in {describeTimeZone({ timeZone })}.</p>
      {status.reason ? (
        <Alert tone={status.tone === 'bad' ? 'error' : 'warning'}>
          <strong>{status.reason}</strong> {status.advice}
        </Alert>
      ) : status.advice && status.tone !== 'good' ? (
        <p class="hint">{status.advice}</p>
      ) : null}
      {integration.webhookPath ? (
        <div class="tools">
          <ListingsEditor integration={integration} properties={properties} api={api} onChanged={onChanged} />
          <FailedDeliveries integration={integration} api={api} />
          {integration.kind === 'guesty' ? (
            <ReplaceGuestySecret integration={integration} api={api} onIssued={onIssued} />
          ) : null}
        </div>
      ) : null}
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {request.failure ? <Alert tone="error">{failureMessage(request.failure, 'do that')}</Alert> : null}
      <div class="actions">
        {integration.kind === 'ical' ? (
          <button type="button" class="secondary" disabled={request.busy} onClick={() => void syncNow()}>
            {request.busy ? 'Please wait…' : 'Sync now'}
          </button>
        ) : null}
        {integration.webhookPath && integration.kind !== 'guesty' ? (
          <button type="button" class="secondary" disabled={request.busy} onClick={() => void rotate()}>
            Rotate secret
          </button>
        ) : null}
        {confirmingRemoval ? (
          <fieldset class="confirm">
            <legend class="visually-hidden">{`Remove ${integration.name}?`}</legend>
            <span>Remove it? Its deliveries are refused from then on.</span>{' '}
            <button type="button" class="danger" disabled={request.busy} onClick={() => void remove()}>
              Yes, remove
            </button>{' '}
            <button type="button" class="secondary" onClick={() => setConfirmingRemoval(false)}>
              Keep it
            </button>
          </fieldset>
        ) : (
          <button type="button" class="secondary" onClick={() => setConfirmingRemoval(true)}>
            Remove
          </button>
        )}
      </div>
    </li>
  );
}
