/**
 * When each kind of grant opens and closes. A booking's window is computed from the property's time zone,
 * its check-in and check-out times (or the booking's overrides) and the code buffers, so that a stay from
 * 24 to 27 October at a Berlin property opens at 15:00 Berlin time whatever the clocks did in between.
 *
 * Rules, in one place:
 * - Check-in is resolved with `earlier` and check-out with `later` (see local-time.ts): when a wall time is
 *   skipped or repeated by a daylight-saving change, the window is the wider of the two readings, so nobody is
 *   locked out by a clock change.
 * - Buffers are exact durations added to those instants (30 minutes is 30 real minutes, even across a change).
 * - Codes go to the locks a lead time before the window opens (buffer included); the guest email and the
 *   readiness check count back from check-in. Lead times are exact hours; work whose moment has passed is due
 *   at once.
 */
import type { Booking } from './booking.ts';
import { InvalidInputError } from './errors.ts';
import type { GrantWindow } from './grant.ts';
import {
  addHours,
  addMinutes,
  type IsoInstant,
  instantOf,
  isBefore,
  laterOf,
  zonedInstant,
} from './local-time.ts';
import type { Property, PropertyAccessTimes } from './property.ts';

export interface Stay {
  /** The instant the guest may arrive: arrival date at the check-in time, local. */
  readonly checkInAt: IsoInstant;
  /** The instant the guest must leave: departure date at the check-out time, local. */
  readonly checkOutAt: IsoInstant;
}

type StayTimes = Pick<Booking, 'arrivalDate' | 'departureDate' | 'checkInTime' | 'checkOutTime'>;

export function stayOf({ property, booking }: { property: PropertyAccessTimes; booking: StayTimes }): Stay {
  return {
    checkInAt: zonedInstant({
      date: booking.arrivalDate,
      time: booking.checkInTime ?? property.checkInTime,
      timeZone: property.timeZone,
      disambiguation: 'earlier',
    }),
    checkOutAt: zonedInstant({
      date: booking.departureDate,
      time: booking.checkOutTime ?? property.checkOutTime,
      timeZone: property.timeZone,
      disambiguation: 'later',
    }),
  };
}

/** The window of a booking's grant: the stay widened by the property's code buffers. */
export function bookingWindow({
  property,
  booking,
}: {
  property: PropertyAccessTimes;
  booking: StayTimes;
}): GrantWindow {
  const { checkInAt, checkOutAt } = stayOf({ property, booking });
  const window = {
    startsAt: addMinutes(checkInAt, -property.codeBufferBeforeMinutes),
    endsAt: addMinutes(checkOutAt, property.codeBufferAfterMinutes),
  };
  // Possible only with same-day overrides that put check-out before check-in.
  if (!isBefore(window.startsAt, window.endsAt)) {
    throw new InvalidInputError('The stay ends before it starts', [
      { field: 'checkOutTime', message: 'Check-out must be after check-in' },
    ]);
  }
  return window;
}

/**
 * A cleaner's window between a departing guest's check-out and the next guest's check-in. Without a next
 * booking it ends at the property's default check-in time on the departure day, when a next guest could
 * arrive; a window that would be empty is refused.
 */
export function turnoverWindow({
  property,
  departing,
  next,
}: {
  property: PropertyAccessTimes;
  departing: StayTimes;
  next?: StayTimes | undefined;
}): GrantWindow {
  const startsAt = stayOf({ property, booking: departing }).checkOutAt;
  const endsAt = next
    ? stayOf({ property, booking: next }).checkInAt
    : zonedInstant({
        date: departing.departureDate,
        time: property.checkInTime,
        timeZone: property.timeZone,
        disambiguation: 'earlier',
      });
  if (!isBefore(startsAt, endsAt)) {
    throw new InvalidInputError('There is no time between this check-out and the next check-in', [
      { field: 'afterBookingId', message: 'The next guest arrives before this one leaves' },
    ]);
  }
  return { startsAt, endsAt };
}

export const adHocDurations = {
  delivery: { defaultHours: 4, maxHours: 12 },
  emergency: { defaultHours: 24, maxHours: 72 },
} as const;

/** A window of `hours` from `startsAt` (a delivery, an emergency). */
export function windowOfHours({ startsAt, hours }: { startsAt: IsoInstant; hours: number }): GrantWindow {
  return { startsAt, endsAt: addHours(startsAt, hours) };
}

/** A permanent grant opens now and never closes by itself. */
export function permanentWindow({ now }: { now: Date }): GrantWindow {
  return { startsAt: instantOf(now), endsAt: null };
}

export interface StayMilestones {
  /** Codes go to the locks' shadows. */
  readonly pushCodesAt: IsoInstant;
  /** The guest's email with the link goes out. */
  readonly emailGuestAt: IsoInstant;
  /** Every code must be `set` by now, or the host is alerted and a fallback issued. */
  readonly readinessCheckAt: IsoInstant;
}

/** When the time-based work of a stay is due; anything already due is due `now`. */
export function stayMilestones({
  property,
  booking,
  now,
}: {
  property: Property;
  booking: StayTimes;
  now: Date;
}): StayMilestones {
  const { checkInAt } = stayOf({ property, booking });
  const window = bookingWindow({ property, booking });
  const notBeforeNow = (instant: IsoInstant) => laterOf(instant, instantOf(now));
  return {
    pushCodesAt: notBeforeNow(addHours(window.startsAt, -property.codePushLeadHours)),
    emailGuestAt: notBeforeNow(addHours(checkInAt, -property.guestEmailLeadHours)),
    readinessCheckAt: notBeforeNow(addHours(checkInAt, -property.readinessCheckHours)),
  };
}
