/**
 * The chosen property's listings at its booking sources (owners): which listing id of which webhook or channel
 * manager sends its reservations here, adding one and removing one. The same mapping the Integrations page
 * edits per source, seen from the property; the API's refusal of a new listing shows beside its fields and
 * what was typed stays.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Property } from '#shared/domain/property.ts';
import type { IntegrationView } from '#shared/integrations/integration.ts';
import type { ExternalListing } from '#shared/integrations/property-listings.ts';
import type { ApiClient } from '../api.ts';
import { kindLabel } from '../integrations/integration-status.ts';
import { failureMessage, SelectField, useRequest } from '../ui/admin.tsx';
import { Alert, Field, ReadProgress, SubmitButton } from '../ui.tsx';
import { newListingErrors, sourceChoices, withListing, withoutListing } from './property-listings.ts';

type Loading =
  | { readonly kind: 'loading' }
  | {
      readonly kind: 'loaded';
      readonly listings: readonly ExternalListing[];
      readonly integrations: readonly IntegrationView[];
    }
  | { readonly kind: 'failed'; readonly message: string };

export function ListingsPanel(props: {
  api: ApiClient;
  property: Property;
  properties: readonly Property[];
}) {
  const { api, property, properties } = props;
  const path = `/properties/${encodeURIComponent(property.id)}`;
  const [loading, setLoading] = useState<Loading>({ kind: 'loading' });
  const [integrationId, setIntegrationId] = useState('');
  const [externalListingId, setExternalListingId] = useState('');
  const [sentIndex, setSentIndex] = useState(0);
  const [notice, setNotice] = useState<string | undefined>();
  const adding = useRequest();
  const removing = useRequest();

  const load = useCallback(() => {
    setLoading({ kind: 'loading' });
    Promise.all([
      api.get<{ externalListings?: ExternalListing[] }>(path),
      api.get<{ items: IntegrationView[] }>('/integrations'),
    ]).then(
      ([found, { items }]) =>
        setLoading({ kind: 'loaded', listings: found.externalListings ?? [], integrations: items }),
      (failure: unknown) =>
        setLoading({ kind: 'failed', message: failureMessage(failure, 'list the property’s listings') }),
    );
  }, [api, path]);
  useEffect(load, [load]);

  const listings = loading.kind === 'loaded' ? loading.listings : [];
  const integrations = loading.kind === 'loaded' ? loading.integrations : [];
  const choices = sourceChoices(integrations);
  const chosen = choices.some((choice) => choice.value === integrationId)
    ? integrationId
    : (choices[0]?.value ?? '');
  const names = new Map<string, string>([
    ...properties.map((candidate): [string, string] => [candidate.id, candidate.name]),
    ...integrations.map((integration): [string, string] => [integration.id, integration.name]),
  ]);
  const errors = newListingErrors({ failure: adding.failure, index: sentIndex, names });
  const changed = (next: readonly ExternalListing[], message: string) => {
    setLoading({ kind: 'loaded', listings: next, integrations });
    setNotice(message);
  };

  const add = async (event: Event) => {
    event.preventDefault();
    setNotice(undefined);
    removing.clear();
    const body = withListing(listings, { integrationId: chosen, externalListingId });
    setSentIndex(body.listings.length - 1);
    const saved = await adding.run(() =>
      api.put<{ externalListings: ExternalListing[] }>(`${path}/external-listings`, body),
    );
    if (saved) {
      changed(saved.externalListings, `Listing ${externalListingId.trim()} now maps to ${property.name}.`);
      setExternalListingId('');
    }
  };
  const remove = async (listing: ExternalListing) => {
    setNotice(undefined);
    adding.clear();
    const saved = await removing.run(() =>
      api.put<{ externalListings: ExternalListing[] }>(
        `${path}/external-listings`,
        withoutListing(listings, listing),
      ),
    );
    if (saved) {
      changed(saved.externalListings, `Listing ${listing.externalListingId} no longer maps to a property.`);
    }
  };

  const headingId = `listings-${property.id}`;
  return (
    <section class="panel" aria-labelledby={headingId} data-testid="external-listings">
      <h2 id={headingId}>Listings at booking sources</h2>
      <p class="hint">
        Reservations your webhooks and channel managers send for these listings come to {property.name}.
      </p>
      <ReadProgress state={loading} loading="Loading listings…" onRetry={load} />
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {removing.failure ? (
        <Alert tone="error">{failureMessage(removing.failure, 'remove the listing')}</Alert>
      ) : null}
      {loading.kind === 'loaded' && listings.length === 0 ? <p>No listings map here yet.</p> : null}
      {listings.length > 0 ? (
        <ul class="plain">
          {listings.map((listing) => (
            <li
              key={`${listing.integrationId}/${listing.externalListingId}`}
              data-testid="external-listing"
              class="card-title"
            >
              <span>
                <code>{listing.externalListingId}</code> at {listing.name} ({kindLabel(listing.kind)})
              </span>
              <button
                type="button"
                class="secondary"
                disabled={removing.busy || adding.busy}
                aria-label={`Remove listing ${listing.externalListingId} of ${listing.name}`}
                onClick={() => void remove(listing)}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {loading.kind === 'loaded' && choices.length === 0 ? (
        <p class="hint">
          Add a webhook or channel manager on the Integrations page to map its listings here.
        </p>
      ) : null}
      {choices.length > 0 ? (
        <form onSubmit={(event) => void add(event)} noValidate aria-label="Add a listing">
          <div class="listing-row">
            <SelectField
              label="Booking source"
              value={chosen}
              onValue={setIntegrationId}
              choices={choices}
              error={errors.integrationId}
            />
            <Field
              label="Listing id at the source"
              value={externalListingId}
              onValue={setExternalListingId}
              maxLength={200}
              required
              error={errors.externalListingId}
            />
          </div>
          {errors.other ? <Alert tone="error">{errors.other}</Alert> : null}
          <SubmitButton busy={adding.busy} disabled={removing.busy}>
            Add listing
          </SubmitButton>
        </form>
      ) : null}
    </section>
  );
}
