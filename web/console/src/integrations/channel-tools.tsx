/**
 * What a webhook source needs besides its secret: which of its listings is which property (a delivery for an
 * unmapped listing fails and waits), the deliveries that failed with why and a retry, and for Guesty, whose
 * secret the host brings, replacing that secret.
 */
import { useState } from 'preact/hooks';
import type { DeliveryView, IntegrationView } from '#shared/integrations/integration.ts';
import type { ApiClient } from '../api.ts';
import { formatDateTime, viewerTimeZone } from '../time.ts';
import { failureMessage, fieldErrorsOf, SelectField, useRequest } from '../ui/admin.tsx';
import { Alert, Field, SubmitButton } from '../ui.tsx';
import type { IssuedSecret } from './integration-forms.tsx';
import type { PropertySummary } from './integrations-page.tsx';

interface ListingRow {
  readonly listing: string;
  readonly propertyId: string;
}

export function ListingsEditor(props: {
  integration: IntegrationView;
  properties: readonly PropertySummary[];
  api: ApiClient;
  onChanged: (integration: IntegrationView) => void;
}) {
  const { integration, properties, api, onChanged } = props;
  const request = useRequest();
  const [editing, setEditing] = useState(false);
  const [rows, setRows] = useState<ListingRow[]>([]);
  const errors = fieldErrorsOf(request.failure);
  const nameOf = (propertyId: string) =>
    properties.find((property) => property.id === propertyId)?.name ?? propertyId;
  const mapped = Object.entries(integration.listings);
  const choices = properties.map((property) => ({ value: property.id, label: property.name }));

  const start = () => {
    setRows(
      mapped.length > 0
        ? mapped.map(([listing, propertyId]) => ({ listing, propertyId }))
        : [{ listing: '', propertyId: properties[0]?.id ?? '' }],
    );
    request.clear();
    setEditing(true);
  };
  const setRow = (index: number, row: Partial<ListingRow>) =>
    setRows(rows.map((candidate, at) => (at === index ? { ...candidate, ...row } : candidate)));
  const save = async (event: Event) => {
    event.preventDefault();
    const listings = Object.fromEntries(
      rows.filter((row) => row.listing.trim() !== '').map((row) => [row.listing.trim(), row.propertyId]),
    );
    const saved = await request.run(() =>
      api.put<IntegrationView>(`/integrations/${encodeURIComponent(integration.id)}/listings`, { listings }),
    );
    if (saved) {
      setEditing(false);
      onChanged(saved);
    }
  };

  return (
    <details class="tool">
      <summary>Listings ({mapped.length === 0 ? 'none mapped yet' : `${mapped.length} mapped`})</summary>
      {mapped.length > 0 && !editing ? (
        <ul class="plain" data-testid="listings">
          {mapped.map(([listing, propertyId]) => (
            <li key={listing}>
              <code>{listing}</code> → {nameOf(propertyId)}
            </li>
          ))}
        </ul>
      ) : null}
      {mapped.length === 0 && !editing ? (
        <p class="hint">
          Deliveries that name a listing go to the property it is mapped to; an unmapped listing’s deliveries
          fail and wait below until you map it and retry them.
        </p>
      ) : null}
      {editing ? (
        <form onSubmit={(event) => void save(event)} noValidate>
          {rows.map((row, index) => (
            <div class="listing-row" key={index}>
              <Field
                label={`Listing id ${index + 1}`}
                value={row.listing}
                onValue={(listing) => setRow(index, { listing })}
                maxLength={200}
              />
              <SelectField
                label={`Property of listing ${index + 1}`}
                value={row.propertyId}
                onValue={(propertyId) => setRow(index, { propertyId })}
                choices={choices}
              />
            </div>
          ))}
          {errors.listings ? <Alert tone="error">{errors.listings}</Alert> : null}
          {request.failure && !errors.listings ? (
            <Alert tone="error">{failureMessage(request.failure, 'save the listings')}</Alert>
          ) : null}
          <div class="actions">
            <button
              type="button"
              class="secondary"
              onClick={() => setRows([...rows, { listing: '', propertyId: properties[0]?.id ?? '' }])}
            >
              Add a listing
            </button>
            <SubmitButton busy={request.busy}>Save listings</SubmitButton>
            <button type="button" class="secondary" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <button type="button" class="secondary" onClick={start} disabled={properties.length === 0}>
          Map listings
        </button>
      )}
    </details>
  );
}

