/**
 * Guesty's reservation webhooks, read as booking events. Guesty posts
 * `{ "event": "reservation.created.v2" | "reservation.updated.v2", "reservation": {…} }` (the v2 events that
 * replace `reservation.new` and `reservation.updated`, which are read the same way while accounts migrate).
 * Stay dates are `checkInDateLocalized` / `checkOutDateLocalized`, already local to the listing; the guest
 * is the embedded `guest` object; `lastUpdatedAt` (or the envelope's `publishedAt`) orders deliveries.
 *
 * Statuses: `confirmed`, `checked_in` and `checked_out` are bookings; `canceled`, `declined`, `expired` and
 * `closed` end one; `inquiry` is a question and `reserved` / `awaiting_payment` a hold that is not a booking
 * yet; owner reservations (source `owner`) are the owner's own use of the home.
 */
import { z } from 'zod';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { localDateSchema } from '#shared/domain/local-time.ts';
import { parseInput } from '#shared/domain/validation.ts';
import type { AdapterOutcome, BookingEvent, IgnoreReason } from './booking-event.ts';
import { bookingChannelOf, guestFrom, instantFrom, localTimeFrom } from './channel-fields.ts';
import { departureAfterArrival } from './stay-dates.ts';

export const guestyReservationEvents = [
  'reservation.created.v2',
  'reservation.updated.v2',
  'reservation.new',
  'reservation.updated',
] as const;

const bookedStatuses = new Set(['confirmed', 'checked_in', 'checked_out']);
const endedStatuses = new Set(['canceled', 'cancelled', 'declined', 'expired', 'closed']);
const setAsideStatuses = new Map<string, IgnoreReason>([
  ['inquiry', 'inquiry'],
  ['reserved', 'not-confirmed'],
  ['awaiting_payment', 'not-confirmed'],
  ['pending', 'not-confirmed'],
]);

const id = z.string().trim().min(1).max(100);
const text = z.string().nullish();

export const guestyReservationSchema = z
  .object({
    _id: id.optional(),
    id: id.optional(),
    listingId: id,
    status: z.string().min(1).max(50),
    checkInDateLocalized: localDateSchema.nullish(),
    checkOutDateLocalized: localDateSchema.nullish(),
    plannedArrival: text,
    plannedDeparture: text,
    confirmationCode: text,
    source: text,
    integration: z.object({ platform: text }).nullish(),
    guest: z
      .object({
        fullName: text,
        firstName: text,
        lastName: text,
        email: text,
        phone: text,
        preferredLanguage: text,
      })
      .nullish(),
    lastUpdatedAt: text,
    createdAt: text,
  })
  .superRefine((reservation, context) => {
    if (reservation._id === undefined && reservation.id === undefined) {
      context.addIssue({ code: 'custom', path: ['_id'], message: 'The reservation has no id' });
    }
    departureAfterArrival(
      { arrivalDate: reservation.checkInDateLocalized, departureDate: reservation.checkOutDateLocalized },
      context,
      ['checkOutDateLocalized'],
    );
  });
export type GuestyReservation = z.output<typeof guestyReservationSchema>;

/** Guesty's delivery as documented in the OpenAPI document (the reader is laxer: see `readGuestyWebhook`). */
export const guestyWebhookSchema = z
  .object({
    event: z.enum(guestyReservationEvents),
    publishedAt: z.string().optional(),
    reservation: guestyReservationSchema,
  })
  .meta({
    id: 'GuestyReservationWebhook',
    description:
      'Guesty’s reservation webhook, signed by Guesty with the account’s secret (svix-id, svix-timestamp, svix-signature). Statuses confirmed, checked_in and checked_out are bookings; canceled, declined, expired and closed end one; inquiries, holds and owner reservations are set aside (answered 200).',
  });

const envelopeSchema = z.object({
  event: z.string().min(1).max(100).optional(),
  eventType: z.string().min(1).max(100).optional(),
  reservation: z.unknown().optional(),
  data: z.object({ reservation: z.unknown() }).partial().optional(),
  publishedAt: text,
});

/**
 * Reads one Guesty delivery. Throws InvalidInputError naming the fields when it is not a readable Guesty
 * reservation event (a 400, nothing stored); Guesty's other events are set aside.
 */
export function readGuestyWebhook({ body, receivedAt }: { body: unknown; receivedAt: Date }): AdapterOutcome {
  const envelope = parseInput({ schema: envelopeSchema, input: body, what: 'Guesty webhook' });
  const event = envelope.event ?? envelope.eventType ?? '';
  if (!(guestyReservationEvents as readonly string[]).includes(event)) {
    return {
      kind: 'ignore',
      reason: 'unsupported-event',
      detail: `Guesty event ${event.slice(0, 100) || '(none)'}`,
    };
  }
  const reservation = parseInput({
    schema: guestyReservationSchema,
    input: envelope.reservation ?? envelope.data?.reservation,
    what: 'Guesty reservation',
  });
  return guestyReservationOutcome({ reservation, publishedAt: envelope.publishedAt, receivedAt });
}

export function guestyReservationOutcome({
  reservation,
  publishedAt,
  receivedAt,
}: {
  reservation: GuestyReservation;
  publishedAt?: string | null | undefined;
  receivedAt: Date;
}): AdapterOutcome {
  const { status } = reservation;
  if (/owner/i.test(reservation.source ?? '')) {
    return { kind: 'ignore', reason: 'owner-stay', detail: `Guesty owner reservation (${status})` };
  }
  const setAside = setAsideStatuses.get(status);
  if (setAside) return { kind: 'ignore', reason: setAside, detail: `Guesty status ${status}` };
  const booked = bookedStatuses.has(status);
  if (!booked && !endedStatuses.has(status)) {
    return {
      kind: 'ignore',
      reason: 'not-confirmed',
      detail: `Unknown Guesty status ${status.slice(0, 50)}`,
    };
  }

  const arrivalDate = reservation.checkInDateLocalized;
  const departureDate = reservation.checkOutDateLocalized;
  const reservationId = reservation._id ?? reservation.id ?? '';
  const channel = bookingChannelOf(reservation.integration?.platform ?? reservation.source);
  const code = reservation.confirmationCode?.trim();
  const base = {
    integration: 'guesty' as const,
    reservationId,
    listing: { externalListingId: reservation.listingId },
    occurredAt:
      instantFrom(reservation.lastUpdatedAt) ?? instantFrom(publishedAt) ?? receivedAt.toISOString(),
    channelReference: channel && channel !== 'direct' && code ? { channel, code } : undefined,
  };
  if (!arrivalDate || !departureDate) {
    if (booked) {
      throw new InvalidInputError('The Guesty reservation is not valid', [
        { field: 'checkInDateLocalized', message: 'A confirmed reservation needs both stay dates' },
      ]);
    }
    const event: BookingEvent = { ...base, status: 'cancelled', reason: `Guesty status ${status}` };
    return { kind: 'booking', event, warnings: [] };
  }

  const warnings: string[] = [];
  const guest = reservation.guest ?? {};
  const stay = {
    guest: guestFrom({ ...guest, language: guest.preferredLanguage, warnings }),
    arrivalDate,
    departureDate,
    checkInTime: localTimeFrom({ value: reservation.plannedArrival, what: 'planned arrival', warnings }),
    checkOutTime: localTimeFrom({ value: reservation.plannedDeparture, what: 'planned departure', warnings }),
  };
  const event: BookingEvent = booked
    ? { ...base, status: 'confirmed', stay }
    : { ...base, status: 'cancelled', stay, reason: `Guesty status ${status}` };
  return { kind: 'booking', event, warnings };
}
