/**
 * The one shape every booking integration delivers: Lockstay's own signed webhook, the channel-manager
 * adapters (Hostaway, Guesty) and the iCal feeds each turn what they receive into a `BookingEvent`, the state
 * of one reservation as its source saw it at `occurredAt`. Events are snapshots, not commands: applying the
 * newest one for a reservation gives the right booking whatever order, or however often, they arrived.
 *
 * Dates are local to the property, as the channels give them; the property's time zone, check-in and
 * check-out times turn them into a grant window later, in the domain.
 */
import { createHash } from 'node:crypto';
import type { IsoInstant, LocalDate, LocalTime } from '#shared/domain/local-time.ts';

/** Which kind of integration delivered the event; with `reservationId` it names the reservation. */
export const integrationKinds = ['lockstay-webhook', 'hostaway', 'guesty', 'ical'] as const;
export type IntegrationKind = (typeof integrationKinds)[number];

/** The channel where the guest booked, when the source says so; used to match one stay seen twice. */
export const bookingChannels = ['airbnb', 'vrbo', 'booking.com', 'direct', 'other'] as const;
export type BookingChannel = (typeof bookingChannels)[number];

/** The property a reservation is for: Lockstay's id, or the listing id the source uses for it. */
export type ListingReference = { readonly propertyId: string } | { readonly externalListingId: string };

export interface EventGuest {
  readonly name: string;
  readonly email?: string | undefined;
  readonly phone?: string | undefined;
  /** A BCP 47 language tag for the guest's emails and page. */
  readonly language?: string | undefined;
}

export interface Stay {
  readonly guest: EventGuest;
  readonly arrivalDate: LocalDate;
  /** The day the guest leaves (the night before is the last one booked). */
  readonly departureDate: LocalDate;
  /** Overrides the property's check-in time for this stay. */
  readonly checkInTime?: LocalTime | undefined;
  readonly checkOutTime?: LocalTime | undefined;
}

interface BookingEventBase {
  readonly integration: IntegrationKind;
  /** The reservation's id at its source, stable across its events (the iCal UID for feeds). */
  readonly reservationId: string;
  readonly listing: ListingReference;
  /** When the source says the reservation was in this state; orders deliveries. */
  readonly occurredAt: IsoInstant;
  /** The booking channel's own code (an Airbnb `HM…` code), to recognise the stay arriving by another path. */
  readonly channelReference?: { readonly channel: BookingChannel; readonly code: string } | undefined;
}

export interface ConfirmedBookingEvent extends BookingEventBase {
  readonly status: 'confirmed';
  readonly stay: Stay;
}

/** A cancellation may carry the stay (channel managers send the whole reservation) or not (a bare notice). */
export interface CancelledBookingEvent extends BookingEventBase {
  readonly status: 'cancelled';
  readonly stay?: Stay | undefined;
  readonly reason?: string | undefined;
}

export type BookingEvent = ConfirmedBookingEvent | CancelledBookingEvent;

/** Why an adapter set a reservation aside: none of these is a guest's booking, so none gets a code. */
export const ignoreReasons = [
  'owner-stay',
  'inquiry',
  'not-confirmed',
  'block',
  'no-dates',
  'unsupported-event',
] as const;
export type IgnoreReason = (typeof ignoreReasons)[number];

/**
 * What an adapter made of one delivery. `warnings` name details that were dropped rather than fail the
 * whole booking (a guest still needs their code when the channel sends an unusable phone number).
 */
export type AdapterOutcome =
  | { readonly kind: 'booking'; readonly event: BookingEvent; readonly warnings: readonly string[] }
  | { readonly kind: 'ignore'; readonly reason: IgnoreReason; readonly detail: string };

/**
 * A short stable digest of what an event says about the reservation (not when or how it was delivered), so
 * that two deliveries of the same state are recognised as one.
 */
export function bookingEventFingerprint(event: BookingEvent): string {
  const { status, listing, channelReference } = event;
  const stay = event.stay;
  return createHash('sha256')
    .update(canonicalJson({ status, listing, channelReference, stay }))
    .digest('base64url')
    .slice(0, 22);
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, field: unknown) =>
    field !== null && typeof field === 'object' && !Array.isArray(field)
      ? Object.fromEntries(
          Object.entries(field)
            .filter(([, inner]) => inner !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : field,
  );
}
