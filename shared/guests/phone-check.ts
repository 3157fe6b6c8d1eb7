/**
 * The optional second factor of a guest's remote unlock: where the property asks for it, the guest confirms the
 * last digits of the phone number on the booking, so that a forwarded or leaked link alone does not open the
 * door. A booking without a phone number has nothing to confirm, so the check is off for it. A wrong answer
 * costs the source many lookups of its rate limit (see `phoneCheckPolicy`), so guessing is slow.
 */
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Booking } from '#shared/domain/booking.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import type { Property } from '#shared/domain/property.ts';

export const phoneCheckPolicy = {
  /** What one wrong answer costs against the guest API's lookup limit (30 a minute): about 3 tries a minute. */
  lookupsPerWrongAnswer: 10,
} as const;

/** The body of a guest's unlock: the lock, and the phone digits where the property asks for them. */
export const guestStayUnlockRequestSchema = z
  .strictObject({
    lockId: z.string().min(1).max(64).describe("The lock to open, one of the stay's locks"),
    phoneDigits: z
      .string()
      .regex(/^\d{1,6}$/, 'Must be digits only')
      .optional()
      .describe("The last digits of the booking's phone number, where the property asks for them"),
  })
  .meta({ id: 'GuestStayUnlockRequest' });
export type GuestStayUnlockRequest = z.infer<typeof guestStayUnlockRequestSchema>;

/** How many digits the guest must confirm before a remote unlock; undefined when the check is off. */
export function phoneDigitsAsked({
  property,
  booking,
}: {
  property: Pick<Property, 'guestUnlockPhoneDigits'>;
  booking: Pick<Booking, 'guest'> | undefined;
}): number | undefined {
  const digits = property.guestUnlockPhoneDigits ?? 0;
  const phone = booking?.guest.phone?.replace(/\D/g, '') ?? '';
  if (digits === 0 || phone.length < digits) return undefined;
  return digits;
}

export type PhoneCheck =
  | { readonly confirmed: true }
  | { readonly confirmed: false; readonly error: InvalidInputError };

/** Whether `given` is the last digits of the booking's phone, compared in constant time. */
export function checkPhoneDigits({
  property,
  booking,
  given,
}: {
  property: Pick<Property, 'guestUnlockPhoneDigits'>;
  booking: Pick<Booking, 'guest'> | undefined;
  given: string | undefined;
}): PhoneCheck {
  const digits = phoneDigitsAsked({ property, booking });
  if (digits === undefined) return { confirmed: true };
  const expected = Buffer.from((booking?.guest.phone ?? '').replace(/\D/g, '').slice(-digits));
  const answer = Buffer.from(given ?? '');
  if (answer.length === expected.length && timingSafeEqual(answer, expected)) return { confirmed: true };
  const message =
    given === undefined
      ? `Give the last ${digits} digits of the phone number on the booking`
      : 'Does not match the phone number on the booking';
  return {
    confirmed: false,
    error: new InvalidInputError('The phone number could not be confirmed', [
      { field: 'phoneDigits', message },
    ]),
  };
}
