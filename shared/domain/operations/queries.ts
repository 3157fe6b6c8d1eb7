/**
 * Reading: properties, locks, bookings, grants with their codes, and the audit log, each filtered by the
 * permission matrix. What a role may not see of a thing it may see is left out here, once: a cleaner sees the
 * schedule of their properties without the guests' contact details, and PINs only of their own grants.
 */
import { z } from 'zod';
import type { AccessCode } from '../access-code.ts';
import type { AuditEvent } from '../audit.ts';
import { type AuditFilter, auditFilterSchema } from '../audit-filter.ts';
import type { Booking, Guest } from '../booking.ts';
import { type Grant, type GrantStatus, grantStatus, holderUserIdOf } from '../grant.ts';
import { localDateSchema } from '../local-time.ts';
import type { Lock } from '../lock.ts';
import { type Action, assertMayAttempt, authorize, isPermitted, type ResourceScope } from '../permissions.ts';
import type { DomainPorts } from '../ports/domain-ports.ts';
import type { AuditScope, Page, PageRequest } from '../ports/repositories.ts';
import type { Property } from '../property.ts';
import type { Principal, TeamMember } from '../team.ts';
import { parseInput } from '../validation.ts';
import { found } from './operation.ts';

export const pageRequestSchema = z.object({
  cursor: z.string().min(1).max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export type PageRequestInput = z.input<typeof pageRequestSchema>;

function pageOf(input: unknown): PageRequest {
  return parseInput({ schema: pageRequestSchema, input: input ?? {}, what: 'page request' });
}

function mustSee({
  principal,
  action,
  resource,
}: {
  principal: Principal;
  action: Action;
  resource: ResourceScope;
}) {
  assertMayAttempt({ principal, action });
  authorize({ principal, action, resource });
}

export async function getProperty({
  ports,
  principal,
  propertyId,
}: {
  ports: Pick<DomainPorts, 'properties'>;
  principal: Principal;
  propertyId: string;
}): Promise<Property> {
  assertMayAttempt({ principal, action: 'property.read' });
  const property = found(await ports.properties.get({ tenantId: principal.tenantId, propertyId }), {
    entity: 'property',
    id: propertyId,
  });
  mustSee({ principal, action: 'property.read', resource: { tenantId: property.tenantId, propertyId } });
  return property;
}

/** The properties the principal may see: all of the tenant's, or a cleaner's assigned ones. */
export async function listProperties({
  ports,
  principal,
  page,
}: {
  ports: Pick<DomainPorts, 'properties'>;
  principal: Principal;
  page?: PageRequestInput;
}): Promise<Page<Property>> {
  assertMayAttempt({ principal, action: 'property.read' });
  const request = pageOf(page);
  const { tenantId } = principal;
  if (principal.kind === 'member' && principal.role === 'staff') {
    // A handful at most: read them directly instead of paging through the whole tenant.
    const assigned = await Promise.all(
      principal.assignedPropertyIds.map((propertyId) => ports.properties.get({ tenantId, propertyId })),
    );
    return { items: assigned.filter((property): property is Property => property !== undefined) };
  }
  return ports.properties.list({ tenantId, page: request });
}

export async function getLock({
  ports,
  principal,
  lockId,
}: {
  ports: Pick<DomainPorts, 'locks'>;
  principal: Principal;
  lockId: string;
}): Promise<Lock> {
  assertMayAttempt({ principal, action: 'lock.read' });
  const lock = found(await ports.locks.get({ tenantId: principal.tenantId, lockId }), {
    entity: 'lock',
    id: lockId,
  });
  mustSee({
    principal,
    action: 'lock.read',
    resource: { tenantId: lock.tenantId, propertyId: lock.propertyId },
  });
  return lock;
}

export async function listLocks({
  ports,
  principal,
  propertyId,
}: {
  ports: Pick<DomainPorts, 'properties' | 'locks'>;
  principal: Principal;
  propertyId: string;
}): Promise<readonly Lock[]> {
  const property = await getProperty({ ports, principal, propertyId });
  mustSee({ principal, action: 'lock.read', resource: { tenantId: property.tenantId, propertyId } });
  return ports.locks.listByProperty({ tenantId: principal.tenantId, propertyId });
}

/** A booking as a role may see it: without the guest's contact details for those who only see the schedule. */
export type BookingView = Omit<Booking, 'guest'> & { readonly guest: Pick<Guest, 'name'> | Guest };

function bookingView({ principal, booking }: { principal: Principal; booking: Booking }): BookingView {
  const resource = { tenantId: booking.tenantId, propertyId: booking.propertyId };
  if (isPermitted({ principal, action: 'booking.readGuestDetails', resource })) return booking;
  return { ...booking, guest: { name: booking.guest.name } };
}

export async function getBooking({
  ports,
  principal,
  bookingId,
}: {
  ports: Pick<DomainPorts, 'bookings'>;
  principal: Principal;
  bookingId: string;
}): Promise<BookingView> {
  assertMayAttempt({ principal, action: 'booking.readSchedule' });
  const booking = found(await ports.bookings.get({ tenantId: principal.tenantId, bookingId }), {
    entity: 'booking',
    id: bookingId,
  });
  mustSee({
    principal,
    action: 'booking.readSchedule',
    resource: { tenantId: booking.tenantId, propertyId: booking.propertyId },
  });
  return bookingView({ principal, booking });
}

export const bookingListFilterSchema = z.object({
  propertyId: z.string().min(1),
  fromDate: localDateSchema.optional(),
  toDate: localDateSchema.optional(),
  guestName: z.string().trim().min(1).max(200).optional(),
});
export type BookingListFilter = z.input<typeof bookingListFilterSchema>;

/**
 * A property's schedule, by arrival: bookings departing on or after `fromDate`, arriving on or before `toDate`,
 * whose guest's name contains `guestName` (any case, accents aside).
 */
export async function listBookings({
  ports,
  principal,
  filter,
  page,
}: {
  ports: Pick<DomainPorts, 'properties' | 'bookings'>;
  principal: Principal;
  filter: BookingListFilter;
  page?: PageRequestInput;
}): Promise<Page<BookingView>> {
  const { propertyId, fromDate, toDate, guestName } = parseInput({
    schema: bookingListFilterSchema,
    input: filter,
    what: 'filter',
  });
  assertMayAttempt({ principal, action: 'booking.readSchedule' });
  const property = found(await ports.properties.get({ tenantId: principal.tenantId, propertyId }), {
    entity: 'property',
    id: propertyId,
  });
  mustSee({
    principal,
    action: 'booking.readSchedule',
    resource: { tenantId: property.tenantId, propertyId },
  });
  const bookings = await ports.bookings.listByProperty({
    tenantId: principal.tenantId,
    propertyId,
    fromDate,
    toDate,
    guestName,
    page: pageOf(page),
  });
  return { ...bookings, items: bookings.items.map((booking) => bookingView({ principal, booking })) };
}

export interface GrantView {
  readonly grant: Grant;
  readonly status: GrantStatus;
  /** Present (with PINs) only for those who may see the codes. */
  readonly accessCodes?: readonly AccessCode[];
}

function grantScope(grant: Grant): ResourceScope {
  return { tenantId: grant.tenantId, propertyId: grant.propertyId, holderUserId: holderUserIdOf(grant) };
}

export async function getGrant({
  ports,
  principal,
  grantId,
}: {
  ports: Pick<DomainPorts, 'clock' | 'grants' | 'accessCodes'>;
  principal: Principal;
  grantId: string;
}): Promise<GrantView> {
  assertMayAttempt({ principal, action: 'grant.read' });
  const grant = found(await ports.grants.get({ tenantId: principal.tenantId, grantId }), {
    entity: 'grant',
    id: grantId,
  });
  mustSee({ principal, action: 'grant.read', resource: grantScope(grant) });
  const view = { grant, status: grantStatus({ grant, now: ports.clock.now() }) };
  if (!isPermitted({ principal, action: 'accessCode.read', resource: grantScope(grant) })) return view;
  return { ...view, accessCodes: await ports.accessCodes.listByGrant({ tenantId: grant.tenantId, grantId }) };
}

/**
 * Grants, newest first: a property's for those who see all grants, or the principal's own (a cleaner's
 * turnovers, an owner's permanent codes) when no property is given.
 */
export async function listGrants({
  ports,
  principal,
  propertyId,
  page,
}: {
  ports: Pick<DomainPorts, 'clock' | 'properties' | 'grants'>;
  principal: Principal;
  propertyId?: string | undefined;
  page?: PageRequestInput;
}): Promise<Page<{ grant: Grant; status: GrantStatus }>> {
  assertMayAttempt({ principal, action: 'grant.read' });
  const request = pageOf(page);
  const { tenantId } = principal;
  const now = ports.clock.now();
  let grants: Page<Grant>;
  if (propertyId === undefined) {
    if (principal.kind !== 'member') return { items: [] };
    grants = await ports.grants.listByHolder({ tenantId, userId: principal.userId, page: request });
  } else {
    found(await ports.properties.get({ tenantId, propertyId }), { entity: 'property', id: propertyId });
    // Seeing every grant of a property is for roles whose condition is `any`; others list their own.
    mustSee({ principal, action: 'grant.read', resource: { tenantId, propertyId, holderUserId: undefined } });
    grants = await ports.grants.listByProperty({ tenantId, propertyId, page: request });
  }
  return { ...grants, items: grants.items.map((grant) => ({ grant, status: grantStatus({ grant, now }) })) };
}

export const auditQuerySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('tenant') }),
  z.object({ kind: z.literal('property'), propertyId: z.string().min(1) }),
  z.object({ kind: z.literal('lock'), lockId: z.string().min(1) }),
]);
export type AuditQuery = z.input<typeof auditQuerySchema>;

