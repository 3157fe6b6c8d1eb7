import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BookingEvent, Stay } from '#shared/integrations/booking-event.ts';
import {
  type DeliveryAction,
  decideDelivery,
  type ReservationRecord,
} from '#shared/integrations/event-ordering.ts';

const stay: Stay = { guest: { name: 'Ana Souza' }, arrivalDate: '2026-10-24', departureDate: '2026-10-27' };

function confirmed(occurredAt: string, change: Partial<Stay> = {}): BookingEvent {
  return {
    integration: 'hostaway',
    reservationId: '48464658',
    listing: { externalListingId: '218666' },
    occurredAt,
    status: 'confirmed',
    stay: { ...stay, ...change },
  };
}

function cancelled(occurredAt: string): BookingEvent {
  return {
    integration: 'hostaway',
    reservationId: '48464658',
    listing: { externalListingId: '218666' },
    occurredAt,
    status: 'cancelled',
    stay,
  };
}

/** The stored side, reduced to what a guest would notice: is there a booking, for which stay. */
interface Stored {
  record?: ReservationRecord;
  booking?: { status: 'confirmed' | 'cancelled'; stay?: Stay | undefined };
  actions: DeliveryAction[];
}

function deliver(stored: Stored, event: BookingEvent): Stored {
  const decision = decideDelivery({ record: stored.record, event });
  if (decision.decision !== 'apply') return stored;
  const booking =
    decision.action === 'remember-cancellation'
      ? stored.booking
      : { status: event.status, stay: event.stay ?? stored.booking?.stay };
  return {
    record: { applied: decision.applied, booking: booking?.status ?? 'none' },
    booking,
    actions: [...stored.actions, decision.action],
  };
}

function deliverAll(events: readonly BookingEvent[]): Stored {
  return events.reduce(deliver, { actions: [] } as Stored);
}

const created = confirmed('2026-09-14T18:02:15.000Z');
const extended = confirmed('2026-09-20T08:00:00.000Z', { departureDate: '2026-10-28' });
const cancellation = cancelled('2026-10-02T07:41:09.000Z');

describe('deliveries in order', () => {
  it('the first confirmed state creates the booking', () => {
    expect(decideDelivery({ event: created })).toMatchObject({ decision: 'apply', action: 'create' });
  });

  it('a newer state modifies it and a newer cancellation cancels it', () => {
    expect(deliverAll([created, extended, cancellation]).actions).toEqual(['create', 'modify', 'cancel']);
  });

  it('the same event delivered again is a duplicate', () => {
    const stored = deliverAll([created]);

    expect(decideDelivery({ record: stored.record, event: created })).toEqual({ decision: 'duplicate' });
  });

  it('a replay of the same state from another delivery path (same time, same details) is a duplicate too', () => {
    const stored = deliverAll([created]);
    const sameStateAgain = { ...created, stay: { ...stay, guest: { name: 'Ana Souza' } } };

    expect(decideDelivery({ record: stored.record, event: sameStateAgain })).toEqual({
      decision: 'duplicate',
    });
  });
});

describe('deliveries out of order end in the newest state', () => {
  it('an old update arriving after a newer one is ignored', () => {
    const stored = deliverAll([created, extended]);

    expect(decideDelivery({ record: stored.record, event: created })).toEqual({ decision: 'ignore-older' });
  });

  it('a cancellation that arrives before its creation ends cancelled, with no booking ever made', () => {
    const stored = deliverAll([cancellation, created, extended]);

    expect(stored.actions).toEqual(['remember-cancellation']);
    expect(stored.booking).toBeUndefined();
    expect(stored.record?.applied.status).toBe('cancelled');
  });

  it('a creation arriving after the update that followed it is ignored; the update already made the booking', () => {
    const stored = deliverAll([extended, created]);

    expect(stored.actions).toEqual(['create']);
    expect(stored.booking?.stay?.departureDate).toBe('2026-10-28');
  });

  it('a reservation confirmed again after its cancellation asks for a reinstatement', () => {
    const reconfirmed = confirmed('2026-10-03T09:00:00.000Z');

    expect(deliverAll([created, cancellation, reconfirmed]).actions).toEqual([
      'create',
      'cancel',
      'reinstate',
    ]);
  });

  it('a cancellation and a confirmation stamped with the same instant end cancelled, in either order', () => {
    const at = '2026-10-02T07:41:09.000Z';
    const both = [confirmed(at), cancelled(at)];

    expect(deliverAll(both).booking?.status).toBe('cancelled');
    expect(deliverAll([...both].reverse()).record?.applied.status).toBe('cancelled');
  });

  it('any order of any deliveries, repeated or not, ends in the state of the newest event', () => {
    const instants = fc
      .integer({ min: 0, max: 20 })
      .map((minute) => new Date(Date.UTC(2026, 8, 14, 18, minute)).toISOString());
    const anEvent = fc.oneof(
      fc
        .record({ at: instants, night: fc.integer({ min: 25, max: 30 }) })
        .map(({ at, night }) => confirmed(at, { departureDate: `2026-10-${night}` })),
      instants.map(cancelled),
    );
    fc.assert(
      fc.property(
        fc
          .array(anEvent, { minLength: 1, maxLength: 8 })
          .chain((events) =>
            fc.tuple(
              fc.constant(events),
              fc.shuffledSubarray([...events, ...events], { minLength: 2 * events.length }),
            ),
          ),
        ([events, deliveries]) => {
          const inOrder = deliverAll(events.toSorted((a, b) => a.occurredAt.localeCompare(b.occurredAt)));
          const shuffled = deliverAll(deliveries);

          expect(shuffled.record?.applied).toEqual(inOrder.record?.applied);
          if (shuffled.record?.applied.status === 'confirmed') {
            expect(shuffled.booking).toEqual(inOrder.booking);
          } else {
            expect(shuffled.booking?.status ?? 'none').not.toBe('confirmed');
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
