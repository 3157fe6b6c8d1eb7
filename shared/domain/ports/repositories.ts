/**
 * What the domain reads from storage. Every method takes the tenant id first and answers only within that
 * tenant: asking tenant B's repository for tenant A's id answers "absent", exactly like a missing id, and the
 * domain turns both into NotFoundError. No method may need a table scan.
 *
 * Writes do not go through these: an operation hands all its changes to ChangeCommitter.commit at once
 * (see change-set.ts), so nothing is ever half-written.
 */
import type { AccessCode } from '../access-code.ts';
import type { AuditEvent } from '../audit.ts';
import type { AuditFilter } from '../audit-filter.ts';
import type { Booking, BookingSource } from '../booking.ts';
import type { Grant } from '../grant.ts';
import type { IsoInstant, LocalDate } from '../local-time.ts';
import type { Lock } from '../lock.ts';
import type { Property } from '../property.ts';
import type { HostRole, TeamMember } from '../team.ts';
import type { UnlockCommand } from '../unlock-command.ts';

export interface PageRequest {
  /** Opaque cursor from the previous page's `nextCursor`; absent for the first page. */
  readonly cursor?: string | undefined;
  readonly limit: number;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Present when more items follow. */
  readonly nextCursor?: string | undefined;
}

export interface PropertyRepository {
  get(options: { tenantId: string; propertyId: string }): Promise<Property | undefined>;
  /** By name. */
  list(options: { tenantId: string; page: PageRequest }): Promise<Page<Property>>;
}

export interface LockRepository {
  get(options: { tenantId: string; lockId: string }): Promise<Lock | undefined>;
  /** Every lock of the property (a property has a handful), in registration order. */
  listByProperty(options: { tenantId: string; propertyId: string }): Promise<readonly Lock[]>;
}

export interface BookingRepository {
  get(options: { tenantId: string; bookingId: string }): Promise<Booking | undefined>;
  /** The booking a channel knows by this reservation id, whatever its status. */
  findBySourceReservation(options: {
    tenantId: string;
    source: BookingSource;
    sourceReservationId: string;
  }): Promise<Booking | undefined>;
  /** The first confirmed booking of the property arriving on or after `fromDate`, other than `excludingBookingId`. */
  findNextArrival(options: {
    tenantId: string;
    propertyId: string;
    fromDate: LocalDate;
    excludingBookingId?: string | undefined;
  }): Promise<Booking | undefined>;
  /** Bookings of the property arriving from `fromDate` to `toDate` (both included), cancelled ones too, by arrival. */
  listArrivingBetween(options: {
    tenantId: string;
    propertyId: string;
    fromDate: LocalDate;
    toDate: LocalDate;
  }): Promise<readonly Booking[]>;
  /**
   * The property's schedule by arrival date: bookings departing on or after `fromDate`, arriving on or before
   * `toDate`, whose guest's name contains `guestName` (case and accents aside). A page narrowed by the guest's
   * name may hold fewer than `limit` bookings while `nextCursor` is present (a bounded read per call).
   */
  listByProperty(options: {
    tenantId: string;
    propertyId: string;
    fromDate?: LocalDate | undefined;
    toDate?: LocalDate | undefined;
    guestName?: string | undefined;
    page: PageRequest;
  }): Promise<Page<Booking>>;
}

export interface GrantRepository {
  get(options: { tenantId: string; grantId: string }): Promise<Grant | undefined>;
  /** Newest first. */
  listByProperty(options: { tenantId: string; propertyId: string; page: PageRequest }): Promise<Page<Grant>>;
  /** Grants of the property that are neither revoked nor over at `at` (upcoming and active ones). */
  listLiveByProperty(options: {
    tenantId: string;
    propertyId: string;
    at: IsoInstant;
  }): Promise<readonly Grant[]>;
  /** Unrevoked grants of the property whose window ends from `from` to `to` (both included), by end. */
  listLiveEndingBetween(options: {
    tenantId: string;
    propertyId: string;
    from: IsoInstant;
    to: IsoInstant;
  }): Promise<readonly Grant[]>;
  /** Grants held by a team member (turnover, owner codes), newest first. */
  listByHolder(options: { tenantId: string; userId: string; page: PageRequest }): Promise<Page<Grant>>;
}

export interface AccessCodeRepository {
  /** One per lock of the grant at most. */
  listByGrant(options: { tenantId: string; grantId: string }): Promise<readonly AccessCode[]>;
  /** The codes on or due for a lock (every status but `removed`). */
  listLiveByLock(options: { tenantId: string; lockId: string; page: PageRequest }): Promise<Page<AccessCode>>;
}

export interface UnlockCommandRepository {
  get(options: { tenantId: string; commandId: string }): Promise<UnlockCommand | undefined>;
}

export interface TeamRepository {
  get(options: { tenantId: string; userId: string }): Promise<TeamMember | undefined>;
  /** The member with this email (compared case-insensitively), in any status. */
  findByEmail(options: { tenantId: string; email: string }): Promise<TeamMember | undefined>;
  /** Every member, removed ones included, by name. */
  list(options: { tenantId: string; page: PageRequest }): Promise<Page<TeamMember>>;
  /** Active members with this role. */
  listByRole(options: { tenantId: string; role: HostRole }): Promise<readonly TeamMember[]>;
}

export type AuditScope =
  | { readonly kind: 'tenant' }
  | { readonly kind: 'property'; readonly propertyId: string }
  | { readonly kind: 'lock'; readonly lockId: string };

export interface AuditLogRepository {
  /**
   * Newest first, narrowed by `filter`. A narrowed page may hold fewer than `limit` events (even none) while
   * `nextCursor` is present: the store reads a bounded number of events per call, and the next page goes on.
   */
  list(options: {
    tenantId: string;
    scope: AuditScope;
    filter?: AuditFilter | undefined;
    page: PageRequest;
  }): Promise<Page<AuditEvent>>;
  /**
   * The events of one stay, oldest first: a grant's, and with `bookingId` the booking's as well (its grant's
   * and its own). At most the newest `limit`; `complete` is false when older ones were left out.
   */
  listOfStay(options: {
    tenantId: string;
    stay: { readonly grantId: string; readonly bookingId?: string | undefined };
    limit: number;
  }): Promise<{ readonly events: readonly AuditEvent[]; readonly complete: boolean }>;
}
