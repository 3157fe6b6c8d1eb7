/**
 * Bookings entered by hand, and later by the integrations, through the same three operations. A booking's
 * grant follows it: creating a booking issues the grant and its codes, modifying the stay moves the window of
 * the grant and its codes, cancelling revokes the grant and withdraws the codes from the locks. Each runs as one
 * commit with its audit events, or not at all.
 *
 * Repeats are harmless: creating a booking whose source and reservation id are already known returns that
 * booking unchanged when the details match (a repeated delivery), and refuses with a conflict when they differ
 * (that is a modification, which must say so). Cancelling a cancelled booking changes nothing.
 */
import type { AccessCode } from '../access-code.ts';
import { rescheduleAccessCode } from '../access-code.ts';
import {
  applyBookingChange,
  type Booking,
  bookingDetailFields,
  type CancelBookingInput,
  type CreateBookingInput,
  cancelBookingInputSchema,
  createBookingInputSchema,
  type ModifyBookingInput,
  modifyBookingInputSchema,
  type NewBooking,
  sameBookingDetails,
} from '../booking.ts';
import { changedFields, revise } from '../entity.ts';
import { ConflictError } from '../errors.ts';
import { type Grant, revoke, sameWindow } from '../grant.ts';
import { bookingWindow } from '../grant-window.ts';
import { assertMayAttempt, authorize } from '../permissions.ts';
import type { EntityWrite } from '../ports/change-set.ts';
import type { DomainPorts } from '../ports/domain-ports.ts';
import type { Principal } from '../team.ts';
import { parseInput } from '../validation.ts';
import {
  accessCodesIn,
  allocateAccessCodes,
  commitWithUniquePins,
  recordAllocations,
  recordGrantIssued,
  withdrawAll,
} from './access-codes.ts';
import { beginOperation, conflictError, found, type OperationResult } from './operation.ts';

export interface BookingResult extends OperationResult {
  readonly booking: Booking;
  readonly grant: Grant;
  readonly accessCodes: readonly AccessCode[];
}

export interface CreateBookingResult extends BookingResult {
  /** `existing` when this reservation was already a booking with the same details: nothing was written. */
  readonly outcome: 'created' | 'existing';
}

export interface ChangeBookingResult extends BookingResult {
  /** False when the booking already was as asked: nothing was written. */
  readonly changed: boolean;
}

type BookingPorts = Pick<
  DomainPorts,
  'clock' | 'ids' | 'random' | 'properties' | 'locks' | 'bookings' | 'grants' | 'accessCodes' | 'changes'
>;

