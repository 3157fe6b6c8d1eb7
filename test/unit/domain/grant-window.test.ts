import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { bookingWindow, stayMilestones, stayOf, turnoverWindow } from '#shared/domain/grant-window.ts';
import type { Property, PropertyAccessTimes } from '#shared/domain/property.ts';

const berlin: PropertyAccessTimes = {
  timeZone: 'Europe/Berlin',
  checkInTime: '15:00',
  checkOutTime: '11:00',
  codeBufferBeforeMinutes: 0,
  codeBufferAfterMinutes: 0,
};
const newYork: PropertyAccessTimes = { ...berlin, timeZone: 'America/New_York' };

describe('a booking grant opens at check-in and closes at check-out, local time', () => {
  it('a stay across the October DST change still opens at 15:00 Berlin time and closes at 11:00', () => {
    const window = bookingWindow({
      property: berlin,
      booking: { arrivalDate: '2026-10-24', departureDate: '2026-10-27' },
    });
    expect(window).toEqual({ startsAt: '2026-10-24T13:00:00.000Z', endsAt: '2026-10-27T10:00:00.000Z' });
  });

  it('a stay across the March DST change in Berlin keeps its local times', () => {
    const window = bookingWindow({
      property: berlin,
      booking: { arrivalDate: '2026-03-28', departureDate: '2026-03-30' },
    });
    expect(window).toEqual({ startsAt: '2026-03-28T14:00:00.000Z', endsAt: '2026-03-30T09:00:00.000Z' });
  });

  it('a New York stay over the November change opens at 15:00 EDT and closes at 11:00 EST', () => {
    const window = bookingWindow({
      property: newYork,
      booking: { arrivalDate: '2026-10-31', departureDate: '2026-11-02' },
    });
    expect(window).toEqual({ startsAt: '2026-10-31T19:00:00.000Z', endsAt: '2026-11-02T16:00:00.000Z' });
  });

  it('a New York stay over the March change opens at 16:00 EST and closes at 10:00 EDT', () => {
    const window = bookingWindow({
      property: { ...newYork, checkInTime: '16:00', checkOutTime: '10:00' },
      booking: { arrivalDate: '2026-03-07', departureDate: '2026-03-09' },
    });
    expect(window).toEqual({ startsAt: '2026-03-07T21:00:00.000Z', endsAt: '2026-03-09T14:00:00.000Z' });
  });

  it('a Sydney stay over the southern spring change keeps its local times too', () => {
    const window = bookingWindow({
      property: { ...berlin, timeZone: 'Australia/Sydney', checkOutTime: '10:00' },
      booking: { arrivalDate: '2026-10-03', departureDate: '2026-10-05' },
    });
    expect(window).toEqual({ startsAt: '2026-10-03T05:00:00.000Z', endsAt: '2026-10-04T23:00:00.000Z' });
  });

  it('a property without daylight saving (Kolkata, +05:30) opens at 15:00 local', () => {
    const { startsAt } = bookingWindow({
      property: { ...berlin, timeZone: 'Asia/Kolkata' },
      booking: { arrivalDate: '2026-10-24', departureDate: '2026-10-25' },
    });
    expect(startsAt).toBe('2026-10-24T09:30:00.000Z');
  });

  it("the booking's early check-in and late check-out override the property's times", () => {
    const window = bookingWindow({
      property: berlin,
      booking: {
        arrivalDate: '2026-10-24',
        departureDate: '2026-10-27',
        checkInTime: '12:00',
        checkOutTime: '14:00',
      },
    });
    expect(window).toEqual({ startsAt: '2026-10-24T10:00:00.000Z', endsAt: '2026-10-27T13:00:00.000Z' });
  });

  it('the code works from the buffer before check-in until the buffer after check-out', () => {
    const window = bookingWindow({
      property: { ...berlin, codeBufferBeforeMinutes: 30, codeBufferAfterMinutes: 60 },
      booking: { arrivalDate: '2026-10-24', departureDate: '2026-10-27' },
    });
    expect(window).toEqual({ startsAt: '2026-10-24T12:30:00.000Z', endsAt: '2026-10-27T11:00:00.000Z' });
  });

  it('a buffer is counted in real minutes, even across the clock change', () => {
    // Check-out 01:00 CEST on the night of the change; two hours later the wall clock shows 02:00 CET.
    const { endsAt } = bookingWindow({
      property: { ...berlin, checkOutTime: '01:00', codeBufferAfterMinutes: 120 },
      booking: { arrivalDate: '2026-10-23', departureDate: '2026-10-25' },
    });
    expect(endsAt).toBe('2026-10-25T01:00:00.000Z');
  });
});

