/**
 * Offline codes: PINs a lock verifies with no network at all, for `bluetooth` locks (which are never online)
 * and as the fallback when a code could not be confirmed on an online lock in time.
 *
 * An offline code is derived from the device key and a validity window chosen from a fixed grid:
 * - the window starts on a whole UTC hour (`startHour`, hours since the Unix epoch), at or before the access
 *   should begin;
 * - it lasts one of a few durations (`durationClass`, an index into `offlineCodeDurationsHours`), the shortest
 *   that covers the access;
 * - code = the first of HMAC-SHA256(deviceKey, "lockstay-offline-code-v1\n{thingName}\n{pinLength}\n{startHour}
 *   \n{durationClass}\n{counter}"), counter = 0, 1, …, whose first 8 bytes, as a big-endian integer modulo
 *   10^pinLength and padded with zeros, are not a trivial PIN (shared/domain/pin.ts). Trivial PINs are
 *   skipped because they are what guessers try first.
 *
 * The lock, given digits, tries every window on the grid that covers its clock and is still open for a first
 * use: a code must first be used within `activationHours` of its start (or within its whole duration when that
 * is shorter). A code once used is remembered by the lock (its start and class, never its digits), so it keeps
 * opening until its window ends. The activation rule is what keeps the number of codes valid at any moment
 * small (see `offlineCodeCandidates`); the guessing analysis in docs/device-contract.md rests on it.
 *
 * Offline codes cannot be revoked on a lock that is never online: keep their windows as short as the stay.
 *
 * Single-use offline codes (a delivery's) are derived the same way under their own purpose label, for windows of
 * at most `singleUseMaxHours`. The lock admits one once, anywhere in its window, and remembers it as used (its
 * key version, start and class, never its digits) until the window ends: typed again, it is refused as `used`.
 */
import { z } from 'zod';
import { isTrivialPin } from '#shared/domain/pin.ts';
import { epochSecondsSchema } from './contract.ts';
import {
  constantTimeEquals,
  type DeviceKey,
  deviceMac,
  keyVersionSchema,
  macPurposes,
} from './device-key.ts';
import { keypadGuessesWithin } from './lockout.ts';

/** The durations a window may have, in hours: a few hours for deliveries and cleaners, then days for stays. */
export const offlineCodeDurationsHours = [2, 4, 8, 12, 24, 48, 72, 96, 120, 144, 168, 240, 336] as const;

export const offlineCodeRules = {
  /** A code must be used for the first time within this many hours of its start. */
  activationHours: 24,
  /** How far the lock's clock may drift from true time; a lock with no network has no time source. */
  clockSkewSeconds: 10 * 60,
  /** Shorter keypads would make guessing an offline code far too likely (see the analysis). */
  minPinLength: 6,
  /** The longest window a single-use code may have: deliveries last hours; each class adds candidates. */
  singleUseMaxHours: 24,
} as const;

/** The duration classes a single-use code may have (2 to 24 hours). */
const singleUseClasses = offlineCodeDurationsHours.filter(
  (hours) => hours <= offlineCodeRules.singleUseMaxHours,
).length;

const secondsPerHour = 3600;
const maxDerivationRounds = 100;

export const durationClassSchema = z
  .int()
  .min(0)
  .max(offlineCodeDurationsHours.length - 1);

/** An offline code the lock has admitted once, kept so it keeps opening until its window ends. */
export const activatedOfflineCodeSchema = z.strictObject({
  keyVersion: keyVersionSchema,
  startHour: z.int().min(0),
  durationClass: durationClassSchema,
  firstUsedAt: epochSecondsSchema,
});
export type ActivatedOfflineCode = z.infer<typeof activatedOfflineCodeSchema>;

/** A single-use offline code the lock has admitted, kept (refused if typed again) until its window ends. */
export const usedSingleUseOfflineCodeSchema = z.strictObject({
  keyVersion: keyVersionSchema,
  startHour: z.int().min(0),
  durationClass: durationClassSchema,
  usedAt: epochSecondsSchema,
});
export type UsedSingleUseOfflineCode = z.infer<typeof usedSingleUseOfflineCodeSchema>;

export interface OfflineCodeWindow {
  readonly startHour: number;
  readonly durationClass: number;
  /** Epoch seconds. */
  readonly validFrom: number;
  readonly validUntil: number;
  /** The last instant (exclusive, epoch seconds) at which the code may be used for the first time. */
  readonly firstUseBefore: number;
}

export function offlineCodeWindow({
  startHour,
  durationClass,
}: {
  startHour: number;
  durationClass: number;
}): OfflineCodeWindow {
  const hours = offlineCodeDurationsHours[durationClassSchema.parse(durationClass)] as number;
  const validFrom = startHour * secondsPerHour;
  return {
    startHour,
    durationClass,
    validFrom,
    validUntil: validFrom + hours * secondsPerHour,
    firstUseBefore: validFrom + Math.min(hours, offlineCodeRules.activationHours) * secondsPerHour,
  };
}

