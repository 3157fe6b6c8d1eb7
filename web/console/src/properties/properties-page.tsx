/**
 * Properties and locks: the properties the host may see, adding and changing one (for roles that may), and the
 * chosen property's locks with their condition, remote unlock, registration and key rotation, and (owners) its
 * listings at the booking sources.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Property } from '#shared/domain/property.ts';
import { mayAttempt } from '../role-permissions.ts';
import type { SectionProps } from '../shell/shell.tsx';
import { describeTimeZone } from '../time.ts';
import { useTitle } from '../title.ts';
import { allPages, failureMessage } from '../ui/admin.tsx';
import { Alert, Heading, ReadProgress } from '../ui.tsx';
import { ListingsPanel } from './listings-panel.tsx';
import { LocksPanel } from './locks-panel.tsx';
import { PropertyForm } from './property-form.tsx';

type Listing =
  | { readonly kind: 'loading' }
  | { readonly kind: 'loaded'; readonly properties: readonly Property[] }
  | { readonly kind: 'failed'; readonly message: string };

const byName = (a: Property, b: Property) => a.name.localeCompare(b.name);

/**
 * The properties as the API listed them, with those the host saved since the list was asked for: an answer read
 * before a save must not take the property just added (or its change) off the page.
 */
export function withSaved(listed: readonly Property[], saved: readonly Property[]): Property[] {
  const savedIds = new Set(saved.map(({ id }) => id));
  return [...listed.filter(({ id }) => !savedIds.has(id)), ...saved].sort(byName);
}

export function PropertiesPage(props: SectionProps) {
  const { services, me } = props;
  const { api } = services;
  useTitle('Properties & locks');
  const [listing, setListing] = useState<Listing>({ kind: 'loading' });
  const [selectedId, setSelectedId] = useState<string | undefined>();
  const [editing, setEditing] = useState<string | 'new' | undefined>();
  const [saved, setSaved] = useState<string | undefined>();

  // Saved since the list was last asked for: its answer may have been read before.
  const savedSinceLoad = useRef(new Map<string, Property>());

  const load = useCallback(() => {
    const saved = new Map<string, Property>();
    savedSinceLoad.current = saved;
    allPages<Property>((path) => api.get(path), '/properties').then(
      (properties) => setListing({ kind: 'loaded', properties: withSaved(properties, [...saved.values()]) }),
      (failure: unknown) =>
        setListing({ kind: 'failed', message: failureMessage(failure, 'list your properties') }),
    );
  }, [api]);
  useEffect(load, [load]);

  const properties = listing.kind === 'loaded' ? listing.properties : [];
  const selected =
    properties.find((property) => property.id === selectedId) ??
    (properties.length === 1 ? properties[0] : undefined);
  const onSaved = (property: Property) => {
    savedSinceLoad.current.set(property.id, property);
    setListing((current) => ({
      kind: 'loaded',
      properties: withSaved(current.kind === 'loaded' ? current.properties : [], [property]),
    }));
    setEditing(undefined);
    setSelectedId(property.id);
    setSaved(`${property.name} saved.`);
  };

  return (
    <>
      <Heading>Properties &amp; locks</Heading>
      {saved ? <Alert tone="success">{saved}</Alert> : null}
      <ReadProgress state={listing} loading="Loading your properties…" onRetry={load} />
      {listing.kind === 'loaded' && properties.length === 0 ? <p>No properties yet.</p> : null}
      <ul class="cards" data-testid="properties">
        {properties.map((property) => (
          <li
            key={property.id}
            data-testid="property"
            aria-current={property === selected ? 'true' : undefined}
          >
            {editing === property.id ? (
              <PropertyForm
                api={api}
                property={property}
                onSaved={onSaved}
                onCancel={() => setEditing(undefined)}
              />
            ) : (
              <>
                <div class="card-title">
                  <h2>{property.name}</h2>
                  <span class="hint">{describeTimeZone({ timeZone: property.timeZone })}</span>
                </div>
                <p>
                  {[
                    property.address.line1,
                    property.address.line2,
                    property.address.postalCode,
                    property.address.city,
                    property.address.countryCode,
                  ]
                    .filter(Boolean)
                    .join(', ')}
                </p>
                <p class="hint">
                  Check-in {property.checkInTime}, check-out {property.checkOutTime} (property time). Codes go
                  to the locks {property.codePushLeadHours} h before; guests get their email{' '}
                  {property.guestEmailLeadHours} h before.
                </p>
                <div class="actions">
                  <button
                    type="button"
                    class={property === selected ? 'primary' : 'secondary'}
                    aria-pressed={property === selected}
                    onClick={() => {
                      setSaved(undefined);
                      setSelectedId(property.id);
                    }}
                  >
                    Show locks of {property.name}
                  </button>
                  {mayAttempt(me.role, 'property.update') ? (
                    <button
                      type="button"
                      class="secondary"
                      onClick={() => {
                        setSaved(undefined);
                        setEditing(property.id);
                      }}
                    >
                      Change {property.name}
                    </button>
                  ) : null}
                </div>
              </>
            )}
          </li>
        ))}
      </ul>
      {mayAttempt(me.role, 'property.create') ? (
        editing === 'new' ? (
          <div class="panel">
            <PropertyForm api={api} onSaved={onSaved} onCancel={() => setEditing(undefined)} />
          </div>
        ) : (
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setSaved(undefined);
              setEditing('new');
            }}
          >
            Add a property
          </button>
        )
      ) : null}
      {selected ? <LocksPanel key={selected.id} api={api} property={selected} role={me.role} /> : null}
      {selected && mayAttempt(me.role, 'integration.manage') ? (
        <ListingsPanel key={selected.id} api={api} property={selected} properties={properties} />
      ) : null}
    </>
  );
}