export function FailedDeliveries(props: { integration: IntegrationView; api: ApiClient }) {
  const { integration, api } = props;
  const request = useRequest();
  const [deliveries, setDeliveries] = useState<readonly DeliveryView[] | undefined>();
  const path = `/integrations/${encodeURIComponent(integration.id)}/deliveries`;
  const zone = viewerTimeZone();

  const load = async () => {
    const found = await request.run(() => api.get<{ items: DeliveryView[] }>(`${path}?limit=25`));
    if (found) setDeliveries(found.items);
  };
  const retry = async (deliveryId: string) => {
    const retried = await request.run(() =>
      api.post<DeliveryView>(`${path}/${encodeURIComponent(deliveryId)}/retry`),
    );
    if (retried && deliveries) {
      setDeliveries(deliveries.map((delivery) => (delivery.deliveryId === deliveryId ? retried : delivery)));
    }
  };

  return (
    <details
      class="tool"
      onToggle={(event) => (event.currentTarget.open && !deliveries ? void load() : undefined)}
    >
      <summary>Failed deliveries</summary>
      {request.busy && !deliveries ? <p role="status">Loading…</p> : null}
      {request.failure ? (
        <Alert tone="error">{failureMessage(request.failure, 'list the deliveries')}</Alert>
      ) : null}
      {deliveries?.length === 0 ? <p>None: every delivery was processed.</p> : null}
      {deliveries && deliveries.length > 0 ? (
        <>
          <p class="hint">Times in {zone}.</p>
          <ul class="plain deliveries">
            {deliveries.map((delivery) => (
              <li key={delivery.deliveryId}>
                <strong>{formatDateTime({ at: delivery.receivedAt, timeZone: zone })}</strong>: reservation{' '}
                <code>{delivery.reservationId}</code> for listing <code>{delivery.listing}</code>,{' '}
                {delivery.status === 'dead-lettered' ? 'gave up after retries' : delivery.status}
                {delivery.reason ? `: ${delivery.reason}` : ''}
                {delivery.status === 'failed' || delivery.status === 'dead-lettered' ? (
                  <>
                    {' '}
                    <button
                      type="button"
                      class="secondary"
                      disabled={request.busy}
                      onClick={() => void retry(delivery.deliveryId)}
                    >
                      Retry
                    </button>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </details>
  );
}

/** Guesty signs with the account's own secret: when it changes there, the host gives Lockstay the new one. */
export function ReplaceGuestySecret(props: {
  integration: IntegrationView;
  api: ApiClient;
  onIssued: (issued: IssuedSecret) => void;
}) {
  const { integration, api, onIssued } = props;
  const request = useRequest();
  const [secret, setSecret] = useState('');
  const errors = fieldErrorsOf(request.failure);
  const submit = async (event: Event) => {
    event.preventDefault();
    const rotated = await request.run(() =>
      api.post<Omit<IssuedSecret, 'reason'>>(
        `/integrations/${encodeURIComponent(integration.id)}/rotate-secret`,
        { secret },
      ),
    );
    if (rotated) {
      setSecret('');
      onIssued({ ...rotated, reason: 'rotated' });
    }
  };
  return (
    <details class="tool">
      <summary>Replace the Guesty secret</summary>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Field
          label="New Guesty webhook signing secret"
          type="password"
          autocomplete="off"
          value={secret}
          onValue={setSecret}
          maxLength={200}
          error={errors.secret}
        />
        {request.failure && !errors.secret ? (
          <Alert tone="error">{failureMessage(request.failure, 'replace the secret')}</Alert>
        ) : null}
        <SubmitButton busy={request.busy}>Replace secret</SubmitButton>
      </form>
    </details>
  );
}
