/**
 * Bookings entered by hand: creating one issues its grant and codes, modifying it moves them, cancelling it
 * revokes them; each answer shows the booking with its grant and codes as they now are. The guest's link is
 * issued only when their email is sent (its token exists only in the message); cancelling revokes the grant,
 * which closes every link (410) while their records wait for the TTL. A host may send the guest's email again.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { HostRoutes } from '#functions/commons/host-api.ts';
import { idempotencyKeyHeader } from '#functions/commons/idempotency.ts';
import type { CodeWork } from '#shared/access/code-schedule.ts';
import type { OfflineCodeReader } from '#shared/access/offline-code-issuance.ts';
import { type AccessChange, withOfflineCodeWarnings } from '#shared/access/offline-code-warnings.ts';
import { actorOf } from '#shared/domain/audit.ts';
import type { Booking } from '#shared/domain/booking.ts';
import type { Grant } from '#shared/domain/grant.ts';
import { cancelBooking, createBooking, modifyBooking } from '#shared/domain/operations/bookings.ts';
import { getBooking, getGrant, listBookings, readStayTimeline } from '#shared/domain/operations/queries.ts';
import { isPermitted } from '#shared/domain/permissions.ts';
import type { DomainPorts } from '#shared/domain/ports/domain-ports.ts';
import type { Principal } from '#shared/domain/team.ts';
import type { GuestEmailPorts, GuestEmailWork } from '#shared/guests/guest-email.ts';
import { resendGuestEmail } from '#shared/guests/resend-guest-email.ts';
import { json } from '#shared/http/middleware.ts';
import { bookingListQuerySchema, bookingPathSchema } from '#shared/http/parameters.ts';
import { parseJsonBody, parsePathParameters, parseQuery } from '#shared/http/request.ts';
import { logger } from '#shared/observability.ts';

const bookingAnswer = ({
  booking,
  grant,
  accessCodes,
}: {
  booking: Booking;
  grant: unknown;
  accessCodes: unknown;
}) => ({
  booking,
  grant,
  accessCodes,
});

/**
 * Runs the change's follow-up work with the grant's offline codes that outlive the change read before it (the
 * work may replace a moved window's codes) and the owners alerted after it, the first time.
 */
async function withOfflineCodeWarningsOf({
  offlineCodes,
  ports,
  principal,
  grant,
  change,
  changed,
  followUp,
}: {
  offlineCodes: OfflineCodeReader | undefined;
  ports: DomainPorts;
  principal: Principal;
  grant: Grant;
  change: AccessChange;
  changed: boolean;
  followUp: () => Promise<unknown>;
}) {
  if (offlineCodes === undefined) {
    await followUp();
    return {};
  }
  const found = await withOfflineCodeWarnings({
    ports: { ...ports, offlineCodes },
    grant,
    change,
    changed,
    actor: actorOf(principal),
    log: logger,
    followUp,
  });
  return found ?? {};
}

