/**
 * The audit log as a CSV file a host opens in a spreadsheet: one row per event, newest first, with the
 * property's and lock's names, the person's email and the time at the property beside the UTC instant. The
 * log is read page by page into one answer, up to `maxExportRows`; a longer log ends with the cursor to
 * fetch the rest. Values that a spreadsheet would run as a formula (starting with = + - @, a tab or a
 * carriage return) are written with a leading apostrophe, so a guest's name can never become one.
 */
import { stringify } from 'csv-stringify/sync';
import type { AuditEvent } from '#shared/domain/audit.ts';
import { auditMethodOf, auditPersonOf } from '#shared/domain/audit-filter.ts';
import type { Page } from '#shared/domain/ports/repositories.ts';

export const auditCsvColumns = [
  'at_utc',
  'local_time',
  'time_zone',
  'property',
  'lock',
  'method',
  'action',
  'person',
  'actor',
  'target',
  'details',
] as const;

/** Names a row shows instead of ids, when they are known. */
export interface AuditNames {
  property(propertyId: string): Promise<{ name: string; timeZone: string } | undefined>;
  lock(lockId: string): Promise<string | undefined>;
  person(userId: string): Promise<string | undefined>;
}

// One formatter per zone: building one is far slower than using it, and an export formats every row.
const wallClocks = new Map<string, Intl.DateTimeFormat>();

/** `2026-11-26 16:12:05` at the zone's wall clock. */
export function wallClock({ at, timeZone }: { at: string; timeZone: string }): string {
  let format = wallClocks.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    wallClocks.set(timeZone, format);
  }
  const parts = format.formatToParts(new Date(at));
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((candidate) => candidate.type === type)?.value;
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')}`;
}

function actorText(event: AuditEvent): string {
  const { actor } = event;
  switch (actor.kind) {
    case 'user':
      return `user ${actor.userId} (${actor.role})`;
    case 'guest':
      return `guest of ${actor.grantId}`;
    case 'device':
      return `lock ${actor.lockId}`;
    case 'system':
      return `system ${actor.process}`;
    case 'integration':
      return `integration ${actor.integrationId}`;
  }
}

/** One event as the CSV's cells, in the order of `auditCsvColumns`. */
export async function auditCsvRow({
  event,
  names,
}: {
  event: AuditEvent;
  names: AuditNames;
}): Promise<string[]> {
  const property = event.propertyId === undefined ? undefined : await names.property(event.propertyId);
  const lock = event.lockId === undefined ? undefined : await names.lock(event.lockId);
  const userId = auditPersonOf(event);
  const person = userId === undefined ? undefined : ((await names.person(userId)) ?? userId);
  return [
    event.at,
    property === undefined ? '' : wallClock({ at: event.at, timeZone: property.timeZone }),
    property?.timeZone ?? '',
    property?.name ?? event.propertyId ?? '',
    lock ?? event.lockId ?? '',
    auditMethodOf(event),
    event.action,
    person ?? '',
    actorText(event),
    `${event.target.kind} ${event.target.id}`,
    Object.keys(event.details).length === 0 ? '' : JSON.stringify(event.details),
  ];
}

/** CSV text (RFC 4180 quoting, CRLF) with formula-like values defused. */
export function csvText(rows: readonly (readonly string[])[]): string {
  return stringify(rows as string[][], { escape_formulas: true, record_delimiter: 'windows' });
}

/** Enough for a year of a busy property; a longer export continues from the cursor it ends with. */
export const maxExportRows = 10_000;
const maxExportPages = 200;

export interface AuditExport {
  readonly csv: string;
  readonly rows: number;
  /** Present when the log goes on beyond this file. */
  readonly nextCursor?: string | undefined;
}

/**
 * Reads the log through `readPage` (the same filtered, permission-checked read as the JSON list) from `cursor`
 * until it ends or the file is full, and writes it as CSV, the header row first.
 */
export async function exportAuditLog({
  readPage,
  names,
  cursor,
}: {
  readPage: (page: { cursor?: string | undefined; limit: number }) => Promise<Page<AuditEvent>>;
  names: AuditNames;
  cursor?: string | undefined;
}): Promise<AuditExport> {
  const rows: string[][] = [[...auditCsvColumns]];
  let next = cursor;
  for (let pages = 0; pages < maxExportPages; pages += 1) {
    const page = await readPage({ cursor: next, limit: 100 });
    for (const event of page.items) rows.push(await auditCsvRow({ event, names }));
    next = page.nextCursor;
    if (next === undefined || rows.length - 1 >= maxExportRows) break;
  }
  return { csv: csvText(rows), rows: rows.length - 1, ...(next === undefined ? {} : { nextCursor: next }) };
}

/** Names read once each per export, through the given lookups. */
export function cachedNames(lookups: AuditNames): AuditNames {
  const cache = new Map<string, Promise<unknown>>();
  const once =
    <T>(kind: string, lookup: (id: string) => Promise<T>) =>
    (id: string): Promise<T> => {
      const key = `${kind}:${id}`;
      let found = cache.get(key) as Promise<T> | undefined;
      if (found === undefined) {
        found = lookup(id);
        cache.set(key, found);
      }
      return found;
    };
  return {
    property: once('property', lookups.property),
    lock: once('lock', lookups.lock),
    person: once('person', lookups.person),
  };
}
