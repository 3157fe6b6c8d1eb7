/**
 * The keypad lockout every lock of this contract applies, and what it leaves an attacker who guesses at the
 * keypad. After 5 wrong entries in a row the keypad refuses everything for 5 minutes; each further lockout
 * without a right entry in between lasts twice the previous one, up to 4 hours. Only a successful unlock
 * (a right code, a card, a finger, a face, a key or a remote command: someone entitled was there) resets
 * it; waiting does not, or a patient guesser could try 4 codes every quarter hour forever.
 *
 * With these numbers a guesser gets at most 55 entries in the first 24 hours and 30 in each day after
 * (`keypadGuessesWithin`), while a guest who mistypes five times waits five minutes.
 */
import { z } from 'zod';

export const keypadLockoutPolicy = {
  wrongEntriesPerLockout: 5,
  firstLockoutSeconds: 5 * 60,
  growthFactor: 2,
  maxLockoutSeconds: 4 * 60 * 60,
} as const;
export type KeypadLockoutPolicy = typeof keypadLockoutPolicy;

export const keypadLockoutStateSchema = z.strictObject({
  /** Wrong entries since the last lockout (or the last right entry). */
  wrongEntries: z.int().min(0),
  /** Lockouts since the last right entry: decides the length of the next one. */
  lockouts: z.int().min(0),
  /** Epoch seconds; 0 when the keypad is not locked out. */
  lockedOutUntil: z.int().min(0),
});
export type KeypadLockoutState = z.infer<typeof keypadLockoutStateSchema>;

export const noLockout: KeypadLockoutState = { wrongEntries: 0, lockouts: 0, lockedOutUntil: 0 };

export function isLockedOut(state: KeypadLockoutState, nowSeconds: number): boolean {
  return nowSeconds < state.lockedOutUntil;
}

/** The length of the lockout that follows `previousLockouts` lockouts without a right entry. */
export function lockoutSeconds(previousLockouts: number, policy: KeypadLockoutPolicy = keypadLockoutPolicy) {
  const grown = policy.firstLockoutSeconds * policy.growthFactor ** Math.min(previousLockouts, 30);
  return Math.min(grown, policy.maxLockoutSeconds);
}

/** The state after a wrong entry (typed while not locked out), and the lockout it started, if any. */
export function afterWrongEntry(
  state: KeypadLockoutState,
  nowSeconds: number,
  policy: KeypadLockoutPolicy = keypadLockoutPolicy,
): { state: KeypadLockoutState; lockout?: { until: number; seconds: number } } {
  const wrongEntries = state.wrongEntries + 1;
  if (wrongEntries < policy.wrongEntriesPerLockout) return { state: { ...state, wrongEntries } };
  const seconds = lockoutSeconds(state.lockouts, policy);
  const until = nowSeconds + seconds;
  return {
    state: { wrongEntries: 0, lockouts: state.lockouts + 1, lockedOutUntil: until },
    lockout: { until, seconds },
  };
}

/** After a successful unlock by any method. */
export function afterRightEntry(): KeypadLockoutState {
  return noLockout;
}

/** The most entries a guesser can make in `seconds` from a fresh keypad, typing instantly. */
export function keypadGuessesWithin(
  seconds: number,
  policy: KeypadLockoutPolicy = keypadLockoutPolicy,
): number {
  let state = noLockout;
  let now = 0;
  let guesses = 0;
  while (now < seconds) {
    if (isLockedOut(state, now)) {
      now = state.lockedOutUntil;
      continue;
    }
    guesses += 1;
    state = afterWrongEntry(state, now, policy).state;
  }
  return guesses;
}