export function bookingRoutesWith({
  codeWork,
  guestEmails,
  guestEmailSending,
  offlineCodes,
}: {
  /** Schedules the pushes of the grant's codes after each committed change. */
  codeWork?: CodeWork | undefined;
  /** Schedules the guest's emails (access, changed, cancelled) after each committed change. */
  guestEmails?: GuestEmailWork | undefined;
  /** What sending a guest email at once takes; without it, sending again is not served. */
  guestEmailSending?: (() => GuestEmailPorts) | undefined;
  /** The grants' offline codes: those a cancellation or a change cannot withdraw are named in the answer. */
  offlineCodes?: OfflineCodeReader | undefined;
}): HostRoutes {
  return {
    'GET /bookings': async ({ event, principal, ports }) => {
      const { propertyId, from, to, guest, cursor, limit } = parseQuery(event, bookingListQuerySchema);
      const page = await listBookings({
        ports,
        principal,
        filter: { propertyId, fromDate: from, toDate: to, guestName: guest },
        page: { cursor, limit },
      });
      return json(200, page);
    },

    'POST /bookings': async ({ event, principal, ports, createOnce }) => {
      const input = parseJsonBody(event, z.unknown());
      return createOnce(async () => {
        const result = await createBooking({ ports, principal, input });
        // A reservation already entered with the same details is answered as it is, not created again.
        const status = result.outcome === 'created' ? 201 : 200;
        if (result.outcome === 'created') {
          await codeWork?.afterGrantChange(result);
          await guestEmails?.afterBookingChange({ booking: result.booking, change: 'created' });
        }
        return json(status, bookingAnswer(result), { location: `/bookings/${result.booking.id}` });
      });
    },

    'GET /bookings/{bookingId}': async ({ event, principal, ports }) => {
      const { bookingId } = parsePathParameters(event, bookingPathSchema);
      const booking = await getBooking({ ports, principal, bookingId });
      const seesGrant = isPermitted({
        principal,
        action: 'grant.read',
        resource: { tenantId: booking.tenantId, propertyId: booking.propertyId },
      });
      const grant = seesGrant ? await getGrant({ ports, principal, grantId: booking.grantId }) : undefined;
      // The log is read after the codes: an event is committed with the change it tells, so a code answered as
      // set always has its event in the timeline (read the other way round, a lock confirming in between would
      // show the code set and its timeline without it).
      const timeline = await readStayTimeline({
        ports,
        principal,
        stay: { ...booking, bookingId: booking.id },
      });
      return json(200, {
        booking,
        ...(grant === undefined ? {} : { grant }),
        ...(timeline === undefined ? {} : { timeline }),
      });
    },

    'PATCH /bookings/{bookingId}': async ({ event, principal, ports }) => {
      const { bookingId } = parsePathParameters(event, bookingPathSchema);
      const input = parseJsonBody(event, z.unknown());
      const result = await modifyBooking({ ports, principal, bookingId, input });
      const warnings = result.changed
        ? await withOfflineCodeWarningsOf({
            offlineCodes,
            ports,
            principal,
            grant: result.grant,
            change: 'moved',
            changed: true,
            followUp: async () => {
              await codeWork?.afterGrantChange(result);
              await guestEmails?.afterBookingChange({ booking: result.booking, change: 'modified' });
            },
          })
        : {};
      return json(200, { ...bookingAnswer(result), ...warnings });
    },

    'POST /bookings/{bookingId}/cancel': async ({ event, principal, ports }) => {
      const { bookingId } = parsePathParameters(event, bookingPathSchema);
      // The reason is optional: an empty body cancels too.
      const input = event.body ? parseJsonBody(event, z.unknown()) : {};
      const result = await cancelBooking({ ports, principal, bookingId, input });
      const warnings = await withOfflineCodeWarningsOf({
        offlineCodes,
        ports,
        principal,
        grant: result.grant,
        change: 'cancelled',
        changed: result.changed,
        followUp: async () => {
          await codeWork?.afterGrantChange(result);
          if (result.changed)
            await guestEmails?.afterBookingChange({ booking: result.booking, change: 'cancelled' });
        },
      });
      return json(200, { ...bookingAnswer(result), ...warnings });
    },

    'POST /bookings/{bookingId}/guest-email': async ({ event, principal }) => {
      const { bookingId } = parsePathParameters(event, bookingPathSchema);
      if (!guestEmailSending) throw new Error('This function was started without the guest email ports');
      // An Idempotency-Key names the send on the booking's record, so a retried request never sends twice.
      const key = event.headers?.[idempotencyKeyHeader];
      const occasion =
        key === undefined ? undefined : `key-${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
      return json(
        200,
        await resendGuestEmail({ ports: guestEmailSending(), principal, bookingId, occasion }),
      );
    },
  };
}

export const bookingRoutes: HostRoutes = bookingRoutesWith({});
