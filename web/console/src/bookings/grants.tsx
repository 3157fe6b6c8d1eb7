/**
 * Access grants of a property: the list, newest first; ad-hoc grants issued by hand (a delivery code that
 * opens once, a cleaner's turnover between two stays, emergency access that all owners hear about, an owner's
 * permanent code); and one grant with its codes lock by lock, and revoking it.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Grant, GrantStatus, GrantSubject } from '#shared/domain/grant.ts';
import type { BookingView, GrantView } from '#shared/domain/operations/queries.ts';
import type { Property } from '#shared/domain/property.ts';
import type { TeamMember } from '#shared/domain/team.ts';
import type { Caller } from '#shared/http/caller.ts';
import type { ApiClient } from '../api.ts';
import { mayAttempt } from '../role-permissions.ts';
import { navigate } from '../router.ts';
import { formatDateTime } from '../time.ts';
import { useTitle } from '../title.ts';
import { ConfirmAction } from '../ui/confirm-action.tsx';
import { localDate } from '../ui/local-day.ts';
import {
  ChoiceField,
  failureText,
  fieldErrorsFrom,
  InputField,
  type Option,
  useLocks,
  useTeam,
} from '../ui/records.tsx';
import { Alert, Field, Heading, SubmitButton } from '../ui.tsx';
import { CodeStatusList, type GuestCode } from './code-status.tsx';
import { type Timeline, TimelinePanel } from './timeline.tsx';

export function subjectWords(subject: GrantSubject): string {
  switch (subject.kind) {
    case 'booking-guest':
      return 'Guest of a booking';
    case 'staff-member':
      return 'Cleaner’s turnover';
    case 'delivery':
      return `Delivery: ${subject.label}`;
    case 'emergency-contact':
      return `Emergency: ${subject.name}`;
    case 'owner':
      return 'Owner’s permanent code';
  }
}

const statusTone: Readonly<Record<GrantStatus, string>> = {
  upcoming: 'neutral',
  active: 'good',
  expired: 'neutral',
  revoked: 'bad',
};

/**
 * What the grants list says where its rows would be: a loading notice while its first page is on its way, and
 * "No grants yet." only once the API answered with none. Nothing when there are rows or the read failed (its
 * alert says so).
 */
export function grantsNotice(options: {
  answered: boolean;
  count: number;
  failed: boolean;
}): string | undefined {
  const { answered, count, failed } = options;
  if (failed || count > 0) return undefined;
  return answered ? 'No grants yet.' : 'Loading the grants…';
}

