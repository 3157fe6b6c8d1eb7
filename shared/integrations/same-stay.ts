/**
 * One stay seen through two sources is one booking. An Airbnb reservation reaches Lockstay through the
 * listing's iCal feed and, when the host also runs a channel manager, through its webhook; each source has
 * its own reservation id, so the domain's reservation claim (one booking per source and id) cannot tell.
 * Before a source creates a booking, the stay is looked for elsewhere:
 *
 * 1. by the booking channel's own code (Airbnb's `HM…`, which both the feed's description and the channel
 *    managers carry), remembered per tenant when a booking is made from an event that has one;
 * 2. failing that, when exactly one side is an iCal feed (Vrbo and Booking.com feeds carry no code), by
 *    property and dates: a live booking arriving and leaving on the same days is the same stay.
 *
 * Found, the source adopts that booking instead of creating another. Guest details follow the richer
 * source: a source without the guest's email (a feed says "Airbnb guest") never replaces a guest who has one,
 * nor the stay's check-in and check-out times; it may still move the dates.
 */
import type { Booking, ModifyBookingInput } from '#shared/domain/booking.ts';
import type { BookingChannel, BookingEvent, ConfirmedBookingEvent } from './booking-event.ts';
import type { IntegrationServices } from './deliveries.ts';

export interface ChannelCode {
  readonly tenantId: string;
  readonly channel: BookingChannel;
  readonly code: string;
}

/** The per-tenant index of channel codes to the booking made for them. */
export interface ChannelCodeIndex {
  findBooking(key: ChannelCode): Promise<string | undefined>;
  remember(key: ChannelCode & { readonly bookingId: string }): Promise<void>;
}

export const bookingSourceOf = (event: BookingEvent) => (event.integration === 'ical' ? 'ical' : 'webhook');

/** A live booking of the tenant that is this event's stay, made from another source. */
export async function findSameStay({
  services,
  tenantId,
  propertyId,
  event,
}: {
  services: Pick<IntegrationServices, 'ports' | 'channelCodes'>;
  tenantId: string;
  propertyId: string;
  event: ConfirmedBookingEvent;
}): Promise<Booking | undefined> {
  const { ports, channelCodes } = services;
  const reference = event.channelReference;
  if (reference && channelCodes) {
    const bookingId = await channelCodes.findBooking({ tenantId, ...reference });
    const booking = bookingId ? await ports.bookings.get({ tenantId, bookingId }) : undefined;
    if (booking?.status === 'confirmed' && booking.propertyId === propertyId) return booking;
  }
  const { arrivalDate, departureDate } = event.stay;
  const candidate = await ports.bookings.findNextArrival({ tenantId, propertyId, fromDate: arrivalDate });
  const fromFeed = event.integration === 'ical';
  if (
    candidate?.status === 'confirmed' &&
    candidate.arrivalDate === arrivalDate &&
    candidate.departureDate === departureDate &&
    (candidate.source === 'ical') !== fromFeed &&
    candidate.source !== 'manual'
  ) {
    return candidate;
  }
  return undefined;
}

/** What an event changes on its booking, the richer source keeping the guest's details. */
export function modificationFrom({
  booking,
  event,
}: {
  booking: Booking;
  event: ConfirmedBookingEvent;
}): ModifyBookingInput {
  const { stay } = event;
  const poorer = stay.guest.email === undefined && booking.guest.email !== undefined;
  if (poorer) return { arrivalDate: stay.arrivalDate, departureDate: stay.departureDate };
  return {
    guest: stay.guest,
    arrivalDate: stay.arrivalDate,
    departureDate: stay.departureDate,
    checkInTime: stay.checkInTime ?? null,
    checkOutTime: stay.checkOutTime ?? null,
  };
}
