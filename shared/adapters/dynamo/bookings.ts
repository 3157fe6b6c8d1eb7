/**
 * Bookings in the table.
 * - get by id: `T#<t>#BOOKING#<bookingId>` / `BOOKING`
 * - a property's schedule by arrival: gsi1 `T#<t>#PROPERTY#<propertyId>#BOOKINGS` / `<arrivalDate>#<bookingId>`
 *   (also the next arrival from a date, and the arrivals between two dates). "Departing on or after D" reads from D minus the longest stay a
 *   booking may have, so never more than a year of past bookings, and drops those already gone. "Arriving on
 *   or before D" ends the key range at D. A guest's name is matched on the range's items, at most
 *   `scheduleReadBudget` read per page.
 * - by the channel's reservation id: the reservation claim `T#<t>#RESERVATION#<source>#<reservationId>` /
 *   `RESERVATION`, written with the booking (one booking per reservation), naming the booking.
 */
import { type Booking, type BookingSource, maxStayNights } from '#shared/domain/booking.ts';
import { guestNameMatches } from '#shared/domain/booking-search.ts';
import type { LocalDate } from '#shared/domain/local-time.ts';
import type { BookingRepository } from '#shared/domain/ports/repositories.ts';
import type { SortCondition } from './cursor.ts';
import { entityOf, type ItemKey, storable, type TableItem, tenantKey } from './keys.ts';
import type { DynamoTable } from './table.ts';

export const bookingKeys = {
  item: ({ tenantId, bookingId }: { tenantId: string; bookingId: string }): ItemKey => ({
    pk: tenantKey(tenantId, 'BOOKING', bookingId),
    sk: 'BOOKING',
  }),
  byProperty: ({ tenantId, propertyId }: { tenantId: string; propertyId: string }) =>
    tenantKey(tenantId, 'PROPERTY', propertyId, 'BOOKINGS'),
  reservation: ({
    tenantId,
    source,
    sourceReservationId,
  }: {
    tenantId: string;
    source: BookingSource;
    sourceReservationId: string;
  }): ItemKey => ({
    pk: tenantKey(tenantId, 'RESERVATION', source, sourceReservationId),
    sk: 'RESERVATION',
  }),
};

export function bookingItem(booking: Booking): TableItem {
  const { tenantId, id: bookingId, propertyId } = booking;
  return {
    ...storable(booking),
    ...bookingKeys.item({ tenantId, bookingId }),
    gsi1pk: bookingKeys.byProperty({ tenantId, propertyId }),
    gsi1sk: `${booking.arrivalDate}#${bookingId}`,
    itemType: 'booking',
  };
}

/** The claim of a channel's reservation id, or undefined for a booking entered by hand without one. */
export function reservationClaimItem(booking: Booking): TableItem | undefined {
  const { tenantId, source, sourceReservationId } = booking;
  if (sourceReservationId === undefined) return undefined;
  return {
    ...bookingKeys.reservation({ tenantId, source, sourceReservationId }),
    itemType: 'reservation-claim',
    tenantId,
    bookingId: booking.id,
  };
}

/** `date` moved by whole days (local dates have no time zone: UTC arithmetic is exact). */
export function shiftDate(date: LocalDate, days: number): LocalDate {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** How many bookings a page narrowed by a guest's name reads at most before it ends short with a cursor. */
export const scheduleReadBudget = 500;

export function createBookingRepository({ table }: { table: DynamoTable }): BookingRepository {
  const bookingOf = (item: TableItem | undefined) => item && entityOf<Booking>(item);
  return {
    async get({ tenantId, bookingId }) {
      return bookingOf(await table.get(bookingKeys.item({ tenantId, bookingId })));
    },

    async findBySourceReservation({ tenantId, source, sourceReservationId }) {
      const claim = await table.get(bookingKeys.reservation({ tenantId, source, sourceReservationId }));
      if (typeof claim?.bookingId !== 'string') return undefined;
      return bookingOf(await table.get(bookingKeys.item({ tenantId, bookingId: claim.bookingId })));
    },

    async findNextArrival({ tenantId, propertyId, fromDate, excludingBookingId }) {
      const item = await table.queryFirst({
        tenantId,
        index: 'gsi1',
        partition: bookingKeys.byProperty({ tenantId, propertyId }),
        sort: { from: fromDate },
        where: (candidate) => candidate.status === 'confirmed' && candidate.id !== excludingBookingId,
      });
      return bookingOf(item);
    },

    async listArrivingBetween({ tenantId, propertyId, fromDate, toDate }) {
      // `<toDate>$` closes the range after every `<toDate>#<bookingId>` ('$' follows '#').
      const items = await table.queryAll({
        tenantId,
        index: 'gsi1',
        partition: bookingKeys.byProperty({ tenantId, propertyId }),
        sort: { between: [fromDate, `${toDate}$`] },
      });
      return items.map((item) => entityOf<Booking>(item));
    },

    async listByProperty({ tenantId, propertyId, fromDate, toDate, guestName, page }) {
      const lowest = fromDate === undefined ? undefined : shiftDate(fromDate, -maxStayNights);
      // `<toDate>$` sorts after every `<toDate>#<bookingId>` ('$' follows '#').
      const highest = toDate === undefined ? undefined : `${toDate}$`;
      const sort: SortCondition | undefined =
        lowest !== undefined && highest !== undefined
          ? { between: [lowest, highest] }
          : lowest !== undefined
            ? { from: lowest }
            : highest !== undefined
              ? { before: highest }
              : undefined;
      const departed = (item: TableItem) => fromDate !== undefined && String(item.departureDate) < fromDate;
      const named = (item: TableItem) =>
        guestName === undefined ||
        guestNameMatches({
          name: String((item.guest as { name?: unknown } | undefined)?.name ?? ''),
          search: guestName,
        });
      const found = await table.queryPage(
        {
          tenantId,
          index: 'gsi1',
          partition: bookingKeys.byProperty({ tenantId, propertyId }),
          ...(sort === undefined ? {} : { sort }),
          ...(fromDate === undefined && guestName === undefined
            ? {}
            : {
                where: (item: TableItem) => !departed(item) && named(item),
                maxItemsRead: scheduleReadBudget,
              }),
        },
        page,
      );
      return { ...found, items: found.items.map((item) => entityOf<Booking>(item)) };
    },
  };
}
