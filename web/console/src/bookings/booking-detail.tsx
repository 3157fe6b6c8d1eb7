/**
 * One booking: the stay at the property's clock, each lock's code and whether it is on the lock yet (the page
 * keeps asking while a code is on its way), the stay's timeline from the audit log, changing or cancelling it
 * by hand, and sending the guest's email again.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { BookingView, GrantView } from '#shared/domain/operations/queries.ts';
import type { Property } from '#shared/domain/property.ts';
import type { ResentGuestEmail } from '#shared/guests/resend-guest-email.ts';
import type { Caller } from '#shared/http/caller.ts';
import type { ApiClient } from '../api.ts';
import { mayAttempt } from '../role-permissions.ts';
import { formatDateTime } from '../time.ts';
import { useTitle } from '../title.ts';
import { ConfirmAction } from '../ui/confirm-action.tsx';
import { failureText, fieldErrorsFrom, useLocks, useTeam } from '../ui/records.tsx';
import { Alert, Heading } from '../ui.tsx';
import { BookingForm, changeBody, draftOf } from './booking-form.tsx';
import { CodeStatusList, type GuestCode } from './code-status.tsx';
import { type Timeline, TimelinePanel } from './timeline.tsx';

interface BookingDetailAnswer {
  readonly booking: BookingView;
  readonly grant?: GrantView & { readonly guestCodes?: readonly GuestCode[] };
  readonly timeline?: Timeline;
}

/** Codes on their way to a lock: worth asking again shortly. */
const pending = (answer: BookingDetailAnswer | undefined) =>
  answer?.grant?.accessCodes?.some((code) => code.status === 'scheduled' || code.status === 'setting') ??
  false;
const pollMs = 2000;

export function BookingDetail(props: {
  api: ApiClient;
  me: Caller;
  bookingId: string;
  properties: readonly Property[];
}) {
  const { api, me, bookingId, properties } = props;
  const [answer, setAnswer] = useState<BookingDetailAnswer>();
  const [failure, setFailure] = useState<unknown>();
  const [version, setVersion] = useState(0);
  const reload = () => setVersion((count) => count + 1);
  // Counts the answers a change brought itself: a read still on its way began before them and is dropped.
  const changesShown = useRef(0);
  const showChanged = (next: BookingDetailAnswer) => {
    changesShown.current += 1;
    setAnswer(next);
  };
  useTitle(answer ? `Booking of ${answer.booking.guest.name}` : 'Booking');

  useEffect(() => {
    let current = true;
    const changesBefore = changesShown.current;
    api.get<BookingDetailAnswer>(`/bookings/${encodeURIComponent(bookingId)}`).then(
      (loaded) => {
        if (!current || changesShown.current !== changesBefore) return;
        setAnswer(loaded);
        setFailure(undefined);
      },
      (error: unknown) => current && setFailure(error),
    );
    return () => {
      current = false;
    };
  }, [api, bookingId, version]);
  useEffect(() => {
    if (!pending(answer)) return;
    const timer = setTimeout(reload, pollMs);
    return () => clearTimeout(timer);
  }, [answer]);

  const property = properties.find((candidate) => candidate.id === answer?.booking.propertyId);
  const locks = useLocks(api, property?.id);
  const team = useTeam(api);
  if (failure && !answer) {
    return (
      <>
        <Heading>Booking</Heading>
        <Alert tone="error">{failureText(failure, 'load this booking')}</Alert>
        <a href="#/bookings">Back to bookings</a>
      </>
    );
  }
  if (!answer || !property) return <p role="status">Loading the booking…</p>;
  const { booking, grant, timeline } = answer;
  const zone = property.timeZone;
  const at = (instant: string) => formatDateTime({ at: instant, timeZone: zone });
  const guest = booking.guest as { name: string; email?: string; phone?: string };
  const cancelled = booking.status === 'cancelled';
  const lockName = (lockId: string) => locks.find((lock) => lock.id === lockId)?.name;
  const personName = (userId: string) => team.find((member) => member.userId === userId)?.email;

  return (
    <>
      <a href="#/bookings">← All bookings</a>
      <Heading>Booking of {guest.name}</Heading>
      <dl class="facts" data-testid="booking-facts">
        <dt>Property</dt>
        <dd>{property.name}</dd>
        <dt>Stay</dt>
        <dd>
          {booking.arrivalDate} to {booking.departureDate}
        </dd>
        <dt>Status</dt>
        <dd>
          <span class={`badge ${cancelled ? 'badge-bad' : 'badge-good'}`} data-testid="booking-status">
            {booking.status}
          </span>
          {booking.cancellationReason ? ` (${booking.cancellationReason})` : ''}
        </dd>
        {guest.email ? (
          <>
            <dt>Email</dt>
            <dd>{guest.email}</dd>
          </>
        ) : null}
        {guest.phone ? (
          <>
            <dt>Phone</dt>
            <dd>{guest.phone}</dd>
          </>
        ) : null}
        {grant ? (
          <>
            <dt>Access</dt>
            <dd data-testid="access-window">
              {at(grant.grant.window.startsAt)} to{' '}
              {grant.grant.window.endsAt ? at(grant.grant.window.endsAt) : 'no end'} ({grant.status}; times in{' '}
              {zone})
            </dd>
          </>
        ) : null}
      </dl>

      {grant ? (
        <section class="panel" aria-labelledby="codes-heading">
          <h2 id="codes-heading">Codes on the locks</h2>
          <CodeStatusList
            locks={locks}
            lockIds={grant.grant.lockIds}
            codes={grant.accessCodes}
            guestCodes={grant.guestCodes}
          />
          <p>
            <a href={`#/bookings/grants/${encodeURIComponent(grant.grant.id)}`}>
              The access grant, with offline codes for locks that are never online
            </a>
          </p>
          {pending(answer) ? (
            <p class="hint" role="status">
              Waiting for the locks to confirm…
            </p>
          ) : null}
        </section>
      ) : null}

      {!cancelled && mayAttempt(me.role, 'booking.modify') ? (
        <ChangeBooking api={api} booking={booking} timeZone={zone} onChanged={showChanged} />
      ) : null}
      {!cancelled && guest.email && mayAttempt(me.role, 'booking.resendGuestEmail') ? (
        <ResendGuestEmail api={api} bookingId={booking.id} onSent={reload} />
      ) : null}
      {!cancelled && mayAttempt(me.role, 'booking.cancel') ? (
        <CancelBooking api={api} bookingId={booking.id} onCancelled={reload} />
      ) : null}

      {timeline ? (
        <TimelinePanel timeline={timeline} timeZone={zone} words={{ lockName, personName }} />
      ) : null}
    </>
  );
}

