// The keypad lockout of the device contract.
import { describe, expect, it } from 'vitest';
import {
  afterRightEntry,
  afterWrongEntry,
  isLockedOut,
  type KeypadLockoutState,
  keypadGuessesWithin,
  lockoutSeconds,
  noLockout,
} from '#shared/devices/lockout.ts';

const wrongEntries = (count: number, state: KeypadLockoutState = noLockout, now = 0) => {
  let current = state;
  let lockout: { until: number; seconds: number } | undefined;
  for (let entry = 0; entry < count; entry += 1) {
    const next = afterWrongEntry(current, now);
    current = next.state;
    lockout = next.lockout ?? lockout;
  }
  return { state: current, lockout };
};

describe('the keypad lockout', () => {
  it('tolerates four wrong entries and locks the keypad for 5 minutes on the fifth', () => {
    expect(wrongEntries(4).lockout).toBeUndefined();
    const { state, lockout } = wrongEntries(5, noLockout, 1000);
    expect(lockout).toEqual({ until: 1300, seconds: 300 });
    expect(isLockedOut(state, 1299)).toBe(true);
    expect(isLockedOut(state, 1300)).toBe(false);
  });

  it('doubles each further lockout without a right entry, up to 4 hours', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((previous) => lockoutSeconds(previous))).toEqual([
      300, 600, 1200, 2400, 4800, 9600, 14_400, 14_400,
    ]);
    const first = wrongEntries(5);
    expect(wrongEntries(5, first.state).lockout?.seconds).toBe(600);
  });

  it('is reset by a right entry, not by waiting', () => {
    const locked = wrongEntries(5).state;
    expect(wrongEntries(4, locked, 10_000).lockout).toBeUndefined();
    expect(wrongEntries(5, locked, 10_000).lockout?.seconds).toBe(600);
    expect(afterRightEntry()).toEqual(noLockout);
  });

  it('lets a guesser try at most 55 codes in the first day and 30 a day after', () => {
    const day = 24 * 3600;
    expect(keypadGuessesWithin(day)).toBe(55);
    expect(keypadGuessesWithin(2 * day) - keypadGuessesWithin(day)).toBe(30);
  });
});