/**
 * The grid window for an access from `from` to `to` (epoch seconds): it starts on the hour at or before `from`
 * and lasts the shortest duration that reaches `to`. Throws for an access longer than the longest duration.
 */
export function offlineCodeWindowFor({
  from,
  to,
  singleUse = false,
}: {
  from: number;
  to: number;
  /** A single-use code's window lasts at most `singleUseMaxHours`. */
  singleUse?: boolean;
}): OfflineCodeWindow {
  if (to <= from) throw new Error('An offline code window ends after it starts');
  const startHour = Math.floor(from / secondsPerHour);
  const neededHours = (to - startHour * secondsPerHour) / secondsPerHour;
  const durationClass = offlineCodeDurationsHours.findIndex((hours) => hours >= neededHours);
  if (durationClass < 0) {
    const longest = offlineCodeDurationsHours.at(-1) as number;
    throw new Error(`An offline code lasts at most ${longest / 24} days`);
  }
  if (singleUse && durationClass >= singleUseClasses) {
    throw new Error(`A single-use offline code lasts at most ${offlineCodeRules.singleUseMaxHours} hours`);
  }
  return offlineCodeWindow({ startHour, durationClass });
}

function assertOfflinePinLength(pinLength: number) {
  if (!Number.isInteger(pinLength) || pinLength < offlineCodeRules.minPinLength || pinLength > 8) {
    throw new Error(
      `Offline codes need a keypad of ${offlineCodeRules.minPinLength} to 8 digits; shorter ones are too easy to guess`,
    );
  }
}

/** The code for one grid window on one lock. */
export function offlineCodeFor({
  key,
  thingName,
  pinLength,
  startHour,
  durationClass,
  singleUse = false,
}: {
  key: DeviceKey;
  thingName: string;
  pinLength: number;
  startHour: number;
  durationClass: number;
  singleUse?: boolean;
}): string {
  assertOfflinePinLength(pinLength);
  durationClassSchema.parse(durationClass);
  if (singleUse && durationClass >= singleUseClasses)
    throw new Error('No single-use code for so long a window');
  const modulus = 10n ** BigInt(pinLength);
  for (let counter = 0; counter < maxDerivationRounds; counter += 1) {
    const mac = deviceMac({
      key,
      purpose: singleUse ? macPurposes.singleUseOfflineCode : macPurposes.offlineCode,
      fields: [thingName, pinLength, startHour, durationClass, counter],
    });
    const code = (mac.readBigUInt64BE(0) % modulus).toString().padStart(pinLength, '0');
    if (!isTrivialPin(code)) return code;
  }
  throw new Error('No usable offline code derived: the key or the MAC is broken');
}

export interface DerivedOfflineCode extends OfflineCodeWindow {
  readonly code: string;
  readonly keyVersion: number;
  readonly singleUse: boolean;
}

/**
 * The offline code for an access on one lock (the cloud side): the grid window that covers it and its code.
 * The window may start up to an hour before `from` and end after `to` (the next duration on the grid).
 */
export function deriveOfflineCode({
  key,
  thingName,
  pinLength,
  from,
  to,
  singleUse = false,
}: {
  key: DeviceKey;
  thingName: string;
  pinLength: number;
  /** Epoch seconds. */
  from: number;
  to: number;
  /** A code the lock admits once (a delivery's); its window lasts at most `singleUseMaxHours`. */
  singleUse?: boolean;
}): DerivedOfflineCode {
  const window = offlineCodeWindowFor({ from, to, singleUse });
  return {
    ...window,
    keyVersion: key.version,
    singleUse,
    code: offlineCodeFor({ key, thingName, pinLength, ...window, singleUse }),
  };
}

export interface OfflineCodeMatch extends OfflineCodeWindow {
  readonly keyVersion: number;
  /**
   * True the first time the code opens; the lock then remembers it as activated (a single-use one, as used).
   * False for a single-use code already used: the lock refuses it as `used`.
   */
  readonly firstUse: boolean;
  /** False for a remembered code typed after its window (the lock refuses it, and can say which it was). */
  readonly withinWindow: boolean;
  readonly singleUse: boolean;
}

/**
 * What a lock makes of digits typed on its keypad (the lock side): the offline code they are, or undefined.
 * Remembered codes are checked first; then every grid window covering the lock's clock (with the clock-skew
 * allowance) that is still open for a first use, for every key the lock holds.
 */
