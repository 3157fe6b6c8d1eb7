/**
 * Today: who arrives and who leaves at each property (by the property's own today, times in its zone), each
 * stay's code on each lock with what to do when it is not set, the locks needing care, failing booking feeds and
 * the recent alerts. The API (`GET /today`) computes the summary and filters it by the host's role; this page
 * only words it, and keeps it current: every minute while the tab is visible and at once when it is shown again,
 * replacing the summary in place so the host's scroll position and choices stay as they were.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { AuditEvent } from '#shared/domain/audit.ts';
import type {
  IntegrationAttention,
  LockAttention,
  PropertyDay,
  Stay,
  StayCode,
  TodaySummary,
} from '#shared/overview/today.ts';
import type { SectionProps } from '../shell/shell.tsx';
import { formatDateTime, formatTime } from '../time.ts';
import { useTitle } from '../title.ts';
import { type Choice, failureMessage, SelectField } from '../ui/admin.tsx';
import { Alert, Heading, ReadProgress } from '../ui.tsx';
import { useKeepCurrent } from './keep-current.ts';
import { byDay, codeStates, describeAlert, formatLocalDate, lockProblemLabels } from './today-view.ts';

type Loading =
  | { readonly kind: 'loading' }
  | {
      readonly kind: 'loaded';
      readonly summary: TodaySummary;
      readonly loadedAt: string;
      /** Why the last refresh failed; the summary shown is then the one loaded at `loadedAt`. */
      readonly refreshFailure?: string;
    }
  | { readonly kind: 'failed'; readonly message: string };

const dayChoices: readonly Choice[] = [
  { value: '1', label: 'Today only' },
  { value: '3', label: 'Today and the next 2 days' },
  { value: '7', label: 'The next 7 days' },
];

