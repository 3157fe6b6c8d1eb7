/**
 * Bookings and grants: a property's schedule, upcoming first, searched by guest or dates on the server; a
 * booking entered by hand; the property's access grants and new ad-hoc ones. `/bookings/<id>` is one booking
 * with its codes and timeline, `/bookings/grants/<id>` one grant with its codes.
 */
import { useEffect, useState } from 'preact/hooks';
import type { BookingView } from '#shared/domain/operations/queries.ts';
import type { Property } from '#shared/domain/property.ts';
import type { ApiClient } from '../api.ts';
import { mayAttempt } from '../role-permissions.ts';
import { navigate, usePath } from '../router.ts';
import type { SectionProps } from '../shell/shell.tsx';
import { describeTimeZone } from '../time.ts';
import { useTitle } from '../title.ts';
import { localDate } from '../ui/local-day.ts';
import { type ListPage, Pager, usePagedList } from '../ui/pager.tsx';
import { ChoiceField, failureText, fieldErrorsFrom, InputField, useProperties } from '../ui/records.tsx';
import { Alert, Field, Heading, SubmitButton } from '../ui.tsx';
import { BookingDetail } from './booking-detail.tsx';
import { BookingForm, createBody, emptyDraft } from './booking-form.tsx';
import { GrantDetail, GrantsPanel } from './grants.tsx';

const chosenPropertyKey = 'lockstay.console.bookings.property';

function remembered(): string | undefined {
  try {
    return window.sessionStorage.getItem(chosenPropertyKey) ?? undefined;
  } catch {
    return undefined;
  }
}

export function BookingsPage(props: SectionProps) {
  const { services, me } = props;
  const path = usePath();
  const properties = useProperties(services.api);
  const [, , first, second] = path.split('/');
  if (properties.kind === 'loading') return <p role="status">Loading your properties…</p>;
  if (properties.kind === 'failed') {
    return <Alert tone="error">{failureText(properties.failure, 'load your properties')}</Alert>;
  }
  if (first === 'grants' && second) {
    return (
      <GrantDetail
        api={services.api}
        me={me}
        grantId={decodeURIComponent(second)}
        properties={properties.value}
      />
    );
  }
  if (first) {
    return (
      <BookingDetail
        api={services.api}
        me={me}
        bookingId={decodeURIComponent(first)}
        properties={properties.value}
      />
    );
  }
  return <BookingsHome {...props} properties={properties.value} />;
}

interface Search {
  readonly guest: string;
  readonly from: string;
  readonly to: string;
}

function BookingsHome(props: SectionProps & { properties: readonly Property[] }) {
  const { services, me, properties } = props;
  useTitle('Bookings and grants');
  const [propertyId, setPropertyId] = useState(
    () => properties.find((property) => property.id === remembered())?.id ?? properties[0]?.id ?? '',
  );
  const property = properties.find((candidate) => candidate.id === propertyId);
  useEffect(() => {
    try {
      window.sessionStorage.setItem(chosenPropertyKey, propertyId);
    } catch {
      // Storage disabled: the choice lasts as long as the page.
    }
  }, [propertyId]);
  if (!property) {
    return (
      <>
        <Heading>Bookings and grants</Heading>
        <p>There is no property yet. Add one under Properties &amp; locks first.</p>
      </>
    );
  }
  return (
    <>
      <Heading>Bookings and grants</Heading>
      <ChoiceField
        label="Property"
        value={propertyId}
        onValue={setPropertyId}
        options={properties.map((candidate) => ({ value: candidate.id, label: candidate.name }))}
        hint={`Dates and times are at the property: ${describeTimeZone({ timeZone: property.timeZone })}.`}
      />
      <Schedule key={property.id} api={services.api} property={property} />
      {mayAttempt(me.role, 'booking.create') ? (
        <NewBooking key={`new-${property.id}`} api={services.api} property={property} />
      ) : null}
      {mayAttempt(me.role, 'grant.read') ? (
        <GrantsPanel key={`grants-${property.id}`} api={services.api} me={me} property={property} />
      ) : null}
    </>
  );
}

/** `GET /bookings` query for a search: upcoming (departing today or later at the property) unless dates are given. */
export function scheduleQuery({
  propertyId,
  search,
  today,
  cursor,
}: {
  propertyId: string;
  search: Search;
  today: string;
  cursor?: string | undefined;
}): string {
  const query = new URLSearchParams({ propertyId, limit: '25' });
  query.set('from', search.from || (search.guest.trim() ? '' : today));
  if (!query.get('from')) query.delete('from');
  if (search.to) query.set('to', search.to);
  if (search.guest.trim()) query.set('guest', search.guest.trim());
  if (cursor) query.set('cursor', cursor);
  return `/bookings?${query}`;
}