describe('check-in or check-out at an hour the clocks skip or repeat: the window is the wider reading', () => {
  it('check-in at 02:30 on the Berlin spring-forward night opens at 01:30 CET, before the gap', () => {
    const { startsAt } = bookingWindow({
      property: { ...berlin, checkInTime: '02:30' },
      booking: { arrivalDate: '2026-03-29', departureDate: '2026-03-30' },
    });
    expect(startsAt).toBe('2026-03-29T00:30:00.000Z');
  });

  it('check-out at 02:30 on the Berlin spring-forward night closes at 03:30 CEST, after the gap', () => {
    const { endsAt } = bookingWindow({
      property: { ...berlin, checkOutTime: '02:30' },
      booking: { arrivalDate: '2026-03-27', departureDate: '2026-03-29' },
    });
    expect(endsAt).toBe('2026-03-29T01:30:00.000Z');
  });

  it('check-in at 01:30 on the New York fall-back night opens at the first 01:30 (EDT)', () => {
    const { checkInAt } = stayOf({
      property: { ...newYork, checkInTime: '01:30' },
      booking: { arrivalDate: '2026-11-01', departureDate: '2026-11-02' },
    });
    expect(checkInAt).toBe('2026-11-01T05:30:00.000Z');
  });

  it('check-out at 01:30 on the New York fall-back night closes at the second 01:30 (EST)', () => {
    const { checkOutAt } = stayOf({
      property: { ...newYork, checkOutTime: '01:30' },
      booking: { arrivalDate: '2026-10-30', departureDate: '2026-11-01' },
    });
    expect(checkOutAt).toBe('2026-11-01T06:30:00.000Z');
  });
});

describe('a window that would end before it starts is refused', () => {
  it('overrides may make a short night, but never a check-out before the check-in', () => {
    expect(() =>
      bookingWindow({
        property: berlin,
        booking: {
          arrivalDate: '2026-10-24',
          departureDate: '2026-10-25',
          checkInTime: '23:00',
          checkOutTime: '22:00',
        },
      }),
    ).not.toThrow();
    expect(() =>
      bookingWindow({
        property: { ...berlin, codeBufferBeforeMinutes: 0 },
        booking: { arrivalDate: '2026-10-24', departureDate: '2026-10-24', checkOutTime: '10:00' },
      }),
    ).toThrow(InvalidInputError);
  });
});

describe("a cleaner's turnover window", () => {
  const departing = { arrivalDate: '2026-10-24', departureDate: '2026-10-27' };

  it('runs from the departing guest check-out to the next guest check-in', () => {
    const window = turnoverWindow({
      property: berlin,
      departing,
      next: { arrivalDate: '2026-10-27', departureDate: '2026-10-30', checkInTime: '16:00' },
    });
    expect(window).toEqual({ startsAt: '2026-10-27T10:00:00.000Z', endsAt: '2026-10-27T15:00:00.000Z' });
  });

  it('without a next booking, ends at the default check-in time of the departure day', () => {
    expect(turnoverWindow({ property: berlin, departing })).toEqual({
      startsAt: '2026-10-27T10:00:00.000Z',
      endsAt: '2026-10-27T14:00:00.000Z',
    });
  });

  it('is refused when the next guest arrives before this one leaves', () => {
    expect(() =>
      turnoverWindow({
        property: berlin,
        departing,
        next: { arrivalDate: '2026-10-27', departureDate: '2026-10-29', checkInTime: '10:00' },
      }),
    ).toThrow(InvalidInputError);
  });
});

describe('when the work of a stay is due', () => {
  const property = {
    ...berlin,
    codeBufferBeforeMinutes: 60,
    codePushLeadHours: 48,
    guestEmailLeadHours: 72,
    readinessCheckHours: 6,
  } as Property;
  const booking = { arrivalDate: '2026-10-24', departureDate: '2026-10-27' };

  it('codes go out a lead time before the window, the email and readiness check before check-in', () => {
    expect(stayMilestones({ property, booking, now: new Date('2026-10-01T00:00:00Z') })).toEqual({
      pushCodesAt: '2026-10-22T12:00:00.000Z',
      emailGuestAt: '2026-10-21T13:00:00.000Z',
      readinessCheckAt: '2026-10-24T07:00:00.000Z',
    });
  });

  it('for a late booking, everything already due is due now', () => {
    const now = new Date('2026-10-24T09:00:00Z');
    expect(stayMilestones({ property, booking, now })).toEqual({
      pushCodesAt: '2026-10-24T09:00:00.000Z',
      emailGuestAt: '2026-10-24T09:00:00.000Z',
      readinessCheckAt: '2026-10-24T09:00:00.000Z',
    });
  });
});
