/**
 * Lockstay's own booking webhook: the documented, versioned events a PMS or a host's script sends to the
 * generic endpoint, signed the Standard Webhooks way. The zod schemas here are the contract: the endpoint
 * validates with them and the OpenAPI document is generated from them, so the two cannot drift.
 *
 * Version 1, one event per delivery:
 *
 *     { "type": "booking.created", "version": 1, "occurredAt": "2026-10-01T09:30:00Z",
 *       "data": { "reservationId": "R-1042", "propertyExternalId": "villa-7",
 *                 "guest": { "name": "Ana Souza", "email": "ana@example.com", "language": "pt-BR" },
 *                 "arrivalDate": "2026-10-24", "departureDate": "2026-10-27" } }
 *
 * `occurredAt` is when the reservation took this state at the sender; the newest state wins, whatever order
 * deliveries come in. A cancellation needs only the reservation and its property.
 */
import { z } from 'zod';
import { guestSchema } from '#shared/domain/booking.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { instantSchema, localDateSchema, localTimeSchema } from '#shared/domain/local-time.ts';
import { problemsOf } from '#shared/domain/validation.ts';
import { type BookingEvent, bookingChannels, type ListingReference, type Stay } from './booking-event.ts';
import { departureAfterArrival } from './stay-dates.ts';

export const genericWebhookVersions = [1] as const;

const reservationIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .describe('Your id of the reservation; every event about it carries the same one');

const propertyShape = {
  propertyId: z.string().min(1).max(100).optional().describe('Lockstay’s id of the property'),
  propertyExternalId: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe('Your id of the property, mapped to a Lockstay property by the host'),
};

const channelSchema = z
  .object({
    name: z.enum(bookingChannels).describe('Where the guest booked'),
    reservationCode: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .describe('The channel’s confirmation code, e.g. an Airbnb HM… code'),
  })
  .describe('Lets Lockstay recognise the same stay arriving from an iCal feed too');

const stayShape = {
  guest: guestSchema.describe('The guest who receives the access code'),
  arrivalDate: localDateSchema,
  departureDate: localDateSchema.describe('The day the guest leaves, local date at the property'),
  checkInTime: localTimeSchema.optional().describe('Overrides the property’s check-in time for this stay'),
  checkOutTime: localTimeSchema.optional().describe('Overrides the property’s check-out time for this stay'),
};

function exactlyOneProperty(
  data: { propertyId?: string | undefined; propertyExternalId?: string | undefined },
  context: z.core.$RefinementCtx,
) {
  if ((data.propertyId === undefined) === (data.propertyExternalId === undefined)) {
    context.addIssue({
      code: 'custom',
      path: ['propertyId'],
      message: 'Give exactly one of propertyId and propertyExternalId',
    });
  }
}

export const bookingDetailsSchema = z
  .object({
    reservationId: reservationIdSchema,
    ...propertyShape,
    ...stayShape,
    channel: channelSchema.optional(),
  })
  .superRefine((data, context) => {
    exactlyOneProperty(data, context);
    departureAfterArrival(data, context);
  })
  .meta({ id: 'BookingDetails', description: 'A reservation as it stands after the event' });

export const cancellationDetailsSchema = z
  .object({
    reservationId: reservationIdSchema,
    ...propertyShape,
    reason: z.string().trim().max(500).optional().describe('Shown to the host in the audit log'),
    channel: channelSchema.optional(),
  })
  .superRefine(exactlyOneProperty)
  .meta({ id: 'CancellationDetails', description: 'The reservation that was cancelled' });

const envelopeShape = {
  version: z.literal(genericWebhookVersions).describe('The version of this event schema'),
  occurredAt: instantSchema.describe(
    'When the reservation took this state at the sender (ISO 8601 with offset); orders deliveries',
  ),
};

export const bookingCreatedEventSchema = z
  .object({ type: z.literal('booking.created'), ...envelopeShape, data: bookingDetailsSchema })
  .meta({ id: 'BookingCreatedEvent', description: 'A new reservation' });

export const bookingUpdatedEventSchema = z
  .object({ type: z.literal('booking.updated'), ...envelopeShape, data: bookingDetailsSchema })
  .meta({ id: 'BookingUpdatedEvent', description: 'A changed reservation: dates, times or guest details' });

export const bookingCancelledEventSchema = z
  .object({ type: z.literal('booking.cancelled'), ...envelopeShape, data: cancellationDetailsSchema })
  .meta({
    id: 'BookingCancelledEvent',
    description: 'A cancelled reservation: the guest’s access is revoked',
  });

export const genericWebhookEventSchema = z
  .discriminatedUnion('type', [
    bookingCreatedEventSchema,
    bookingUpdatedEventSchema,
    bookingCancelledEventSchema,
  ])
  .meta({ id: 'BookingWebhookEvent', description: 'An event sent to Lockstay’s generic booking webhook' });

export type GenericWebhookEventInput = z.input<typeof genericWebhookEventSchema>;
export type GenericWebhookEvent = z.output<typeof genericWebhookEventSchema>;

/**
 * Parses a generic webhook body (already JSON-decoded) into a BookingEvent, or throws InvalidInputError
 * naming every failing field (a 400: the sender's mistake, nothing is stored).
 */
export function parseGenericWebhookEvent(body: unknown): BookingEvent {
  const parsed = genericWebhookEventSchema.safeParse(body);
  if (!parsed.success) {
    throw new InvalidInputError('The booking event is not valid', problemsOf(parsed.error));
  }
  const event = parsed.data;
  const { data } = event;
  const base = {
    integration: 'lockstay-webhook' as const,
    reservationId: data.reservationId,
    listing: listingOf(data),
    occurredAt: event.occurredAt,
    channelReference: data.channel
      ? { channel: data.channel.name, code: data.channel.reservationCode }
      : undefined,
  };
  if (event.type === 'booking.cancelled') {
    return { ...base, status: 'cancelled', reason: event.data.reason };
  }
  const details = event.data;
  const stay: Stay = {
    guest: details.guest,
    arrivalDate: details.arrivalDate,
    departureDate: details.departureDate,
    checkInTime: details.checkInTime,
    checkOutTime: details.checkOutTime,
  };
  return { ...base, status: 'confirmed', stay };
}

function listingOf(data: { propertyId?: string | undefined; propertyExternalId?: string | undefined }) {
  const reference: ListingReference =
    data.propertyId !== undefined
      ? { propertyId: data.propertyId }
      : { externalListingId: data.propertyExternalId ?? '' };
  return reference;
}
