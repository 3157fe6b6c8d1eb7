/**
 * A guest's stay at a property, as entered by hand or received from a booking channel. Dates are local to the
 * property (a stay "from 24 to 27 October"); times default to the property's check-in and check-out times and
 * may be overridden per booking (early check-in, late check-out). A booking from a channel is identified by
 * its source and the source's reservation id: the same reservation delivered twice is one booking.
 */
import { z } from 'zod';
import { sameData, type Versioned } from './entity.ts';
import { InvalidInputError } from './errors.ts';
import {
  daysBetween,
  type IsoInstant,
  type LocalDate,
  type LocalTime,
  localDateSchema,
  localTimeSchema,
} from './local-time.ts';

export const bookingSources = ['manual', 'webhook', 'ical'] as const;
export type BookingSource = (typeof bookingSources)[number];

export const bookingStatuses = ['confirmed', 'cancelled'] as const;
export type BookingStatus = (typeof bookingStatuses)[number];

/** Longer stays are leases, not bookings, and a typo in a year should not give a code for a decade. */
export const maxStayNights = 365;

const phoneSchema = z
  .string()
  .transform((raw) => raw.replace(/[\s().-]/g, ''))
  .pipe(
    z
      .string()
      .regex(/^\+?\d{6,15}$/, 'Must be a phone number, ideally with its country code: +49 30 1234567'),
  );

const languageSchema = z.string().transform((tag, context) => {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    if (canonical) return canonical;
  } catch {
    // reported below
  }
  context.addIssue({ code: 'custom', message: 'Must be a language tag such as en, de or pt-BR' });
  return z.NEVER;
});

const guestShape = {
  name: z.string().trim().min(1).max(200),
  email: z.email().max(254).optional(),
  phone: phoneSchema.optional(),
  /** The language of the guest's emails and page. */
  language: languageSchema.default('en'),
};
export const guestSchema = z.object(guestShape);
export type Guest = z.output<typeof guestSchema>;

interface StayDates {
  arrivalDate: LocalDate;
  departureDate: LocalDate;
}

function checkStayDates(stay: StayDates, context: z.core.$RefinementCtx) {
  for (const problem of stayDateProblems(stay)) {
    context.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
  }
}

function stayDateProblems({ arrivalDate, departureDate }: StayDates) {
  // The object's refinement also runs when a date already failed its own format check: that is reported there.
  if (!localDateSchema.safeParse(arrivalDate).success || !localDateSchema.safeParse(departureDate).success) {
    return [];
  }
  const nights = daysBetween(arrivalDate, departureDate);
  if (nights < 1) return [{ field: 'departureDate', message: 'Must be after the arrival date' }];
  if (nights > maxStayNights) {
    return [{ field: 'departureDate', message: `A stay may last at most ${maxStayNights} nights` }];
  }
  return [];
}

export const createBookingInputSchema = z
  .object({
    propertyId: z.string().min(1),
    source: z.enum(bookingSources).default('manual'),
    /** The channel's id of the reservation (an Airbnb HM code, a PMS reservation id); required for channels. */
    sourceReservationId: z.string().trim().min(1).max(200).optional(),
    guest: guestSchema,
    arrivalDate: localDateSchema,
    departureDate: localDateSchema,
    checkInTime: localTimeSchema.optional().describe('Overrides the property check-in time for this stay'),
    checkOutTime: localTimeSchema.optional().describe('Overrides the property check-out time for this stay'),
  })
  .superRefine((booking, context) => {
    checkStayDates(booking, context);
    if (booking.source !== 'manual' && booking.sourceReservationId === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['sourceReservationId'],
        message: 'Required for bookings from a channel',
      });
    }
  });
export type CreateBookingInput = z.input<typeof createBookingInputSchema>;
export type NewBooking = z.output<typeof createBookingInputSchema>;

/** A change to a booking. `null` for a time removes the override, back to the property's default. */
export const modifyBookingInputSchema = z
  .object({
    guest: z.object(guestShape).partial().optional(),
    arrivalDate: localDateSchema.optional(),
    departureDate: localDateSchema.optional(),
    checkInTime: localTimeSchema.nullable().optional(),
    checkOutTime: localTimeSchema.nullable().optional(),
    /** When given, the change applies only to this version of the booking (an HTTP If-Match). */
    expectedVersion: z.int().min(1).optional(),
  })
  .refine(
    ({ expectedVersion: _ignored, ...change }) => Object.values(change).some((value) => value !== undefined),
    'Give at least one field to change',
  );
export type ModifyBookingInput = z.input<typeof modifyBookingInputSchema>;
export type BookingChange = z.output<typeof modifyBookingInputSchema>;

export const cancelBookingInputSchema = z.object({
  reason: z.string().trim().max(500).optional(),
});
export type CancelBookingInput = z.input<typeof cancelBookingInputSchema>;

export interface Booking extends Versioned {
  readonly tenantId: string;
  readonly id: string;
  readonly propertyId: string;
  readonly source: BookingSource;
  readonly sourceReservationId?: string | undefined;
  readonly guest: Guest;
  readonly arrivalDate: LocalDate;
  readonly departureDate: LocalDate;
  readonly checkInTime?: LocalTime | undefined;
  readonly checkOutTime?: LocalTime | undefined;
  readonly status: BookingStatus;
  readonly cancelledAt?: IsoInstant | undefined;
  readonly cancellationReason?: string | undefined;
  /** The grant that gives this booking's guest access. */
  readonly grantId: string;
}

/** The fields of a booking that its guest would recognise as "the booking"; used to tell a replay from a change. */
export const bookingDetailFields = [
  'guest',
  'arrivalDate',
  'departureDate',
  'checkInTime',
  'checkOutTime',
] as const satisfies readonly (keyof Booking)[];

/** The booking after `change`; the stay dates are checked again as a whole. */
export function applyBookingChange({
  booking,
  change,
}: {
  booking: Booking;
  change: BookingChange;
}): Booking {
  const next = {
    ...booking,
    guest: { ...booking.guest, ...definedOnly(change.guest ?? {}) },
    arrivalDate: change.arrivalDate ?? booking.arrivalDate,
    departureDate: change.departureDate ?? booking.departureDate,
    checkInTime: change.checkInTime === undefined ? booking.checkInTime : (change.checkInTime ?? undefined),
    checkOutTime:
      change.checkOutTime === undefined ? booking.checkOutTime : (change.checkOutTime ?? undefined),
  };
  const problems = stayDateProblems(next);
  if (problems.length > 0) throw new InvalidInputError('The booking is not valid', problems);
  return next;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}

/** Whether two versions of a booking describe the same stay for the same guest. */
export function sameBookingDetails(
  a: Pick<Booking, (typeof bookingDetailFields)[number]>,
  b: typeof a,
): boolean {
  return bookingDetailFields.every((field) => sameData(a[field], b[field]));
}