export async function createBooking({
  ports,
  principal,
  input,
}: {
  ports: BookingPorts;
  principal: Principal;
  input: CreateBookingInput | unknown;
}): Promise<CreateBookingResult> {
  assertMayAttempt({ principal, action: 'booking.create' });
  const details = parseInput({ schema: createBookingInputSchema, input, what: 'booking' });
  const { tenantId } = principal;
  const property = found(await ports.properties.get({ tenantId, propertyId: details.propertyId }), {
    entity: 'property',
    id: details.propertyId,
  });
  authorize({ principal, action: 'booking.create', resource: { tenantId, propertyId: property.id } });

  const repeat = await existingBookingFor({ ports, tenantId, details });
  if (repeat) return repeat;

  const context = beginOperation({ ports, principal });
  const { at, audit, newId, actor } = context;
  const bookingId = newId('booking');
  const grantId = newId('grant');
  const booking: Booking = {
    tenantId,
    id: bookingId,
    propertyId: property.id,
    source: details.source,
    sourceReservationId: details.sourceReservationId,
    guest: details.guest,
    arrivalDate: details.arrivalDate,
    departureDate: details.departureDate,
    checkInTime: details.checkInTime,
    checkOutTime: details.checkOutTime,
    status: 'confirmed',
    grantId,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const locks = await ports.locks.listByProperty({ tenantId, propertyId: property.id });
  const grant: Grant = {
    tenantId,
    id: grantId,
    propertyId: property.id,
    kind: 'booking',
    subject: { kind: 'booking-guest', bookingId },
    lockIds: locks.map((lock) => lock.id),
    window: bookingWindow({ property, booking }),
    singleUse: false,
    bookingId,
    issuedBy: actor,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const codes = allocateAccessCodes({
    grant,
    locks,
    random: ports.random,
    newId: () => newId('accessCode'),
    at,
  });

  audit.record({
    action: 'booking.created',
    target: { kind: 'booking', id: bookingId },
    propertyId: property.id,
    details: {
      source: booking.source,
      sourceReservationId: booking.sourceReservationId,
      arrivalDate: booking.arrivalDate,
      departureDate: booking.departureDate,
    },
  });
  recordGrantIssued({ audit, grant });
  recordAllocations({ audit, codes });

  const { outcome, committed } = await commitWithUniquePins({
    changes: {
      writes: [
        { entity: 'booking', op: 'create', value: booking },
        { entity: 'grant', op: 'create', value: grant },
        ...codes.map((value): EntityWrite => ({ entity: 'accessCode', op: 'create', value })),
      ],
      auditEvents: audit.events,
    },
    committer: ports.changes,
    random: ports.random,
  });
  if (!outcome.ok) {
    // Another delivery of the same reservation won the race: answer as if this one came second.
    if (outcome.conflict.kind === 'booking-reference-taken') {
      const winner = await existingBookingFor({ ports, tenantId, details });
      if (winner) return winner;
    }
    throw conflictError(outcome.conflict);
  }
  return {
    outcome: 'created',
    booking,
    grant,
    accessCodes: accessCodesIn({ changes: committed }),
    events: audit.events,
  };
}

async function existingBookingFor({
  ports,
  tenantId,
  details,
}: {
  ports: Pick<BookingPorts, 'bookings' | 'grants' | 'accessCodes'>;
  tenantId: string;
  details: NewBooking;
}): Promise<CreateBookingResult | undefined> {
  if (details.sourceReservationId === undefined) return undefined;
  const existing = await ports.bookings.findBySourceReservation({
    tenantId,
    source: details.source,
    sourceReservationId: details.sourceReservationId,
  });
  if (!existing) return undefined;
  if (existing.propertyId !== details.propertyId || !sameBookingDetails(existing, details)) {
    throw new ConflictError(
      `Reservation ${details.sourceReservationId} from ${details.source} is already booking ${existing.id} with other details; modify that booking instead`,
    );
  }
  const { grant, codes } = await grantWithCodes({ ports, tenantId, grantId: existing.grantId });
  return { outcome: 'existing', booking: existing, grant, accessCodes: codes, events: [] };
}

async function grantWithCodes({
  ports,
  tenantId,
  grantId,
}: {
  ports: Pick<BookingPorts, 'grants' | 'accessCodes'>;
  tenantId: string;
  grantId: string;
}): Promise<{ grant: Grant; codes: readonly AccessCode[] }> {
  const grant = found(await ports.grants.get({ tenantId, grantId }), { entity: 'grant', id: grantId });
  const codes = await ports.accessCodes.listByGrant({ tenantId, grantId });
  return { grant, codes };
}

async function loadBooking({
  ports,
  principal,
  bookingId,
  action,
}: {
  ports: Pick<BookingPorts, 'bookings'>;
  principal: Principal;
  bookingId: string;
  action: 'booking.modify' | 'booking.cancel';
}): Promise<Booking> {
  assertMayAttempt({ principal, action });
  const booking = found(await ports.bookings.get({ tenantId: principal.tenantId, bookingId }), {
    entity: 'booking',
    id: bookingId,
  });
  authorize({ principal, action, resource: { tenantId: booking.tenantId, propertyId: booking.propertyId } });
  return booking;
}

/**
 * Changes a booking's guest details or stay. A new stay moves the grant's window and every code's window with
 * it (codes already on the lock are sent again); the PIN stays the same, since the guest may already know it.
 */
export async function modifyBooking({
  ports,
  principal,
  bookingId,
  input,
}: {
  ports: BookingPorts;
  principal: Principal;
  bookingId: string;
  input: ModifyBookingInput | unknown;
}): Promise<ChangeBookingResult> {
  const booking = await loadBooking({ ports, principal, bookingId, action: 'booking.modify' });
  const change = parseInput({ schema: modifyBookingInputSchema, input, what: 'change to the booking' });
  if (booking.status === 'cancelled') throw new ConflictError(`Booking ${bookingId} is cancelled`);
  if (change.expectedVersion !== undefined && change.expectedVersion !== booking.version) {
    throw new ConflictError(`Booking ${bookingId} was changed meanwhile; reload it and try again`);
  }
  const { tenantId } = principal;
  const proposed = applyBookingChange({ booking, change });
  const { grant, codes } = await grantWithCodes({ ports, tenantId, grantId: booking.grantId });
  if (sameBookingDetails(booking, proposed)) {
    return { changed: false, booking, grant, accessCodes: codes, events: [] };
  }

  const property = found(await ports.properties.get({ tenantId, propertyId: booking.propertyId }), {
    entity: 'property',
    id: booking.propertyId,
  });
  const { at, audit } = beginOperation({ ports, principal });
  const next = revise(booking, proposed, at);
  audit.record({
    action: 'booking.modified',
    target: { kind: 'booking', id: booking.id },
    propertyId: booking.propertyId,
    details: { changed: changedFields(booking, next, bookingDetailFields) },
  });

  const window = bookingWindow({ property, booking: next });
  const writes: EntityWrite[] = [{ entity: 'booking', op: 'update', value: next }];
  let nextGrant = grant;
  let nextCodes: readonly AccessCode[] = codes;
  // A revoked grant stays revoked: a host who cut a guest's access keeps it cut through later changes.
  if (!sameWindow(grant.window, window) && !grant.revocation) {
    nextGrant = revise(grant, { window }, at);
    audit.record({
      action: 'grant.window-moved',
      target: { kind: 'grant', id: grant.id },
      propertyId: grant.propertyId,
      details: { from: grant.window, to: window },
    });
    nextCodes = codes.map((code) => {
      const moved = rescheduleAccessCode({ code, window, at });
      if (moved !== code) {
        audit.record({
          action: 'access-code.rescheduled',
          target: { kind: 'access-code', id: code.id },
          propertyId: code.propertyId,
          lockId: code.lockId,
          details: { grantId: grant.id, window, from: code.status, to: moved.status },
        });
        writes.push({ entity: 'accessCode', op: 'update', value: moved });
      }
      return moved;
    });
    writes.push({ entity: 'grant', op: 'update', value: nextGrant });
  }

  const outcome = await ports.changes.commit({ writes, auditEvents: audit.events });
  if (!outcome.ok) throw conflictError(outcome.conflict);
  return { changed: true, booking: next, grant: nextGrant, accessCodes: nextCodes, events: audit.events };
}

/** Cancels a booking: its grant is revoked and its codes are withdrawn from the locks. */
export async function cancelBooking({
  ports,
  principal,
  bookingId,
  input = {},
}: {
  ports: BookingPorts;
  principal: Principal;
  bookingId: string;
  input?: CancelBookingInput | unknown;
}): Promise<ChangeBookingResult> {
  const booking = await loadBooking({ ports, principal, bookingId, action: 'booking.cancel' });
  const { reason } = parseInput({ schema: cancelBookingInputSchema, input, what: 'cancellation' });
  const { tenantId } = principal;
  const { grant, codes } = await grantWithCodes({ ports, tenantId, grantId: booking.grantId });
  if (booking.status === 'cancelled')
    return { changed: false, booking, grant, accessCodes: codes, events: [] };

  const { at, audit, actor } = beginOperation({ ports, principal });
  const cancelled = revise(booking, { status: 'cancelled', cancelledAt: at, cancellationReason: reason }, at);
  audit.record({
    action: 'booking.cancelled',
    target: { kind: 'booking', id: booking.id },
    propertyId: booking.propertyId,
    details: { reason },
  });
  const revoked = revoke({ grant, at, reason: 'booking-cancelled', by: actor });
  const writes: EntityWrite[] = [{ entity: 'booking', op: 'update', value: cancelled }];
  if (revoked !== grant) {
    audit.record({
      action: 'grant.revoked',
      target: { kind: 'grant', id: grant.id },
      propertyId: grant.propertyId,
      details: { reason: 'booking-cancelled' },
    });
    writes.push({ entity: 'grant', op: 'update', value: revoked });
  }
  const withdrawn = withdrawAll({ codes, audit, at });
  withdrawn.forEach((code, index) => {
    if (code !== codes[index]) writes.push({ entity: 'accessCode', op: 'update', value: code });
  });

  const outcome = await ports.changes.commit({ writes, auditEvents: audit.events });
  if (!outcome.ok) throw conflictError(outcome.conflict);
  return { changed: true, booking: cancelled, grant: revoked, accessCodes: withdrawn, events: audit.events };
}
