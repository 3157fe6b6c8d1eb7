/**
 * The audit log: every access and every change, newest first, narrowed by property, lock, person, method and
 * dates, read page by page; and the same selection downloaded as a CSV file the API writes (so a long log is
 * complete, not just what the page has shown).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AuditEvent } from '#shared/domain/audit.ts';
import { auditMethodOf, auditMethods } from '#shared/domain/audit-filter.ts';
import type { Lock } from '#shared/domain/lock.ts';
import type { Property } from '#shared/domain/property.ts';
import type { ApiClient } from '../api.ts';
import type { SectionProps } from '../shell/shell.tsx';
import { describeTimeZone, formatDateTime, viewerTimeZone } from '../time.ts';
import { useTitle } from '../title.ts';
import { actorWords, eventWords, methodWords } from '../ui/audit-words.ts';
import { type ListPage, Pager, usePagedList } from '../ui/pager.tsx';
import {
  ChoiceField,
  failureText,
  fieldErrorsFrom,
  InputField,
  useLocks,
  useProperties,
  useTeam,
} from '../ui/records.tsx';
import { Alert, Heading, SubmitButton } from '../ui.tsx';
import {
  type AuditFilters,
  auditQuery,
  fileNameOf,
  joinCsvParts,
  nextPartOf,
  noFilters,
} from './audit-query.ts';

const noProperties: readonly Property[] = [];

/** The locks of every property the host sees (a handful each), to name them in the log. */
function useEveryLock(api: ApiClient, properties: readonly Property[]): readonly Lock[] {
  const [locks, setLocks] = useState<readonly Lock[]>([]);
  useEffect(() => {
    let current = true;
    Promise.all(
      properties.map((property) =>
        api
          .get<{ items: Lock[] }>(`/locks?propertyId=${encodeURIComponent(property.id)}`)
          .then((page) => page.items)
          // A property whose locks cannot be read shows lock ids instead of names.
          .catch(() => [] as Lock[]),
      ),
    ).then((lists) => current && setLocks(lists.flat()));
    return () => {
      current = false;
    };
  }, [api, properties]);
  return locks;
}

