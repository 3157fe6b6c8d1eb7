/**
 * A host sends a booking's guest email again (the guest lost it, or it went to spam): the stay with its codes and
 * a fresh link, at once, through the same send record as every other guest email, so it counts toward the
 * booking's cap and its audit event names the host who asked. A cancelled booking, a guest without an address, a
 * stay that is over or has no codes yet, and a booking at its cap are refused with what stands in the way.
 */
import { z } from 'zod';
import { actorOf } from '#shared/domain/audit.ts';
import { ConflictError, NotFoundError } from '#shared/domain/errors.ts';
import { assertMayAttempt, authorize } from '#shared/domain/permissions.ts';
import type { Principal } from '#shared/domain/team.ts';
import type { MailKind } from '#shared/mail/mail-sender.ts';
import { type GuestEmailPorts, guestEmailPolicy, requestGuestEmail } from './guest-email.ts';

/** What the host is told once the email left. */
export const resentGuestEmailSchema = z
  .object({
    bookingId: z.string(),
    /** The email that went: the access email, or "your stay changed" when the times moved since the last one. */
    email: z.enum(['guest-access', 'guest-stay-changed']),
    sendKey: z.string().describe('Where the send is recorded on the booking'),
    to: z.string().describe("The guest's address it went to"),
  })
  .meta({ id: 'ResentGuestEmail' });
export type ResentGuestEmail = z.infer<typeof resentGuestEmailSchema>;

const refusals = {
  'no-email-address': 'The booking has no guest email address to send to',
  cancelled: 'The booking is cancelled; its guest was told and their access is revoked',
  'stay-over': 'The stay is over; there is no access left to send',
  'no-codes': 'The booking has no door codes to send yet',
  'cap-reached': `This booking has had the most guest emails it may get (${guestEmailPolicy.maxSendsPerBooking}); no more are sent`,
  'in-progress': 'This email is being sent right now; look at the booking again in a few minutes',
  'already-sent': 'This email was sent already for this request (its Idempotency-Key)',
} as const;

/**
 * Sends the booking's guest email again now, on behalf of `principal`. `occasion` tells this request's send apart
 * from earlier ones of the same booking version (a new one by default; a retry with the same occasion sends
 * nothing twice).
 */
export async function resendGuestEmail({
  ports,
  principal,
  bookingId,
  occasion,
}: {
  ports: GuestEmailPorts;
  principal: Principal;
  bookingId: string;
  occasion?: string | undefined;
}): Promise<ResentGuestEmail> {
  assertMayAttempt({ principal, action: 'booking.resendGuestEmail' });
  const booking = await ports.bookings.get({ tenantId: principal.tenantId, bookingId });
  if (!booking) throw new NotFoundError(`No booking ${bookingId}`);
  authorize({
    principal,
    action: 'booking.resendGuestEmail',
    resource: { tenantId: booking.tenantId, propertyId: booking.propertyId },
  });
  if (booking.status === 'cancelled') throw new ConflictError(refusals.cancelled);
  if (booking.guest.email === undefined) throw new ConflictError(refusals['no-email-address']);

  const outcome = await requestGuestEmail({
    ports,
    tenantId: booking.tenantId,
    bookingId,
    reason: 'resent',
    occasion: occasion ?? ports.ids.newId(),
    actor: actorOf(principal),
  });
  if (outcome.outcome === 'skipped') {
    // The booking went away between the two reads: as if it never existed.
    if (outcome.why === 'no-booking') throw new NotFoundError(`No booking ${bookingId}`);
    if (outcome.why === 'not-cancelled' || outcome.why === 'never-told') {
      throw new Error(`A resent guest email was skipped as ${outcome.why}, which only a cancellation can be`);
    }
    throw new ConflictError(refusals[outcome.why]);
  }
  return {
    bookingId,
    email: outcome.kind as Extract<MailKind, 'guest-access' | 'guest-stay-changed'>,
    sendKey: outcome.sendKey,
    to: booking.guest.email,
  };
}
