/**
 * Bookings entered by hand: creating one issues its grant and codes, modifying it moves them, cancelling it
 * revokes them; each answer shows the booking with its grant and codes as they now are. With a guest link
 * store, creating a booking also issues the guest's link (its token goes to the guest only, never into the
 * answer); cancelling revokes the grant, which closes the link (410) while its record waits for the TTL.
 */
import { z } from 'zod';
import type { HostRoutes } from '#functions/commons/host-api.ts';
import type { CodeWork } from '#shared/access/code-schedule.ts';
import type { Booking } from '#shared/domain/booking.ts';
import { cancelBooking, createBooking, modifyBooking } from '#shared/domain/operations/bookings.ts';
import { type BookingView, getBooking, getGrant, listBookings } from '#shared/domain/operations/queries.ts';
import { isPermitted } from '#shared/domain/permissions.ts';
import type { Page } from '#shared/domain/ports/repositories.ts';
import { type GuestLinkStore, issueGuestLink } from '#shared/guests/guest-link.ts';
import { json } from '#shared/http/middleware.ts';
import { type BookingListQuery, bookingListQuerySchema, bookingPathSchema } from '#shared/http/parameters.ts';
import { parseJsonBody, parsePathParameters, parseQuery } from '#shared/http/request.ts';

/**
 * The schedule arrives by arrival date, so the first stay arriving after `to` ends the list; the guest search
 * narrows each page.
 */
function narrowed(page: Page<BookingView>, { to, guest }: BookingListQuery): Page<BookingView> {
  const beyond = to === undefined ? -1 : page.items.findIndex((booking) => booking.arrivalDate > to);
  const items = (beyond === -1 ? page.items : page.items.slice(0, beyond)).filter(
    (booking) => guest === undefined || booking.guest.name.toLowerCase().includes(guest.toLowerCase()),
  );
  return beyond === -1 ? { items, nextCursor: page.nextCursor } : { items };
}

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

export function bookingRoutesWith({
  guestLinks,
  codeWork,
}: {
  guestLinks?: GuestLinkStore | undefined;
  /** Schedules the pushes of the grant's codes after each committed change. */
  codeWork?: CodeWork | undefined;
}): HostRoutes {
  return {
    'GET /bookings': async ({ event, principal, ports }) => {
      const query = parseQuery(event, bookingListQuerySchema);
      const { propertyId, from, cursor, limit } = query;
      const page = await listBookings({
        ports,
        principal,
        filter: { propertyId, fromDate: from },
        page: { cursor, limit },
      });
      return json(200, narrowed(page, query));
    },

    'POST /bookings': async ({ event, principal, ports, createOnce }) => {
      const input = parseJsonBody(event, z.unknown());
      return createOnce(async () => {
        const result = await createBooking({ ports, principal, input });
        // A reservation already entered with the same details is answered as it is, not created again.
        const status = result.outcome === 'created' ? 201 : 200;
        if (guestLinks && result.outcome === 'created') {
          await issueGuestLink({ store: guestLinks, grant: result.grant, now: ports.clock.now() });
        }
        if (result.outcome === 'created') await codeWork?.afterGrantChange(result);
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
      if (!seesGrant) return json(200, { booking });
      return json(200, { booking, grant: await getGrant({ ports, principal, grantId: booking.grantId }) });
    },

    'PATCH /bookings/{bookingId}': async ({ event, principal, ports }) => {
      const { bookingId } = parsePathParameters(event, bookingPathSchema);
      const input = parseJsonBody(event, z.unknown());
      const result = await modifyBooking({ ports, principal, bookingId, input });
      if (result.changed) await codeWork?.afterGrantChange(result);
      return json(200, bookingAnswer(result));
    },

    'POST /bookings/{bookingId}/cancel': async ({ event, principal, ports }) => {
      const { bookingId } = parsePathParameters(event, bookingPathSchema);
      // The reason is optional: an empty body cancels too.
      const input = event.body ? parseJsonBody(event, z.unknown()) : {};
      const result = await cancelBooking({ ports, principal, bookingId, input });
      await codeWork?.afterGrantChange(result);
      return json(200, bookingAnswer(result));
    },
  };
}

export const bookingRoutes: HostRoutes = bookingRoutesWith({});