export function GrantsPanel(props: { api: ApiClient; me: Caller; property: Property }) {
  const { api, me, property } = props;
  const [grants, setGrants] = useState<{ grant: Grant; status: GrantStatus }[]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [failure, setFailure] = useState<unknown>();
  const [answered, setAnswered] = useState(false);
  const load = async (after?: string) => {
    try {
      const query = new URLSearchParams({
        propertyId: property.id,
        limit: '10',
        ...(after ? { cursor: after } : {}),
      });
      const page = await api.get<{ items: { grant: Grant; status: GrantStatus }[]; nextCursor?: string }>(
        `/grants?${query}`,
      );
      setGrants((current) => (after ? [...current, ...page.items] : page.items));
      setCursor(page.nextCursor);
      setAnswered(true);
    } catch (error) {
      setFailure(error);
    }
  };
  // Loads once: the component is keyed by its property.
  useEffect(() => {
    void load();
  }, []);
  const at = (instant: string) => formatDateTime({ at: instant, timeZone: property.timeZone });
  const mayIssue = (
    ['grant.issueDelivery', 'grant.issueTurnover', 'grant.issueEmergency', 'grant.issuePermanent'] as const
  ).some((action) => mayAttempt(me.role, action));
  const notice = grantsNotice({ answered, count: grants.length, failed: Boolean(failure) });
  return (
    <section class="panel" aria-labelledby="grants-heading">
      <h2 id="grants-heading">Access grants</h2>
      {failure ? <Alert tone="error">{failureText(failure, 'load the grants')}</Alert> : null}
      {notice ? <p role="status">{notice}</p> : null}
      {grants.length > 0 ? (
        <div class="table-scroll">
          <table class="records" data-testid="grants">
            <caption class="visually-hidden">Access grants of {property.name}, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Who</th>
                <th scope="col">From</th>
                <th scope="col">Until</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {grants.map(({ grant, status }) => (
                <tr key={grant.id}>
                  <td>
                    <a href={`#/bookings/grants/${encodeURIComponent(grant.id)}`}>
                      {subjectWords(grant.subject)}
                    </a>
                  </td>
                  <td data-label="From">{at(grant.window.startsAt)}</td>
                  <td data-label="Until">{grant.window.endsAt ? at(grant.window.endsAt) : 'No end'}</td>
                  <td>
                    <span class={`badge badge-${statusTone[status]}`}>{status}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {cursor ? (
        <button type="button" class="secondary" onClick={() => void load(cursor)}>
          Show older grants
        </button>
      ) : null}
      {mayIssue ? <IssueGrant api={api} me={me} property={property} /> : null}
    </section>
  );
}

type AdHocKind = 'delivery' | 'turnover' | 'emergency' | 'permanent';

const kindChoices: readonly (Option & { value: AdHocKind; action: Parameters<typeof mayAttempt>[1] })[] = [
  {
    value: 'delivery',
    label: 'Delivery: a code that opens once, for a few hours',
    action: 'grant.issueDelivery',
  },
  {
    value: 'turnover',
    label: 'Cleaner’s turnover: between a check-out and the next check-in',
    action: 'grant.issueTurnover',
  },
  {
    value: 'emergency',
    label: 'Emergency access: at once, all owners are told',
    action: 'grant.issueEmergency',
  },
  { value: 'permanent', label: 'Permanent owner code', action: 'grant.issuePermanent' },
];

interface GrantDraft {
  readonly kind: AdHocKind;
  readonly label: string;
  readonly durationHours: string;
  readonly staffUserId: string;
  readonly afterBookingId: string;
  readonly contactName: string;
  readonly contactPhone: string;
  readonly reason: string;
}

/** The body of `POST /grants` for the chosen kind; empty optional fields are left out for the API's defaults. */
export function grantBody(propertyId: string, draft: GrantDraft): Record<string, unknown> {
  const hours = draft.durationHours.trim() ? { durationHours: Number(draft.durationHours) } : {};
  switch (draft.kind) {
    case 'delivery':
      return { kind: 'delivery', propertyId, label: draft.label, ...hours };
    case 'turnover':
      return {
        kind: 'turnover',
        propertyId,
        staffUserId: draft.staffUserId,
        afterBookingId: draft.afterBookingId,
      };
    case 'emergency':
      return {
        kind: 'emergency',
        propertyId,
        contact: {
          name: draft.contactName,
          ...(draft.contactPhone.trim() ? { phone: draft.contactPhone.trim() } : {}),
        },
        reason: draft.reason,
        ...hours,
      };
    case 'permanent':
      return { kind: 'permanent', propertyId };
  }
}

function IssueGrant(props: { api: ApiClient; me: Caller; property: Property }) {
  const { api, me, property } = props;
  const kinds = kindChoices.filter((choice) => mayAttempt(me.role, choice.action));
  const [draft, setDraft] = useState<GrantDraft>({
    kind: kinds[0]?.value ?? 'delivery',
    label: '',
    durationHours: '',
    staffUserId: '',
    afterBookingId: '',
    contactName: '',
    contactPhone: '',
    reason: '',
  });
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const [cleaners, setCleaners] = useState<Option[]>([]);
  const [departures, setDepartures] = useState<Option[]>([]);
  useEffect(() => {
    if (draft.kind !== 'turnover') return;
    api.get<{ items: TeamMember[] }>('/users?limit=100').then(
      (page) =>
        setCleaners(
          page.items
            .filter((member) => member.role === 'staff' && member.status === 'active')
            .map((member) => ({ value: member.userId, label: `${member.name} (${member.email})` })),
        ),
      () => setCleaners([]),
    );
    const query = new URLSearchParams({
      propertyId: property.id,
      from: localDate({ timeZone: property.timeZone }),
      limit: '50',
    });
    api.get<{ items: BookingView[] }>(`/bookings?${query}`).then(
      (page) =>
        setDepartures(
          page.items
            .filter((booking) => booking.status === 'confirmed')
            .map((booking) => ({
              value: booking.id,
              label: `${booking.guest.name}, leaving ${booking.departureDate}`,
            })),
        ),
      () => setDepartures([]),
    );
  }, [api, property, draft.kind]);
  const set = (field: keyof GrantDraft) => (value: string) =>
    setDraft((current) => ({ ...current, [field]: value }));
  const errors = fieldErrorsFrom(failure);
  const choose = (options: Option[], none: string) => [{ value: '', label: none }, ...options];

  return (
    <form
      class="issue-grant"
      noValidate
      aria-labelledby="issue-heading"
      onSubmit={async (event) => {
        event.preventDefault();
        setBusy(true);
        setFailure(undefined);
        try {
          const issued = await api.post<{ grant: { id: string } }>('/grants', grantBody(property.id, draft), {
            idempotencyKey,
          });
          setIdempotencyKey(crypto.randomUUID());
          navigate(`/bookings/grants/${encodeURIComponent(issued.grant.id)}`);
        } catch (error) {
          setFailure(error);
        } finally {
          setBusy(false);
        }
      }}
    >
      <h3 id="issue-heading">Give access</h3>
      {failure ? <Alert tone="error">{failureText(failure, 'give this access')}</Alert> : null}
      <ChoiceField
        label="Kind of access"
        value={draft.kind}
        onValue={(kind) => set('kind')(kind)}
        options={kinds}
        error={errors.kind}
      />
      {draft.kind === 'delivery' ? (
        <>
          <Field
            label="Who is delivering"
            value={draft.label}
            onValue={set('label')}
            hint="As you will recognise it in the log, e.g. “DHL parcel”."
            error={errors.label}
          />
          <InputField
            label="Hours the code lasts (optional)"
            type="number"
            min="1"
            value={draft.durationHours}
            onValue={set('durationHours')}
            hint="From now; empty for the usual few hours."
            error={errors.durationHours}
          />
        </>
      ) : null}
      {draft.kind === 'turnover' ? (
        <>
          <ChoiceField
            label="Cleaner"
            value={draft.staffUserId}
            onValue={set('staffUserId')}
            options={choose(cleaners, 'Choose a cleaner')}
            error={errors.staffUserId}
          />
          <ChoiceField
            label="After the stay of"
            value={draft.afterBookingId}
            onValue={set('afterBookingId')}
            options={choose(departures, 'Choose the departing booking')}
            hint="The access runs from its check-out to the next check-in."
            error={errors.afterBookingId}
          />
        </>
      ) : null}
      {draft.kind === 'emergency' ? (
        <>
          <Field
            label="Who needs in"
            value={draft.contactName}
            onValue={set('contactName')}
            error={errors['contact.name'] ?? errors.contact}
          />
          <InputField
            label="Their phone (optional)"
            type="tel"
            value={draft.contactPhone}
            onValue={set('contactPhone')}
            error={errors['contact.phone']}
          />
          <Field
            label="Why"
            value={draft.reason}
            onValue={set('reason')}
            hint="Every owner receives this by email."
            error={errors.reason}
          />
          <InputField
            label="Hours the access lasts (optional)"
            type="number"
            min="1"
            value={draft.durationHours}
            onValue={set('durationHours')}
            error={errors.durationHours}
          />
        </>
      ) : null}
      {draft.kind === 'permanent' ? (
        <p class="hint">Your own code for every lock of {property.name}, with no end until revoked.</p>
      ) : null}
      <div class="actions">
        <SubmitButton busy={busy}>Give access</SubmitButton>
      </div>
    </form>
  );
}

export function GrantDetail(props: {
  api: ApiClient;
  me: Caller;
  grantId: string;
  properties: readonly Property[];
}) {
  const { api, me, grantId, properties } = props;
  const [view, setView] = useState<GrantView & { timeline?: Timeline; guestCodes?: GuestCode[] }>();
  const [failure, setFailure] = useState<unknown>();
  const [version, setVersion] = useState(0);
  useTitle('Access grant');
  useEffect(() => {
    let current = true;
    api
      .get<GrantView & { timeline?: Timeline; guestCodes?: GuestCode[] }>(
        `/grants/${encodeURIComponent(grantId)}`,
      )
      .then(
        (loaded) => current && setView(loaded),
        (error: unknown) => current && setFailure(error),
      );
    return () => {
      current = false;
    };
  }, [api, grantId, version]);
  const waiting =
    view?.accessCodes?.some((code) => code.status === 'scheduled' || code.status === 'setting') ?? false;
  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(() => setVersion((count) => count + 1), 2000);
    return () => clearTimeout(timer);
  }, [view, waiting]);
  const property = properties.find((candidate) => candidate.id === view?.grant.propertyId);
  const locks = useLocks(api, property?.id);
  const team = useTeam(api);
  if (failure && !view) {
    return (
      <>
        <Heading>Access grant</Heading>
        <Alert tone="error">{failureText(failure, 'load this grant')}</Alert>
        <a href="#/bookings">Back to bookings and grants</a>
      </>
    );
  }
  if (!view || !property) return <p role="status">Loading the grant…</p>;
  const { grant, status } = view;
  const at = (instant: string) => formatDateTime({ at: instant, timeZone: property.timeZone });
  return (
    <>
      <a href="#/bookings">← Bookings and grants</a>
      <Heading>{subjectWords(grant.subject)}</Heading>
      <dl class="facts">
        <dt>Property</dt>
        <dd>{property.name}</dd>
        <dt>Access</dt>
        <dd>
          {at(grant.window.startsAt)} to {grant.window.endsAt ? at(grant.window.endsAt) : 'no end'} (times in{' '}
          {property.timeZone})
        </dd>
        <dt>Status</dt>
        <dd>
          <span class={`badge badge-${statusTone[status]}`} data-testid="grant-status">
            {status}
          </span>
        </dd>
        {grant.note ? (
          <>
            <dt>Note</dt>
            <dd>{grant.note}</dd>
          </>
        ) : null}
        {grant.bookingId ? (
          <>
            <dt>Booking</dt>
            <dd>
              <a href={`#/bookings/${encodeURIComponent(grant.bookingId)}`}>Open the booking</a>
            </dd>
          </>
        ) : null}
      </dl>
      <section class="panel" aria-labelledby="grant-codes-heading">
        <h2 id="grant-codes-heading">Codes on the locks</h2>
        <CodeStatusList
          locks={locks}
          lockIds={grant.lockIds}
          codes={view.accessCodes}
          guestCodes={view.guestCodes}
        />
        {waiting ? (
          <p class="hint" role="status">
            Waiting for the locks to confirm…
          </p>
        ) : null}
      </section>
      {status !== 'revoked' && status !== 'expired' && mayAttempt(me.role, 'grant.revoke') ? (
        <RevokeGrant api={api} grantId={grant.id} onRevoked={() => setVersion((count) => count + 1)} />
      ) : null}
      {view.timeline ? (
        <TimelinePanel
          timeline={view.timeline}
          timeZone={property.timeZone}
          words={{
            lockName: (lockId) => locks.find((lock) => lock.id === lockId)?.name,
            personName: (userId) => team.find((member) => member.userId === userId)?.email,
          }}
        />
      ) : null}
    </>
  );
}

function RevokeGrant(props: { api: ApiClient; grantId: string; onRevoked: () => void }) {
  const { api, grantId, onRevoked } = props;
  return (
    <ConfirmAction
      label="Revoke access"
      question="Revoke this access now?"
      confirmLabel="Yes, revoke"
      doing="revoke this access"
      onConfirm={async (reason) => {
        await api.post(`/grants/${encodeURIComponent(grantId)}/revoke`, reason ? { reason } : {});
      }}
      onDone={onRevoked}
    >
      Its codes come off the locks at once.
    </ConfirmAction>
  );
}