export function verifyOfflineCode({
  keys,
  thingName,
  pinLength,
  code,
  now,
  activated = [],
  usedSingleUse = [],
}: {
  keys: readonly DeviceKey[];
  thingName: string;
  pinLength: number;
  code: string;
  /** The lock's clock, epoch milliseconds. */
  now: number;
  activated?: readonly ActivatedOfflineCode[];
  /** The single-use codes the lock has admitted and not yet forgotten. */
  usedSingleUse?: readonly UsedSingleUseOfflineCode[];
}): OfflineCodeMatch | undefined {
  if (pinLength < offlineCodeRules.minPinLength || code.length !== pinLength || !/^\d+$/.test(code)) {
    return undefined;
  }
  const nowSeconds = Math.floor(now / 1000);
  const skew = offlineCodeRules.clockSkewSeconds;
  const within = (window: OfflineCodeWindow) =>
    window.validFrom - skew <= nowSeconds && nowSeconds < window.validUntil + skew;

  for (const remembered of activated) {
    const key = keys.find((held) => held.version === remembered.keyVersion);
    if (key === undefined) continue;
    const window = offlineCodeWindow(remembered);
    if (constantTimeEquals(code, offlineCodeFor({ key, thingName, pinLength, ...window }))) {
      return {
        ...window,
        keyVersion: key.version,
        firstUse: false,
        withinWindow: within(window),
        singleUse: false,
      };
    }
  }

  for (const key of keys) {
    for (const [window] of candidateWindows(nowSeconds)) {
      if (constantTimeEquals(code, offlineCodeFor({ key, thingName, pinLength, ...window }))) {
        return { ...window, keyVersion: key.version, firstUse: true, withinWindow: true, singleUse: false };
      }
    }
  }

  for (const key of keys) {
    for (const [window] of singleUseCandidateWindows(nowSeconds)) {
      if (
        constantTimeEquals(code, offlineCodeFor({ key, thingName, pinLength, ...window, singleUse: true }))
      ) {
        const used = usedSingleUse.some(
          (spent) =>
            spent.keyVersion === key.version &&
            spent.startHour === window.startHour &&
            spent.durationClass === window.durationClass,
        );
        return { ...window, keyVersion: key.version, firstUse: !used, withinWindow: true, singleUse: true };
      }
    }
  }
  return undefined;
}

/**
 * Every single-use grid window covering `nowSeconds` (with the clock-skew allowance at each end): a single-use
 * code may be used anywhere in its window, which is never longer than the first-use limit.
 */
function* singleUseCandidateWindows(nowSeconds: number): Generator<[OfflineCodeWindow]> {
  const skew = offlineCodeRules.clockSkewSeconds;
  for (let durationClass = 0; durationClass < singleUseClasses; durationClass += 1) {
    const latestStart = Math.floor((nowSeconds + skew) / secondsPerHour);
    for (let startHour = latestStart; ; startHour -= 1) {
      const window = offlineCodeWindow({ startHour, durationClass });
      if (window.validUntil + skew <= nowSeconds) break;
      yield [window];
    }
  }
}

/** Whether a used single-use code may be forgotten: its window (with the allowance) is over. */
export function singleUseCodeOver(spent: UsedSingleUseOfflineCode, nowSeconds: number): boolean {
  return offlineCodeWindow(spent).validUntil + offlineCodeRules.clockSkewSeconds <= nowSeconds;
}

/** Every grid window a first use at `nowSeconds` may belong to. */
function* candidateWindows(nowSeconds: number): Generator<[OfflineCodeWindow]> {
  const skew = offlineCodeRules.clockSkewSeconds;
  for (let durationClass = 0; durationClass < offlineCodeDurationsHours.length; durationClass += 1) {
    const latestStart = Math.floor((nowSeconds + skew) / secondsPerHour);
    for (let startHour = latestStart; ; startHour -= 1) {
      const window = offlineCodeWindow({ startHour, durationClass });
      if (window.firstUseBefore + skew <= nowSeconds) break;
      yield [window];
    }
  }
}

/**
 * How many offline codes a lock admits as a first use at one instant, per device key it holds, single-use ones
 * included: the most over the minutes of an hour (the clock-skew allowance adds windows near the hour).
 */
export function offlineCodeCandidates(): number {
  const hour = 1_000 * secondsPerHour;
  let most = 0;
  for (let minute = 0; minute < 60; minute += 1) {
    const at = hour + minute * 60;
    most = Math.max(most, [...candidateWindows(at)].length + [...singleUseCandidateWindows(at)].length);
  }
  return most;
}

/**
 * The chance that someone typing codes at the keypad for `seconds`, as fast as the lockout lets them, opens
 * the lock with any code it would admit: the offline codes valid as a first use at that moment (per key held)
 * and the lock's `liveCodes` pushed codes. Each guess hits with probability valid / 10^pinLength.
 */
export function keypadGuessingOdds({
  pinLength,
  liveCodes,
  seconds,
  keysHeld = 1,
}: {
  pinLength: number;
  liveCodes: number;
  seconds: number;
  keysHeld?: number;
}): { validCodes: number; perGuess: number; guesses: number; probability: number } {
  const validCodes = liveCodes + keysHeld * offlineCodeCandidates();
  const perGuess = validCodes / 10 ** pinLength;
  const guesses = keypadGuessesWithin(seconds);
  return { validCodes, perGuess, guesses, probability: 1 - (1 - perGuess) ** guesses };
}
