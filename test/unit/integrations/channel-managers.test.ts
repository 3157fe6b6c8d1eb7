import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '#shared/domain/errors.ts';
import type { AdapterOutcome, BookingEvent } from '#shared/integrations/booking-event.ts';
import { readGuestyWebhook } from '#shared/integrations/guesty.ts';
import { readHostawayWebhook } from '#shared/integrations/hostaway.ts';
import { fixtureJson } from './fixtures.ts';

interface HostawayBody {
  event: string;
  data: Record<string, unknown>;
}
interface GuestyBody {
  event: string;
  reservation: Record<string, unknown>;
}

const receivedAt = new Date('2026-10-05T12:00:00Z');

function eventOf(outcome: AdapterOutcome): BookingEvent {
  if (outcome.kind !== 'booking') throw new Error(`Expected a booking, got: ${outcome.detail}`);
  return outcome.event;
}

function refusal(read: () => unknown): InvalidInputError {
  try {
    read();
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error('Expected the payload to be refused');
}

function hostaway(change: (body: HostawayBody) => void = () => {}): HostawayBody {
  const body = fixtureJson<HostawayBody>('hostaway-reservation-created.json');
  change(body);
  return body;
}

function guesty(change: (body: GuestyBody) => void = () => {}): GuestyBody {
  const body = fixtureJson<GuestyBody>('guesty-reservation-created-v2.json');
  change(body);
  return body;
}

describe('Hostaway reservations become bookings', () => {
  it('a new Airbnb reservation through Hostaway is a confirmed stay with the guest’s details and hours', () => {
    const outcome = readHostawayWebhook({ body: hostaway(), receivedAt });

    expect(outcome).toEqual({
      kind: 'booking',
      warnings: [],
      event: {
        integration: 'hostaway',
        reservationId: '48464658',
        listing: { externalListingId: '218666' },
        occurredAt: '2026-09-14T18:02:15.000Z',
        channelReference: { channel: 'airbnb', code: 'HMQ4X2ZB8N' },
        status: 'confirmed',
        stay: {
          guest: {
            name: 'Ana Souza',
            email: 'ana.souza.8807335190@guest.airbnb.com',
            phone: '+5511912345678',
            language: 'pt',
          },
          arrivalDate: '2026-10-24',
          departureDate: '2026-10-27',
          checkInTime: '16:00',
          checkOutTime: '10:00',
        },
      },
    });
  });

  it('a modified reservation carries its new dates, ordered by updatedOn', () => {
    const event = eventOf(
      readHostawayWebhook({
        body: hostaway((body) => {
          body.event = 'reservation.updated';
          Object.assign(body.data, {
            status: 'modified',
            departureDate: '2026-10-28',
            updatedOn: '2026-09-20 08:00:00',
          });
        }),
        receivedAt,
      }),
    );

    expect(event).toMatchObject({ status: 'confirmed', occurredAt: '2026-09-20T08:00:00.000Z' });
    expect(event.stay?.departureDate).toBe('2026-10-28');
  });

  it('a cancelled reservation is a cancellation of the same reservation', () => {
    const event = eventOf(
      readHostawayWebhook({ body: fixtureJson('hostaway-reservation-cancelled.json'), receivedAt }),
    );

    expect(event).toMatchObject({
      status: 'cancelled',
      reservationId: '48464658',
      occurredAt: '2026-10-02T07:41:09.000Z',
      reason: 'Hostaway status cancelled',
    });
  });

  it('an owner stay is not a guest booking', () => {
    expect(readHostawayWebhook({ body: fixtureJson('hostaway-owner-stay.json'), receivedAt })).toEqual({
      kind: 'ignore',
      reason: 'owner-stay',
      detail: 'Hostaway status ownerStay',
    });
  });

  it.each([
    ['inquiry', 'inquiry'],
    ['inquiryPreapproved', 'inquiry'],
    ['pending', 'not-confirmed'],
    ['awaitingPayment', 'not-confirmed'],
    ['somethingNew', 'not-confirmed'],
  ])('a reservation with status %s is set aside as %s', (status, reason) => {
    const outcome = readHostawayWebhook({
      body: hostaway((body) => Object.assign(body.data, { status })),
      receivedAt,
    });

    expect(outcome).toMatchObject({ kind: 'ignore', reason });
  });

  it('a reservation whose channel gave no dates is set aside', () => {
    const outcome = readHostawayWebhook({
      body: hostaway((body) => Object.assign(body.data, { isDatesUnspecified: 1 })),
      receivedAt,
    });

    expect(outcome).toMatchObject({ kind: 'ignore', reason: 'no-dates' });
  });

  it('Hostaway’s other events (guest messages) are set aside, not refused', () => {
    const outcome = readHostawayWebhook({
      body: { object: 'conversationMessage', event: 'message.received', data: { id: 1 } },
      receivedAt,
    });

    expect(outcome).toMatchObject({ kind: 'ignore', reason: 'unsupported-event' });
  });

  it('a reservation nested as payload.data, as some accounts send it, is read the same', () => {
    const { data, ...envelope } = hostaway();

    expect(
      eventOf(readHostawayWebhook({ body: { ...envelope, payload: { data } }, receivedAt })).reservationId,
    ).toBe('48464658');
  });

  it('a guest known only by first and last name gets them joined', () => {
    const event = eventOf(
      readHostawayWebhook({
        body: hostaway((body) => Object.assign(body.data, { guestName: null })),
        receivedAt,
      }),
    );

    expect(event.stay?.guest.name).toBe('Ana Souza');
  });

  it('an unusable phone number is dropped with a warning, and the booking still comes through', () => {
    const outcome = readHostawayWebhook({
      body: hostaway((body) => Object.assign(body.data, { phone: 'ask at desk', checkInTime: 25 })),
      receivedAt,
    });

    expect(outcome.kind).toBe('booking');
    if (outcome.kind !== 'booking') return;
    expect(outcome.event.stay?.guest.phone).toBeUndefined();
    expect(outcome.event.stay?.checkInTime).toBeUndefined();
    expect(outcome.warnings).toEqual([
      "The guest's phone is not usable and was left out",
      'The check-in time "25" is not a time of day; the property\'s default applies',
    ]);
  });

  it('without updatedOn the delivery is ordered by when it was received', () => {
    const event = eventOf(
      readHostawayWebhook({
        body: hostaway((body) => Object.assign(body.data, { updatedOn: null, insertedOn: null })),
        receivedAt,
      }),
    );

    expect(event.occurredAt).toBe('2026-10-05T12:00:00.000Z');
  });

  it('a reservation without dates or listing is refused, naming the fields', () => {
    const error = refusal(() =>
      readHostawayWebhook({
        body: hostaway((body) => {
          delete body.data.arrivalDate;
          body.data.listingMapId = null;
        }),
        receivedAt,
      }),
    );

    expect(error.problems.map(({ field }) => field)).toEqual(
      expect.arrayContaining(['listingMapId', 'arrivalDate']),
    );
  });

  it('a departure before the arrival is refused', () => {
    const error = refusal(() =>
      readHostawayWebhook({
        body: hostaway((body) => Object.assign(body.data, { departureDate: '2026-10-20' })),
        receivedAt,
      }),
    );

    expect(error.problems).toEqual([{ field: 'departureDate', message: 'Must be after the arrival date' }]);
  });
});

describe('Guesty reservations become bookings', () => {
  it('a confirmed reservation.created.v2 is a confirmed stay, with the guest’s planned times', () => {
    expect(readGuestyWebhook({ body: guesty(), receivedAt })).toEqual({
      kind: 'booking',
      warnings: [],
      event: {
        integration: 'guesty',
        reservationId: '66e5d1f2a4c8b10013f2e9a1',
        listing: { externalListingId: '64b7e2c1f0a9d3001245ef78' },
        occurredAt: '2026-09-14T18:02:15.004Z',
        channelReference: { channel: 'airbnb', code: 'HMW7P3KD2Q' },
        status: 'confirmed',
        stay: {
          guest: {
            name: 'Lukas Brandt',
            email: 'lukas.brandt@example.de',
            phone: '+491701234567',
            language: 'de',
          },
          arrivalDate: '2026-10-24',
          departureDate: '2026-10-27',
          checkInTime: '17:30',
          checkOutTime: '10:00',
        },
      },
    });
  });

  it('a canceled reservation.updated.v2 cancels the same reservation', () => {
    const event = eventOf(
      readGuestyWebhook({ body: fixtureJson('guesty-reservation-updated-v2-canceled.json'), receivedAt }),
    );

    expect(event).toMatchObject({
      status: 'cancelled',
      reservationId: '66e5d1f2a4c8b10013f2e9a1',
      occurredAt: '2026-10-02T07:41:08.551Z',
    });
  });

  it.each([
    ['inquiry', 'inquiry'],
    ['reserved', 'not-confirmed'],
    ['awaiting_payment', 'not-confirmed'],
  ])('a reservation with status %s is set aside as %s', (status, reason) => {
    const outcome = readGuestyWebhook({
      body: guesty((body) => Object.assign(body.reservation, { status })),
      receivedAt,
    });

    expect(outcome).toMatchObject({ kind: 'ignore', reason });
  });

  it('an owner reservation is not a guest booking', () => {
    const outcome = readGuestyWebhook({
      body: guesty((body) => Object.assign(body.reservation, { source: 'owner', integration: null })),
      receivedAt,
    });

    expect(outcome).toMatchObject({ kind: 'ignore', reason: 'owner-stay' });
  });

  it.each(['checked_in', 'checked_out'])('a %s reservation is still a booking', (status) => {
    const event = eventOf(
      readGuestyWebhook({ body: guesty((body) => Object.assign(body.reservation, { status })), receivedAt }),
    );

    expect(event.status).toBe('confirmed');
  });

  it('the legacy reservation.updated event is read the same while accounts migrate', () => {
    const event = eventOf(
      readGuestyWebhook({
        body: guesty((body) => Object.assign(body, { event: 'reservation.updated' })),
        receivedAt,
      }),
    );

    expect(event.reservationId).toBe('66e5d1f2a4c8b10013f2e9a1');
  });

  it('a reservation nested under data, with the event in eventType, is read the same', () => {
    const { reservation } = guesty();

    const event = eventOf(
      readGuestyWebhook({ body: { eventType: 'reservation.updated.v2', data: { reservation } }, receivedAt }),
    );

    expect(event.status).toBe('confirmed');
  });

  it('a Booking.com reservation is matched by its Booking.com number', () => {
    const event = eventOf(
      readGuestyWebhook({
        body: guesty((body) =>
          Object.assign(body.reservation, {
            source: 'Booking.com',
            integration: { platform: 'bookingCom' },
            confirmationCode: '4127719532',
          }),
        ),
        receivedAt,
      }),
    );

    expect(event.channelReference).toEqual({ channel: 'booking.com', code: '4127719532' });
  });

  it('Guesty’s listing and task events are set aside', () => {
    expect(readGuestyWebhook({ body: { event: 'listing.updated', listing: {} }, receivedAt })).toMatchObject({
      kind: 'ignore',
      reason: 'unsupported-event',
    });
  });

  it('a confirmed reservation without stay dates is refused', () => {
    const error = refusal(() =>
      readGuestyWebhook({
        body: guesty((body) => {
          delete body.reservation.checkInDateLocalized;
        }),
        receivedAt,
      }),
    );

    expect(error.problems[0]?.field).toBe('checkInDateLocalized');
  });

  it('a cancellation without stay dates is still a cancellation', () => {
    const event = eventOf(
      readGuestyWebhook({
        body: guesty((body) => {
          body.reservation.status = 'canceled';
          delete body.reservation.checkInDateLocalized;
          delete body.reservation.checkOutDateLocalized;
        }),
        receivedAt,
      }),
    );

    expect(event).toMatchObject({ status: 'cancelled', reservationId: '66e5d1f2a4c8b10013f2e9a1' });
    expect(event.stay).toBeUndefined();
  });

  it('a reservation without an id is refused', () => {
    const error = refusal(() =>
      readGuestyWebhook({
        body: guesty((body) => {
          delete body.reservation._id;
        }),
        receivedAt,
      }),
    );

    expect(error.problems).toEqual([{ field: '_id', message: 'The reservation has no id' }]);
  });

  it('a guest with no name at all is called "Guest", with a warning', () => {
    const outcome = readGuestyWebhook({
      body: guesty((body) => Object.assign(body.reservation, { guest: { email: 'x@example.com' } })),
      receivedAt,
    });

    expect(outcome).toMatchObject({ kind: 'booking', warnings: ['The guest has no name; "Guest" is used'] });
    expect(eventOf(outcome).stay?.guest.name).toBe('Guest');
  });
});