/** Saves text as a file through the browser's own download. */
function download(text: string, fileName: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function AuditPage(props: SectionProps) {
  const { services } = props;
  const { api } = services;
  useTitle('Audit log');
  const properties = useProperties(api);
  const team = useTeam(api);
  const [draft, setDraft] = useState<AuditFilters>(noFilters);
  const [filters, setFilters] = useState<AuditFilters>(noFilters);
  const list = usePagedList<AuditEvent>();
  const { items: events, state } = list;
  const [exporting, setExporting] = useState<'idle' | 'busy' | { failure: unknown } | { rows: number }>(
    'idle',
  );
  const locks = useLocks(api, draft.propertyId || undefined);
  const all = properties.kind === 'loaded' ? properties.value : noProperties;
  const everyLock = useEveryLock(api, all);

  const propertyOf = (id: string | undefined): Property | undefined =>
    all.find((candidate) => candidate.id === id);
  const zoneOf = (chosen: AuditFilters) => propertyOf(chosen.propertyId)?.timeZone ?? viewerTimeZone();

  const load = (chosen: AuditFilters) =>
    list.load((cursor) =>
      api.get<ListPage<AuditEvent>>(auditQuery({ filters: chosen, timeZone: zoneOf(chosen), cursor })),
    );
  // The first page once the properties (and so their zones) are known, unless the host already asked for a
  // narrower one: effects run a frame after the render, and this read would then replace the one asked for.
  const asked = useRef(false);
  useEffect(() => {
    if (properties.kind !== 'loading' && !asked.current) void load(filters);
  }, [properties.kind]);

  const exportCsv = async () => {
    setExporting('busy');
    try {
      const parts: string[] = [];
      let next: string | undefined = auditQuery({ filters, timeZone: zoneOf(filters), format: 'csv' });
      let fileName = 'lockstay-audit.csv';
      while (next) {
        const file = await api.getFile(next.replace(/^.*?(\/audit\?)/, '$1'), 'text/csv');
        parts.push(file.text);
        fileName = fileNameOf(file.headers.get('content-disposition'));
        next = nextPartOf(file.headers.get('link'));
      }
      const csv = joinCsvParts(parts);
      download(csv, fileName);
      setExporting({ rows: Math.max(0, csv.split('\r\n').filter(Boolean).length - 1) });
    } catch (failure) {
      setExporting({ failure });
    }
  };

  const errors = typeof state === 'object' ? fieldErrorsFrom(state.failure) : {};
  const person = (userId: string) => team.find((member) => member.userId === userId)?.email;
  const lockName = (lockId: string) => everyLock.find((lock) => lock.id === lockId)?.name;
  const chosenZone = zoneOf(draft);
  const set = (field: keyof AuditFilters) => (value: string) =>
    setDraft((current) => ({
      ...current,
      [field]: value,
      ...(field === 'propertyId' ? { lockId: '' } : {}),
    }));

  return (
    <>
      <Heading>Audit log</Heading>
      <p class="lead">Every door opened, every refused code and every change, newest first.</p>
      {properties.kind === 'failed' ? (
        <Alert tone="error">{failureText(properties.failure, 'load your properties')}</Alert>
      ) : null}
      <form
        class="panel audit-filters"
        aria-label="Filter the audit log"
        onSubmit={(event) => {
          event.preventDefault();
          asked.current = true;
          setFilters(draft);
          setExporting('idle');
          void load(draft);
        }}
      >
        <div class="field-row">
          <ChoiceField
            label="Property"
            value={draft.propertyId}
            onValue={set('propertyId')}
            options={[
              { value: '', label: 'All properties' },
              ...all.map((p) => ({ value: p.id, label: p.name })),
            ]}
            error={errors.propertyId}
          />
          <ChoiceField
            label="Lock"
            value={draft.lockId}
            onValue={set('lockId')}
            options={[
              { value: '', label: draft.propertyId ? 'All locks' : 'Choose a property first' },
              ...locks.map((lock) => ({ value: lock.id, label: lock.name })),
            ]}
            error={errors.lockId}
          />
        </div>
        <div class="field-row">
          <ChoiceField
            label="Person"
            value={draft.userId}
            onValue={set('userId')}
            options={[
              { value: '', label: 'Everyone' },
              ...team.map((member) => ({ value: member.userId, label: `${member.name} (${member.email})` })),
            ]}
            hint="What they changed, and the doors they opened remotely."
            error={errors.userId}
          />
          <ChoiceField
            label="Method"
            value={draft.method}
            onValue={set('method')}
            options={[
              { value: '', label: 'Any' },
              ...auditMethods.map((method) => ({ value: method, label: methodWords[method] })),
            ]}
            error={errors.method}
          />
        </div>
        <div class="field-row">
          <InputField
            label="From"
            type="date"
            value={draft.fromDate}
            onValue={set('fromDate')}
            hint={`Days in ${describeTimeZone({ timeZone: chosenZone })}.`}
            error={errors.from}
          />
          <InputField
            label="To (included)"
            type="date"
            value={draft.toDate}
            onValue={set('toDate')}
            error={errors.to}
          />
        </div>
        <div class="actions">
          <SubmitButton busy={state === 'loading'}>Show events</SubmitButton>
          <button
            type="button"
            class="secondary"
            disabled={exporting === 'busy'}
            aria-busy={exporting === 'busy' ? 'true' : undefined}
            onClick={() => void exportCsv()}
          >
            {exporting === 'busy' ? 'Preparing the file…' : 'Download CSV'}
          </button>
        </div>
        {typeof exporting === 'object' && 'rows' in exporting ? (
          <Alert tone="success">
            Downloaded {exporting.rows} {exporting.rows === 1 ? 'event' : 'events'} as CSV.
          </Alert>
        ) : null}
        {typeof exporting === 'object' && 'failure' in exporting ? (
          <Alert tone="error">{failureText(exporting.failure, 'export the log')}</Alert>
        ) : null}
      </form>

      {typeof state === 'object' ? (
        <Alert tone="error">{failureText(state.failure, 'read the audit log')}</Alert>
      ) : null}
      {state === 'idle' && events.length === 0 && !list.cursor ? <p role="status">No events match.</p> : null}
      {events.length > 0 ? (
        <div class="table-scroll">
          <table class="records audit" data-testid="audit-events">
            <caption class="visually-hidden">Audit events, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Property</th>
                <th scope="col">How</th>
                <th scope="col">What</th>
                <th scope="col">Who</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => {
                const property = propertyOf(event.propertyId);
                const zone = property?.timeZone ?? viewerTimeZone();
                return (
                  <tr key={event.id} data-action={event.action}>
                    <td>
                      <time dateTime={event.at}>{formatDateTime({ at: event.at, timeZone: zone })}</time>
                    </td>
                    <td data-label="Property">{property?.name ?? '—'}</td>
                    <td data-label="How">{methodWords[auditMethodOf(event)]}</td>
                    <td>{eventWords(event, { lockName, personName: person })}</td>
                    <td data-label="Who">{actorWords(event, { lockName, personName: person })}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager list={list} showMore="Show older events" searchFurther="Search older events" />
    </>
  );
}
