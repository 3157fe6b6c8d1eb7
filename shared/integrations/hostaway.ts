/**
 * Hostaway's unified webhook, read as booking events. Hostaway posts
 * `{ "object": "reservation", "event": "reservation.created" | "reservation.updated", "accountId", "data" }`
 * with its reservation object in `data` (some accounts nest it as `payload.data`), authenticated by the
 * Basic credentials the host set on the webhook. Check-in and check-out times are whole hours (16 = 16:00);
 * `updatedOn` (UTC, `YYYY-MM-DD HH:MM:SS`) orders the deliveries.
 *
 * Statuses: `new`, `modified` and `confirmed` are bookings; `cancelled`, `declined` and `expired` end one;
 * `ownerStay` is the owner's own use of the home, `inquiry…` statuses are questions, `pending` and
 * `awaitingPayment` are not bookings yet: those are set aside with their reason.
 */
import { z } from 'zod';
import { localDateSchema } from '#shared/domain/local-time.ts';
import { parseInput } from '#shared/domain/validation.ts';
import type { AdapterOutcome, BookingEvent, IgnoreReason } from './booking-event.ts';
import { bookingChannelOf, guestFrom, instantFrom, localTimeFrom } from './channel-fields.ts';
import { departureAfterArrival } from './stay-dates.ts';

export const hostawayReservationEvents = ['reservation.created', 'reservation.updated'] as const;

const bookedStatuses = new Set(['new', 'modified', 'confirmed']);
const endedStatuses = new Set(['cancelled', 'canceled', 'declined', 'expired']);
const setAsideStatuses = new Map<string, IgnoreReason>([
  ['ownerStay', 'owner-stay'],
  ['inquiry', 'inquiry'],
  ['inquiryPreapproved', 'inquiry'],
  ['inquiryDenied', 'inquiry'],
  ['inquiryTimedout', 'inquiry'],
  ['inquiryNotPossible', 'inquiry'],
  ['pending', 'not-confirmed'],
  ['awaitingPayment', 'not-confirmed'],
]);

const idSchema = z.union([z.int().positive(), z.string().trim().min(1).max(100)]).transform(String);
const text = z.string().nullish();
const hour = z.union([z.number(), z.string()]).nullish();

export const hostawayReservationSchema = z
  .object({
    id: idSchema,
    listingMapId: idSchema,
    status: z.string().min(1).max(50),
    arrivalDate: localDateSchema,
    departureDate: localDateSchema,
    isDatesUnspecified: z.union([z.number(), z.boolean()]).nullish(),
    checkInTime: hour,
    checkOutTime: hour,
    guestName: text,
    guestFirstName: text,
    guestLastName: text,
    guestEmail: text,
    phone: text,
    guestLocale: text,
    channelName: text,
    channelReservationId: text,
    confirmationCode: text,
    updatedOn: text,
    insertedOn: text,
  })
  .superRefine((reservation, context) => departureAfterArrival(reservation, context));
export type HostawayReservation = z.output<typeof hostawayReservationSchema>;

/** Hostaway's delivery as documented in the OpenAPI document (the reader is laxer: see `readHostawayWebhook`). */
export const hostawayWebhookSchema = z
  .object({
    object: z.literal('reservation').optional(),
    event: z.enum(hostawayReservationEvents),
    accountId: z.union([z.number(), z.string()]).optional(),
    data: hostawayReservationSchema,
  })
  .meta({
    id: 'HostawayReservationWebhook',
    description:
      'Hostaway’s unified webhook for reservations, sent with the Basic credentials the integration issued. Statuses new, modified and confirmed are bookings; cancelled, declined and expired end one; ownerStay, inquiries, pending and awaitingPayment are set aside (answered 200).',
  });

const envelopeSchema = z.object({
  event: z.string().min(1).max(100),
  data: z.unknown().optional(),
  payload: z.object({ data: z.unknown() }).optional(),
});

/**
 * Reads one Hostaway delivery. Throws InvalidInputError naming the fields when it is not a Hostaway
 * reservation event at all (a 400, nothing stored); other Hostaway events (messages) are set aside.
 */
export function readHostawayWebhook({
  body,
  receivedAt,
}: {
  body: unknown;
  receivedAt: Date;
}): AdapterOutcome {
  const envelope = parseInput({ schema: envelopeSchema, input: body, what: 'Hostaway webhook' });
  if (!(hostawayReservationEvents as readonly string[]).includes(envelope.event)) {
    return {
      kind: 'ignore',
      reason: 'unsupported-event',
      detail: `Hostaway event ${envelope.event.slice(0, 100)}`,
    };
  }
  const reservation = parseInput({
    schema: hostawayReservationSchema,
    input: envelope.data ?? envelope.payload?.data,
    what: 'Hostaway reservation',
  });
  return hostawayReservationOutcome({ reservation, receivedAt });
}

export function hostawayReservationOutcome({
  reservation,
  receivedAt,
}: {
  reservation: HostawayReservation;
  receivedAt: Date;
}): AdapterOutcome {
  const { status } = reservation;
  const setAside = setAsideStatuses.get(status);
  if (setAside) return { kind: 'ignore', reason: setAside, detail: `Hostaway status ${status}` };
  const booked = bookedStatuses.has(status);
  if (!booked && !endedStatuses.has(status)) {
    return {
      kind: 'ignore',
      reason: 'not-confirmed',
      detail: `Unknown Hostaway status ${status.slice(0, 50)}`,
    };
  }
  // Hostaway fills in yesterday's date when a channel gave none: not a stay anyone can be let in for.
  if (booked && (reservation.isDatesUnspecified === 1 || reservation.isDatesUnspecified === true)) {
    return { kind: 'ignore', reason: 'no-dates', detail: 'Hostaway reservation without dates' };
  }

  const warnings: string[] = [];
  const channel = bookingChannelOf(reservation.channelName);
  const code =
    channel === 'airbnb'
      ? (reservation.confirmationCode ?? reservation.channelReservationId)
      : (reservation.channelReservationId ?? reservation.confirmationCode);
  const base = {
    integration: 'hostaway' as const,
    reservationId: reservation.id,
    listing: { externalListingId: reservation.listingMapId },
    occurredAt:
      instantFrom(reservation.updatedOn) ?? instantFrom(reservation.insertedOn) ?? receivedAt.toISOString(),
    channelReference: channel && channel !== 'direct' && code ? { channel, code: code.trim() } : undefined,
  };
  const stay = {
    guest: guestFrom({
      fullName: reservation.guestName,
      firstName: reservation.guestFirstName,
      lastName: reservation.guestLastName,
      email: reservation.guestEmail,
      phone: reservation.phone,
      language: reservation.guestLocale,
      warnings,
    }),
    arrivalDate: reservation.arrivalDate,
    departureDate: reservation.departureDate,
    checkInTime: localTimeFrom({ value: reservation.checkInTime, what: 'check-in time', warnings }),
    checkOutTime: localTimeFrom({ value: reservation.checkOutTime, what: 'check-out time', warnings }),
  };
  const event: BookingEvent = booked
    ? { ...base, status: 'confirmed', stay }
    : { ...base, status: 'cancelled', stay, reason: `Hostaway status ${status}` };
  return { kind: 'booking', event, warnings };
}