function Schedule(props: { api: ApiClient; property: Property }) {
  const { api, property } = props;
  const [draft, setDraft] = useState<Search>({ guest: '', from: '', to: '' });
  const [search, setSearch] = useState<Search>(draft);
  const list = usePagedList<BookingView>();
  const { items: bookings, state } = list;
  const today = localDate({ timeZone: property.timeZone });

  const load = (next: Search) =>
    list.load((cursor) =>
      api.get<ListPage<BookingView>>(scheduleQuery({ propertyId: property.id, search: next, today, cursor })),
    );
  // Loads once: the component is keyed by its property.
  useEffect(() => {
    void load(search);
  }, []);
  const errors = typeof state === 'object' ? fieldErrorsFrom(state.failure) : {};

  return (
    <section class="panel" aria-labelledby="schedule-heading">
      <h2 id="schedule-heading">Schedule</h2>
      <form
        class="search"
        aria-label="Search bookings"
        onSubmit={(event) => {
          event.preventDefault();
          setSearch(draft);
          void load(draft);
        }}
      >
        <Field
          label="Guest’s name"
          value={draft.guest}
          onValue={(guest) => setDraft({ ...draft, guest })}
          hint="Part of the name; case and accents do not matter."
          error={errors.guest}
        />
        <div class="field-row">
          <InputField
            label="Staying from"
            type="date"
            value={draft.from}
            onValue={(from) => setDraft({ ...draft, from })}
            hint="Empty: from today (all dates when searching a name)."
            error={errors.from}
          />
          <InputField
            label="Arriving until"
            type="date"
            value={draft.to}
            onValue={(to) => setDraft({ ...draft, to })}
            error={errors.to}
          />
        </div>
        <div class="actions">
          <SubmitButton busy={state === 'loading'}>Search</SubmitButton>
        </div>
      </form>
      {typeof state === 'object' ? (
        <Alert tone="error">{failureText(state.failure, 'load the schedule')}</Alert>
      ) : null}
      {state !== 'loading' && bookings.length === 0 && !list.cursor ? (
        <p role="status">No bookings match.</p>
      ) : null}
      {bookings.length > 0 ? (
        <div class="table-scroll">
          <table class="records" data-testid="bookings">
            <caption class="visually-hidden">Bookings of {property.name}, by arrival</caption>
            <thead>
              <tr>
                <th scope="col">Guest</th>
                <th scope="col">Arrival</th>
                <th scope="col">Departure</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {bookings.map((booking) => (
                <tr key={booking.id} data-booking={booking.id}>
                  <td>
                    <a href={`#/bookings/${encodeURIComponent(booking.id)}`}>{booking.guest.name}</a>
                  </td>
                  <td data-label="Arrival">{booking.arrivalDate}</td>
                  <td data-label="Departure">{booking.departureDate}</td>
                  <td>
                    <span class={`badge ${booking.status === 'cancelled' ? 'badge-bad' : 'badge-good'}`}>
                      {booking.status}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager list={list} showMore="Show more" searchFurther="Search further" />
    </section>
  );
}

function NewBooking(props: { api: ApiClient; property: Property }) {
  const { api, property } = props;
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  // One key per booking being entered: a retried submission never makes two bookings.
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  if (!open) {
    return (
      <div class="actions">
        <button type="button" class="primary" onClick={() => setOpen(true)}>
          New booking
        </button>
      </div>
    );
  }
  return (
    <section class="panel" aria-labelledby="new-booking-heading">
      <h2 id="new-booking-heading">New booking at {property.name}</h2>
      {failure ? <Alert tone="error">{failureText(failure, 'enter the booking')}</Alert> : null}
      <BookingForm
        initial={emptyDraft}
        errors={fieldErrorsFrom(failure)}
        busy={busy}
        submitLabel="Enter booking"
        timeZoneName={property.timeZone}
        onSubmit={async (draft) => {
          setBusy(true);
          setFailure(undefined);
          try {
            const created = await api.post<{ booking: { id: string } }>(
              '/bookings',
              createBody(property.id, draft),
              {
                idempotencyKey,
              },
            );
            setIdempotencyKey(crypto.randomUUID());
            navigate(`/bookings/${encodeURIComponent(created.booking.id)}`);
          } catch (error) {
            setFailure(error);
          } finally {
            setBusy(false);
          }
        }}
      >
        <p class="hint">
          Its access code follows at once, one per lock, and the guest is emailed before arrival.
        </p>
      </BookingForm>
      <button type="button" class="link" onClick={() => setOpen(false)}>
        Close without saving
      </button>
    </section>
  );
}