export function TodayPage(props: SectionProps) {
  const { api } = props.services;
  useTitle('Today');
  const [days, setDays] = useState('3');
  const [loading, setLoading] = useState<Loading>({ kind: 'loading' });

  // Only the answer to the latest request is shown: a slow refresh must not overwrite a newer day range.
  const latestRequest = useRef(0);

  const load = useCallback(() => {
    const request = ++latestRequest.current;
    setLoading((previous) => (previous.kind === 'loaded' ? previous : { kind: 'loading' }));
    return api.get<TodaySummary>(`/today?days=${days}`).then(
      (summary) => {
        if (request !== latestRequest.current) return;
        setLoading({ kind: 'loaded', summary, loadedAt: new Date().toISOString() });
      },
      (failure: unknown) => {
        if (request !== latestRequest.current) return;
        const message = failureMessage(failure, 'load your day');
        // A failed refresh keeps what the host is reading, and says it may be out of date.
        setLoading((previous) =>
          previous.kind === 'loaded' ? { ...previous, refreshFailure: message } : { kind: 'failed', message },
        );
      },
    );
  }, [api, days]);
  useEffect(() => {
    load();
  }, [load]);
  const restartAutomaticRefresh = useKeepCurrent(load);
  const refreshNow = () => {
    load();
    restartAutomaticRefresh();
  };

  return (
    <>
      <Heading>Today</Heading>
      <p class="lead">
        Arrivals, departures and anything that needs you. Times are in each property’s time zone.
      </p>
      <div class="today-controls">
        <SelectField label="Show" value={days} onValue={setDays} choices={dayChoices} />
        <button type="button" class="secondary" onClick={refreshNow}>
          Refresh
        </button>
      </div>
      {loading.kind === 'loaded' && loading.refreshFailure ? (
        <Alert tone="warning">
          {loading.refreshFailure} Showing your day as it was at{' '}
          {new Date(loading.loadedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}.
        </Alert>
      ) : null}
      <ReadProgress state={loading} loading="Loading your day…" onRetry={refreshNow} />
      {loading.kind === 'loaded' ? <Summary summary={loading.summary} /> : null}
    </>
  );
}

function Summary(props: { summary: TodaySummary }) {
  const { summary } = props;
  const { properties } = summary;
  if (properties.length === 0) {
    return <p>You have no properties yet. Add one under Properties &amp; locks.</p>;
  }
  const needing = summary.arrivals.filter((stay) => stay.codes?.some((code) => code.needsAction)).length;
  return (
    <>
      <section aria-labelledby="attention" class="panel today-attention">
        <h2 id="attention">At a glance</h2>
        <ul class="plain today-counts">
          <li>
            <strong>{summary.arrivals.length}</strong> arriving, <strong>{summary.departures.length}</strong>{' '}
            leaving
          </li>
          <li class={needing > 0 ? 'tone-bad' : undefined}>
            <strong>{needing}</strong> arrival{needing === 1 ? '' : 's'} with a code problem
          </li>
          <li class={summary.locks.length > 0 ? 'tone-bad' : undefined}>
            <strong>{summary.locks.length}</strong> lock{summary.locks.length === 1 ? '' : 's'} needing care
          </li>
        </ul>
      </section>
      <Stays
        id="arrivals"
        title="Arrivals"
        empty="No arrivals in these days."
        stays={summary.arrivals}
        properties={properties}
        kind="arrival"
      />
      <Stays
        id="departures"
        title="Departures"
        empty="No departures in these days."
        stays={summary.departures}
        properties={properties}
        kind="departure"
      />
      <Locks locks={summary.locks} properties={properties} />
      {summary.integrations === null ? null : <Integrations integrations={summary.integrations} />}
      {summary.alerts === null ? null : (
        <Alerts alerts={summary.alerts} properties={properties} lockNames={summary.lockNames} />
      )}
    </>
  );
}

const propertyOf = (properties: readonly PropertyDay[], id: string | undefined) =>
  properties.find((property) => property.id === id);

function Stays(props: {
  id: string;
  title: string;
  empty: string;
  stays: readonly Stay[];
  properties: readonly PropertyDay[];
  kind: 'arrival' | 'departure';
}) {
  const { id, title, empty, stays, properties, kind } = props;
  const groups = byDay({
    stays,
    properties,
    dateOf: (stay) => (kind === 'arrival' ? stay.arrivalDate : stay.departureDate),
  });
  return (
    <section class="today-section" aria-labelledby={id} data-testid={id}>
      <h2 id={id}>{title}</h2>
      {stays.length === 0 ? <p class="hint">{empty}</p> : null}
      {groups.map((group) => (
        <div key={group.label}>
          <h3 class="day-label">{group.label}</h3>
          <ul class="cards">
            {group.stays.map((stay) => (
              <StayCard
                key={stay.bookingId}
                stay={stay}
                property={propertyOf(properties, stay.propertyId)}
                kind={kind}
              />
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

function StayCard(props: { stay: Stay; property: PropertyDay | undefined; kind: 'arrival' | 'departure' }) {
  const { stay, property, kind } = props;
  const timeZone = property?.timeZone ?? 'UTC';
  const at = kind === 'arrival' ? stay.checkInAt : stay.checkOutAt;
  return (
    <li data-testid="stay">
      <div class="card-title">
        <h4>{stay.guestName}</h4>
        <span>
          {kind === 'arrival' ? 'Check-in' : 'Check-out'} <strong>{formatTime({ at, timeZone })}</strong>
        </span>
      </div>
      <p class="hint">
        {property?.name ?? stay.propertyId} · {formatLocalDate({ date: stay.arrivalDate })} →{' '}
        {formatLocalDate({ date: stay.departureDate })} · {timeZone}
      </p>
      {stay.codes ? (
        <ul class="plain codes" aria-label={`Codes of ${stay.guestName}`}>
          {stay.codes.map((code) => (
            <CodeLine key={code.lockId} code={code} timeZone={timeZone} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function CodeLine(props: { code: StayCode; timeZone: string }) {
  const { code, timeZone } = props;
  const state = codeStates[code.state];
  return (
    <li class="code-line" data-testid="code" data-state={code.state}>
      <span class="code-lock">{code.lockName}</span>{' '}
      <span class={`badge badge-${state.tone}`}>{state.label}</span>
      {code.sendsAt ? (
        <span class="hint"> goes to the lock {formatDateTime({ at: code.sendsAt, timeZone })}</span>
      ) : null}
      {code.advice ? <p class={code.needsAction ? 'advice advice-action' : 'advice'}>{code.advice}</p> : null}
    </li>
  );
}

function Locks(props: { locks: readonly LockAttention[]; properties: readonly PropertyDay[] }) {
  const { locks, properties } = props;
  return (
    <section class="today-section" aria-labelledby="locks-attention" data-testid="locks-attention">
      <h2 id="locks-attention">Locks needing care</h2>
      {locks.length === 0 ? (
        <p class="hint">Every lock is online and charged, and no keypad is locked out.</p>
      ) : null}
      <ul class="cards">
        {locks.map((lock) => {
          const property = propertyOf(properties, lock.propertyId);
          const timeZone = property?.timeZone ?? 'UTC';
          const { condition } = lock;
          return (
            <li key={lock.lockId}>
              <div class="card-title">
                <h3>
                  {lock.name} <span class="hint">· {property?.name}</span>
                </h3>
                <span>
                  {lock.problems.map((problem) => (
                    <span key={problem} class="badge badge-bad">
                      {lockProblemLabels[problem]}
                    </span>
                  ))}
                </span>
              </div>
              <p class="hint">
                {condition.online === false && condition.onlineSince
                  ? `Offline since ${formatDateTime({ at: condition.onlineSince, timeZone })}. `
                  : ''}
                {condition.online === null && lock.connectivity !== 'bluetooth'
                  ? 'Has not connected yet: check that it was installed with its bundle and has Wi-Fi. '
                  : ''}
                {condition.battery !== null
                  ? `Battery ${condition.battery}%${lock.problems.includes('low-battery') ? ': replace the batteries soon' : ''}. `
                  : ''}
                {condition.keypadLockedOutUntil
                  ? `Keypad refuses codes until ${formatTime({ at: condition.keypadLockedOutUntil, timeZone })}.`
                  : ''}
              </p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function Integrations(props: { integrations: readonly IntegrationAttention[] }) {
  const { integrations } = props;
  return (
    <section
      class="today-section"
      aria-labelledby="integrations-attention"
      data-testid="integrations-attention"
    >
      <h2 id="integrations-attention">Booking feeds</h2>
      {integrations.length === 0 ? <p class="hint">Every booking feed is healthy.</p> : null}
      <ul class="cards">
        {integrations.map((integration) => (
          <li key={integration.integrationId}>
            <div class="card-title">
              <h3>{integration.name}</h3>
              <span class={`badge ${integration.status === 'failed' ? 'badge-bad' : 'badge-warning'}`}>
                {integration.status === 'failed'
                  ? 'Failing'
                  : integration.status === 'stale'
                    ? 'Stale'
                    : 'Suspicious'}
              </span>
            </div>
            <p>{integration.reason}. See Integrations to sync it now or check its address.</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Alerts(props: {
  alerts: readonly AuditEvent[];
  properties: readonly PropertyDay[];
  lockNames: Readonly<Record<string, string>>;
}) {
  const { alerts, properties, lockNames } = props;
  return (
    <section class="today-section" aria-labelledby="recent-alerts" data-testid="recent-alerts">
      <h2 id="recent-alerts">Recent alerts</h2>
      {alerts.length === 0 ? <p class="hint">No alerts in the last 7 days.</p> : null}
      <ul class="cards">
        {alerts.map((alert) => {
          const property = propertyOf(properties, alert.propertyId);
          return (
            <li key={alert.id}>
              <p class="hint">
                {formatDateTime({ at: alert.at, timeZone: property?.timeZone ?? 'UTC' })}
                {property ? ` · ${property.name}` : ''}
                {alert.lockId ? ` · ${lockNames[alert.lockId] ?? alert.lockId}` : ''}
              </p>
              <p>{describeAlert(alert)}</p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