function ChangeBooking(props: {
  api: ApiClient;
  booking: BookingView;
  timeZone: string;
  onChanged: (answer: BookingDetailAnswer) => void;
}) {
  const { api, booking, timeZone, onChanged } = props;
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const [done, setDone] = useState(false);
  const before = draftOf(booking);
  if (!open) {
    return (
      <div class="actions">
        {done ? <Alert tone="success">The booking was changed; its codes move with it.</Alert> : null}
        <button type="button" class="secondary" onClick={() => setOpen(true)}>
          Change booking
        </button>
      </div>
    );
  }
  return (
    <section class="panel" aria-labelledby="change-heading">
      <h2 id="change-heading">Change booking</h2>
      {failure ? <Alert tone="error">{failureText(failure, 'change the booking')}</Alert> : null}
      <BookingForm
        initial={before}
        errors={fieldErrorsFrom(failure)}
        busy={busy}
        submitLabel="Save changes"
        timeZoneName={timeZone}
        onSubmit={async (after) => {
          setBusy(true);
          setFailure(undefined);
          try {
            await api.patch(
              `/bookings/${encodeURIComponent(booking.id)}`,
              changeBody(before, after, booking.version),
            );
            onChanged(await api.get<BookingDetailAnswer>(`/bookings/${encodeURIComponent(booking.id)}`));
            setDone(true);
            setOpen(false);
          } catch (error) {
            setFailure(error);
          } finally {
            setBusy(false);
          }
        }}
      >
        <p class="hint">The guest keeps their code; its window moves on every lock.</p>
      </BookingForm>
      <button type="button" class="link" onClick={() => setOpen(false)}>
        Close without saving
      </button>
    </section>
  );
}

/** Sends the guest their email again at once (a new link; the earlier ones keep working). */
function ResendGuestEmail(props: { api: ApiClient; bookingId: string; onSent: () => void }) {
  const { api, bookingId, onSent } = props;
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const [sentTo, setSentTo] = useState<string>();
  return (
    <div class="actions">
      {sentTo ? <Alert tone="success">The guest’s email was sent again to {sentTo}.</Alert> : null}
      {failure ? <Alert tone="error">{failureText(failure, 'send the guest’s email')}</Alert> : null}
      <button
        type="button"
        class="secondary"
        disabled={busy}
        aria-busy={busy ? 'true' : undefined}
        onClick={async () => {
          setBusy(true);
          setFailure(undefined);
          setSentTo(undefined);
          try {
            const sent = await api.post<ResentGuestEmail>(
              `/bookings/${encodeURIComponent(bookingId)}/guest-email`,
            );
            setSentTo(sent.to);
            onSent();
          } catch (error) {
            setFailure(error);
          } finally {
            setBusy(false);
          }
        }}
      >
        {busy ? 'Sending…' : 'Resend guest email'}
      </button>
    </div>
  );
}

function CancelBooking(props: { api: ApiClient; bookingId: string; onCancelled: () => void }) {
  const { api, bookingId, onCancelled } = props;
  return (
    <ConfirmAction
      label="Cancel booking"
      question="Cancel this booking?"
      confirmLabel="Yes, cancel the booking"
      doing="cancel the booking"
      onConfirm={async (reason) => {
        await api.post(`/bookings/${encodeURIComponent(bookingId)}/cancel`, reason ? { reason } : {});
      }}
      onDone={onCancelled}
    >
      The guest’s code comes off every lock, their link stops working, and they are told by email.
    </ConfirmAction>
  );
}
