/**
 * PIN codes for keypads. A PIN is drawn uniformly at random from a cryptographically secure source (the
 * RandomSource port) and never derived from anything about the booking or the guest (not the phone number,
 * not the dates), so knowing the guest tells an attacker nothing about the code.
 *
 * Drawn PINs that a person might try first are thrown away and drawn again. The rule, for a PIN of n digits:
 * - `same-digit`: one digit repeated (000000, 7777);
 * - `sequence`: every step +1 or every step -1, wrapping past 9 and 0 (123456, 654321, 890123);
 * - `repeated-block`: a shorter block repeated to fill it (1212, 123123, 112112, 12341234);
 * - `palindrome`: reads the same backwards (1221, 123321, 12321);
 * - `few-digits`: fewer than n/2 (rounded up) different digits (111222, 121122, 11122);
 * - `year`: for 4 digits, 1900 to 2099 (birth years are the most tried PINs after 1234).
 * Together these remove about 4% of 4-digit PINs, about 2% of 5- and 7-digit ones and under 1% of 6- and
 * 8-digit ones (the 4- and 6-digit shares are counted in the tests), so the drawn code stays uniform over a nearly full key space. Resistance to guessing at the keypad is the lock's lockout's
 * job; this rule keeps a curious guess from ever being the right one.
 *
 * Uniqueness among the codes live on one lock is enforced where the codes are stored (a conditional write per
 * lock and PIN); the domain only draws the next candidate, avoiding the ones already found taken.
 */
import type { RandomSource } from './ports/random-source.ts';

export const trivialPatterns = [
  'same-digit',
  'sequence',
  'repeated-block',
  'palindrome',
  'few-digits',
  'year',
] as const;
export type TrivialPattern = (typeof trivialPatterns)[number];

const digitsOnly = /^\d+$/;

/** The first trivial pattern `pin` matches, or undefined for a PIN fit to hand out. */
export function trivialPatternOf(pin: string): TrivialPattern | undefined {
  if (!digitsOnly.test(pin)) throw new Error('A PIN is made of digits only');
  const digits = [...pin].map(Number);
  const steps = digits.slice(1).map((digit, index) => (digit - (digits[index] ?? 0) + 10) % 10);

  if (steps.every((step) => step === 0)) return 'same-digit';
  if (steps.every((step) => step === 1) || steps.every((step) => step === 9)) return 'sequence';
  for (let block = 1; block <= pin.length / 2; block += 1) {
    if (pin.length % block === 0 && pin.slice(0, block).repeat(pin.length / block) === pin)
      return 'repeated-block';
  }
  if ([...pin].reverse().join('') === pin) return 'palindrome';
  if (new Set(digits).size < Math.ceil(pin.length / 2)) return 'few-digits';
  if (pin.length === 4 && /^(19|20)\d\d$/.test(pin)) return 'year';
  return undefined;
}

export function isTrivialPin(pin: string): boolean {
  return trivialPatternOf(pin) !== undefined;
}

// Each draw is fit with probability > 95%; failing this many times in a row means the source is broken.
const maxDraws = 1_000;

/** A fresh random PIN of `length` digits that is not trivial and not among `excluded` (PINs found taken). */
export function nextPinCandidate({
  random,
  length,
  excluded = new Set(),
}: {
  random: RandomSource;
  length: number;
  excluded?: ReadonlySet<string>;
}): string {
  for (let draw = 0; draw < maxDraws; draw += 1) {
    const pin = String(random.randomInt(0, 10 ** length)).padStart(length, '0');
    if (!isTrivialPin(pin) && !excluded.has(pin)) return pin;
  }
  throw new Error(`No usable ${length}-digit PIN in ${maxDraws} draws: the random source is not random`);
}
