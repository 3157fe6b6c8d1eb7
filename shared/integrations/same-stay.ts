/**
 * One stay seen through two sources is one booking. An Airbnb reservation reaches Lockstay through the
 * listing's iCal feed and, when the host also runs a channel manager, through its webhook; each source has
 * its own reservation id, so the domain's reservation claim (one booking per source and id) cannot tell.
 * Before a source creates a booking, the stay is looked for elsewhere:
 *
 * 1. by the booking channel's own code (Airbnb's `HM…`, which both the feed's description and the channel
 *    managers carry), claimed per tenant in the transaction that creates a booking from an event that has
 *    one: of two sources creating the same stay at the same instant, one claim wins and the other source
 *    finds the winner's booking when it looks again;
 * 2. failing that, when exactly one side is an iCal feed (Vrbo and Booking.com feeds carry no code), by
 *    property and dates: a live booking arriving and leaving on the same days is the same stay.
 *
 * Found, the source adopts that booking instead of creating another. Guest details follow the richer
 * source: a source without the guest's email (a feed says "Airbnb guest") never replaces a guest who has one,
 * nor the stay's check-in and check-out times; it may still move the dates.
 */
import type { Booking, ModifyBookingInput } from '#shared/domain/booking.ts';
import type { ChangeCommitter, ChangeSet } from '#shared/domain/ports/change-set.ts';
import type { BookingChannel, BookingEvent, ConfirmedBookingEvent } from './booking-event.ts';
import type { IntegrationServices } from './deliveries.ts';
import type { StoredReservation } from './integration.ts';

export interface ChannelCode {
  readonly tenantId: string;
  readonly channel: BookingChannel;
  readonly code: string;
}

/** The per-tenant index of channel codes to the booking made for them. */
export interface ChannelCodeIndex {
  findBooking(key: ChannelCode): Promise<string | undefined>;
}

/** The claim of a channel's code by the booking a change set creates. */
export interface ChannelCodeClaim {
  readonly channel: BookingChannel;
  readonly code: string;
  /**
   * The booking the code names now though it is no longer this stay (cancelled, or at another property):
   * the claim takes the code over from it, and from no other.
   */
  readonly replacing?: string | undefined;
}

/**
 * Commits of a delivery's booking change together with what the delivery records about its reservation,
 * in one transaction: the reservation's record (created, or replacing exactly the version before), and for
 * a booking the change creates, the claim of the event's channel code (absent, or held by `replacing`).
 * When either condition fails the commit answers a `stale` conflict and writes nothing: another delivery
 * of the reservation, or another source of the stay, committed first, and the delivery decides again.
 * The record's `bookingId`, when the change set creates a booking, is that booking's.
 */
export interface ReservationCommits {
  committerFor(options: {
    record: StoredReservation;
    channelCode?: ChannelCodeClaim | undefined;
  }): ChangeCommitter;
}

/** The booking a change set creates, if it creates one. */
export function bookingCreatedIn(changes: ChangeSet): Booking | undefined {
  for (const write of changes.writes) {
    if (write.entity === 'booking' && write.op === 'create') return write.value;
  }
  return undefined;
}

/** What `findSameStay` found of a stay. */
export interface SameStay {
  /** The live booking of this stay made from another source. */
  readonly booking?: Booking | undefined;
  /** A booking the event's channel code names that is not this stay any more: see ChannelCodeClaim. */
  readonly staleClaim?: string | undefined;
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
}): Promise<SameStay> {
  const { ports, channelCodes } = services;
  const reference = event.channelReference;
  let staleClaim: string | undefined;
  if (reference) {
    const bookingId = await channelCodes.findBooking({ tenantId, ...reference });
    const booking = bookingId ? await ports.bookings.get({ tenantId, bookingId }) : undefined;
    if (booking?.status === 'confirmed' && booking.propertyId === propertyId) return { booking };
    staleClaim = bookingId;
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
    return { booking: candidate, staleClaim };
  }
  return { staleClaim };
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
