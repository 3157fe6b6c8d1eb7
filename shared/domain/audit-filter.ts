/**
 * Narrowing the audit log: by time range, by the person who acted, by how the door was opened (or that a
 * person changed something), and to the events of one booking's stay. The rules live here, once, so the
 * table adapter, the in-memory store and the CSV export all agree on what "remote" or "admin" means.
 */
import { z } from 'zod';
import type { AuditEvent } from './audit.ts';
import type { IsoInstant } from './local-time.ts';

/** The ways a lock reports it was opened, `remote` for the unlock commands it ran. */
const lockMethods = ['keypad', 'offline-code', 'remote', 'rfid', 'fingerprint', 'face', 'key'] as const;

/**
 * How an event happened. The lock's own methods (`keypad`, `offline-code`, `rfid` for cards, `fingerprint`,
 * `face`, `key`); `remote` for unlock commands and the lock's reports of them; `admin` for changes made by a
 * person or an integration through the API; `system` for everything the lock or Lockstay did by itself
 * (relocking, battery reports, sending codes, expiring commands).
 */
export const auditMethods = [...lockMethods, 'admin', 'system'] as const;
export type AuditMethod = (typeof auditMethods)[number];

export function auditMethodOf(event: AuditEvent): AuditMethod {
  const reported = event.details.method;
  const byLock = lockMethods.find((method) => method === reported);
  if (byLock !== undefined) return byLock;
  if (event.action.startsWith('unlock-command.')) return 'remote';
  if (event.actor.kind === 'user' || event.actor.kind === 'integration') return 'admin';
  return 'system';
}

/**
 * The team member behind an event: the user who acted, or the one who asked for the remote unlock a lock
 * reports. Guests and devices are nobody's user.
 */
export function auditPersonOf(event: AuditEvent): string | undefined {
  if (event.actor.kind === 'user') return event.actor.userId;
  const requestedBy = event.details.requestedBy;
  if (
    requestedBy !== null &&
    typeof requestedBy === 'object' &&
    'kind' in requestedBy &&
    requestedBy.kind === 'user' &&
    'userId' in requestedBy &&
    typeof requestedBy.userId === 'string'
  ) {
    return requestedBy.userId;
  }
  return undefined;
}

/** Whether the event belongs to the story of this booking or its grant (codes, emails, doors opened with it). */
export function concernsStay(event: AuditEvent, stay: { bookingId?: string; grantId: string }): boolean {
  const { target, details, actor } = event;
  return (
    target.id === stay.grantId ||
    (stay.bookingId !== undefined && target.id === stay.bookingId) ||
    details.grantId === stay.grantId ||
    (actor.kind === 'guest' && actor.grantId === stay.grantId)
  );
}

/**
 * The one stay an event belongs to, as its storage files it: the grant it names (as its target, in its details,
 * or as the guest who acted), else the booking it targets. A booking's story is then its own events and its
 * grant's, which is what `concernsStay` accepts.
 */
export function stayOfEvent(
  event: AuditEvent,
): { readonly kind: 'grant' | 'booking'; readonly id: string } | undefined {
  const { target, details, actor } = event;
  if (target.kind === 'grant') return { kind: 'grant', id: target.id };
  if (typeof details.grantId === 'string') return { kind: 'grant', id: details.grantId };
  if (actor.kind === 'guest') return { kind: 'grant', id: actor.grantId };
  if (target.kind === 'booking') return { kind: 'booking', id: target.id };
  return undefined;
}

export interface AuditFilter {
  /** Events at or after this instant. */
  readonly from?: IsoInstant | undefined;
  /** Events strictly before this instant. */
  readonly to?: IsoInstant | undefined;
  /** Events of this team member (see auditPersonOf). */
  readonly userId?: string | undefined;
  readonly method?: AuditMethod | undefined;
  /** Only the events of one stay or ad-hoc grant. */
  readonly stay?: { readonly bookingId?: string; readonly grantId: string } | undefined;
}

/** An instant with any offset, kept as the domain's fixed-width UTC text so that it compares with stored ones. */
export const filterInstantSchema = z.iso
  .datetime({ offset: true })
  .transform((text) => new Date(text).toISOString());

export const auditFilterSchema = z
  .object({
    from: filterInstantSchema.optional(),
    to: filterInstantSchema.optional(),
    userId: z.string().min(1).max(100).optional(),
    method: z.enum(auditMethods).optional(),
    stay: z.object({ bookingId: z.string().min(1).optional(), grantId: z.string().min(1) }).optional(),
  })
  .refine(({ from, to }) => from === undefined || to === undefined || from < to, {
    path: ['to'],
    message: 'Must be after `from`',
  });

/** Whether the event passes the filter's person, method and stay parts (the time range is the store's key range). */
export function matchesAuditFilter(event: AuditEvent, filter: AuditFilter): boolean {
  return (
    (filter.userId === undefined || auditPersonOf(event) === filter.userId) &&
    (filter.method === undefined || auditMethodOf(event) === filter.method) &&
    (filter.stay === undefined || concernsStay(event, filter.stay))
  );
}

/** Whether the filter narrows beyond the time range, so a store must read more than it hands out. */
export const narrowsBeyondTime = (filter: AuditFilter): boolean =>
  filter.userId !== undefined || filter.method !== undefined || filter.stay !== undefined;

/** Whether the instant falls in the filter's range: `from` inclusive, `to` exclusive. */
export const withinRange = (at: IsoInstant, { from, to }: AuditFilter): boolean =>
  (from === undefined || at >= from) && (to === undefined || at < to);
