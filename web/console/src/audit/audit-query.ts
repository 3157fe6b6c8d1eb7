/**
 * The audit page's filters as the API's query: dates are the host's calendar days at the property (or in the
 * viewer's zone across all properties), sent as the instants those days begin; the last day is included.
 */
import { addDays, startOfLocalDay } from '../ui/local-day.ts';

export interface AuditFilters {
  readonly propertyId: string;
  readonly lockId: string;
  readonly userId: string;
  readonly method: string;
  /** `YYYY-MM-DD`, or empty. */
  readonly fromDate: string;
  readonly toDate: string;
}

export const noFilters: AuditFilters = {
  propertyId: '',
  lockId: '',
  userId: '',
  method: '',
  fromDate: '',
  toDate: '',
};

export function auditQuery({
  filters,
  timeZone,
  cursor,
  format,
  limit = 50,
}: {
  filters: AuditFilters;
  /** The zone whose days the dates are. */
  timeZone: string;
  cursor?: string | undefined;
  format?: 'csv';
  limit?: number;
}): string {
  const query = new URLSearchParams();
  // A lock belongs to one property: its log is the narrower of the two.
  if (filters.lockId) query.set('lockId', filters.lockId);
  else if (filters.propertyId) query.set('propertyId', filters.propertyId);
  if (filters.userId) query.set('userId', filters.userId);
  if (filters.method) query.set('method', filters.method);
  if (filters.fromDate) query.set('from', startOfLocalDay({ date: filters.fromDate, timeZone }));
  if (filters.toDate) query.set('to', startOfLocalDay({ date: addDays(filters.toDate, 1), timeZone }));
  if (format) query.set('format', format);
  else query.set('limit', String(limit));
  if (cursor) query.set('cursor', cursor);
  return `/audit?${query}`;
}

/** The next part of a long CSV export, from the answer's `Link: <…>; rel="next"` header. */
export function nextPartOf(link: string | null): string | undefined {
  if (!link) return undefined;
  const match = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(link);
  return match?.[1];
}

/** The parts of an export joined into one file: the header row once. */
export function joinCsvParts(parts: readonly string[]): string {
  return parts.map((part, index) => (index === 0 ? part : part.slice(part.indexOf('\r\n') + 2))).join('');
}

/** The file name the API gave (`Content-Disposition`), or a sensible one. */
export function fileNameOf(disposition: string | null): string {
  return /filename="([^"]+)"/.exec(disposition ?? '')?.[1] ?? 'lockstay-audit.csv';
}