/** The audit log of the tenant, a property or a lock, newest first, narrowed by `filter`. */
export async function readAuditLog({
  ports,
  principal,
  scope,
  filter,
  page,
}: {
  ports: Pick<DomainPorts, 'properties' | 'locks' | 'auditLog'>;
  principal: Principal;
  scope: AuditQuery;
  filter?: z.input<typeof auditFilterSchema> | undefined;
  page?: PageRequestInput;
}): Promise<Page<AuditEvent>> {
  assertMayAttempt({ principal, action: 'audit.read' });
  const query: AuditScope = parseInput({ schema: auditQuerySchema, input: scope, what: 'audit query' });
  const narrowing: AuditFilter = parseInput({
    schema: auditFilterSchema,
    input: filter ?? {},
    what: 'filter',
  });
  const { tenantId } = principal;
  let propertyId: string | undefined;
  if (query.kind === 'property') {
    propertyId = found(await ports.properties.get({ tenantId, propertyId: query.propertyId }), {
      entity: 'property',
      id: query.propertyId,
    }).id;
  } else if (query.kind === 'lock') {
    propertyId = found(await ports.locks.get({ tenantId, lockId: query.lockId }), {
      entity: 'lock',
      id: query.lockId,
    }).propertyId;
  }
  mustSee({ principal, action: 'audit.read', resource: { tenantId, propertyId } });
  return ports.auditLog.list({ tenantId, scope: query, filter: narrowing, page: pageOf(page) });
}

