import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidInputError } from '#shared/domain/errors.ts';
import {
  type GenericWebhookEventInput,
  genericWebhookEventSchema,
  parseGenericWebhookEvent,
} from '#shared/integrations/generic-webhook.ts';

const created: GenericWebhookEventInput = {
  type: 'booking.created',
  version: 1,
  occurredAt: '2026-10-01T11:30:00+02:00',
  data: {
    reservationId: 'R-1042',
    propertyExternalId: 'villa-7',
    guest: { name: 'Ana Souza', email: 'ana@example.com', phone: '+55 11 91234-5678', language: 'pt-br' },
    arrivalDate: '2026-10-24',
    departureDate: '2026-10-27',
    checkInTime: '16:00',
    channel: { name: 'airbnb', reservationCode: 'HMABCD1234' },
  },
};

function problemsOf(body: unknown) {
  try {
    parseGenericWebhookEvent(body);
  } catch (error) {
    if (error instanceof InvalidInputError) return error.problems;
    throw error;
  }
  throw new Error('Expected the event to be refused');
}

describe('Lockstay’s generic booking events become booking events', () => {
  it('a booking.created event is a confirmed stay for the property the sender names', () => {
    expect(parseGenericWebhookEvent(created)).toEqual({
      integration: 'lockstay-webhook',
      reservationId: 'R-1042',
      listing: { externalListingId: 'villa-7' },
      occurredAt: '2026-10-01T09:30:00.000Z',
      channelReference: { channel: 'airbnb', code: 'HMABCD1234' },
      status: 'confirmed',
      stay: {
        guest: { name: 'Ana Souza', email: 'ana@example.com', phone: '+5511912345678', language: 'pt-BR' },
        arrivalDate: '2026-10-24',
        departureDate: '2026-10-27',
        checkInTime: '16:00',
        checkOutTime: undefined,
      },
    });
  });

  it('a booking.updated event carries the stay as it now stands', () => {
    const event = parseGenericWebhookEvent({
      ...created,
      type: 'booking.updated',
      data: { ...created.data, departureDate: '2026-10-28' },
    });

    expect(event.status).toBe('confirmed');
    expect(event.stay?.departureDate).toBe('2026-10-28');
  });

  it('a cancellation needs only the reservation and its property', () => {
    const event = parseGenericWebhookEvent({
      type: 'booking.cancelled',
      version: 1,
      occurredAt: '2026-10-02T08:00:00Z',
      data: { reservationId: 'R-1042', propertyId: 'prp_8f2k', reason: 'Guest cancelled' },
    });

    expect(event).toMatchObject({
      status: 'cancelled',
      reservationId: 'R-1042',
      listing: { propertyId: 'prp_8f2k' },
      reason: 'Guest cancelled',
    });
    expect(event.stay).toBeUndefined();
  });

  it('a guest without a language gets English, the domain’s default', () => {
    const event = parseGenericWebhookEvent({
      ...created,
      data: { ...created.data, guest: { name: 'Ana Souza' } },
    });

    expect(event.stay?.guest).toEqual({ name: 'Ana Souza', language: 'en' });
  });
});

describe('a malformed generic event is refused with the failing fields named', () => {
  it('an unknown event type is refused', () => {
    expect(problemsOf({ ...created, type: 'booking.deleted' })).toEqual([
      expect.objectContaining({ field: 'type' }),
    ]);
  });

  it('an unsupported schema version is refused', () => {
    expect(problemsOf({ ...created, version: 2 })).toEqual([expect.objectContaining({ field: 'version' })]);
  });

  it('a departure before the arrival is refused on departureDate', () => {
    expect(problemsOf({ ...created, data: { ...created.data, departureDate: '2026-10-24' } })).toEqual([
      { field: 'data.departureDate', message: 'Must be after the arrival date' },
    ]);
  });

  it('naming both a Lockstay property and an external one is refused', () => {
    expect(problemsOf({ ...created, data: { ...created.data, propertyId: 'prp_8f2k' } })).toEqual([
      { field: 'data.propertyId', message: 'Give exactly one of propertyId and propertyExternalId' },
    ]);
  });

  it('naming no property is refused', () => {
    const { propertyExternalId: _omitted, ...data } = created.data;

    expect(problemsOf({ ...created, data })).toEqual([expect.objectContaining({ field: 'data.propertyId' })]);
  });

  it('every bad field is named at once, not one per attempt', () => {
    const fields = problemsOf({
      ...created,
      occurredAt: 'yesterday',
      data: { ...created.data, arrivalDate: '24/10/2026', guest: { name: '', email: 'not-an-email' } },
    }).map(({ field }) => field);

    expect(fields).toEqual(
      expect.arrayContaining(['occurredAt', 'data.arrivalDate', 'data.guest.name', 'data.guest.email']),
    );
  });

  it.each([null, 'booking', 42, [], {}])('a body that is not an event object (%j) is refused', (body) => {
    expect(problemsOf(body).length).toBeGreaterThan(0);
  });
});

describe('the generic event schema is publishable', () => {
  it('converts to a JSON Schema with the three event types, as the OpenAPI document will show', () => {
    const schema = z.toJSONSchema(genericWebhookEventSchema, { io: 'input', target: 'openapi-3.0' });
    const text = JSON.stringify(schema);

    for (const type of ['booking.created', 'booking.updated', 'booking.cancelled'])
      expect(text).toContain(type);
    expect(text).toContain('occurredAt');
    expect(text).toContain('propertyExternalId');
  });
});