/** A stay's story as the audit log tells it, oldest first. */
export interface StayTimeline {
  readonly events: readonly AuditEvent[];
  /** False only for a grant with more than `timelineLimit` events (a permanent code used for years). */
  readonly complete: boolean;
}

/** The most events one timeline shows: the newest, for the rare grant with more (the audit log has them all). */
export const timelineLimit = 2000;

/**
 * The events of one booking (or ad-hoc grant) since it was made: entered, codes allocated, sent and set on
 * each lock, emails sent, doors opened with its code, changes and cancellation. Read by the stay's own key, so
 * the cost follows the stay's events, never how busy its property is. Undefined for those who may not read the
 * audit log.
 */
export async function readStayTimeline({
  ports,
  principal,
  stay,
}: {
  ports: Pick<DomainPorts, 'auditLog'>;
  principal: Principal;
  stay: {
    readonly tenantId: string;
    readonly propertyId: string;
    readonly grantId: string;
    readonly bookingId?: string;
  };
}): Promise<StayTimeline | undefined> {
  const resource = { tenantId: stay.tenantId, propertyId: stay.propertyId };
  if (!isPermitted({ principal, action: 'audit.read', resource })) return undefined;
  return ports.auditLog.listOfStay({
    tenantId: principal.tenantId,
    stay: { grantId: stay.grantId, ...(stay.bookingId === undefined ? {} : { bookingId: stay.bookingId }) },
    limit: timelineLimit,
  });
}

/** The team, removed members included (their names stay in the log), by name. */
export async function listTeam({
  ports,
  principal,
  page,
}: {
  ports: Pick<DomainPorts, 'team'>;
  principal: Principal;
  page?: PageRequestInput;
}): Promise<Page<TeamMember>> {
  mustSee({ principal, action: 'team.read', resource: { tenantId: principal.tenantId } });
  return ports.team.list({ tenantId: principal.tenantId, page: pageOf(page) });
}
