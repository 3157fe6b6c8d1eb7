// Offline codes: derived by the cloud, verified by a lock with no network, within their window only.
import { describe, expect, it } from 'vitest';
import { generateDeviceKey, parseDeviceKey } from '#shared/devices/device-key.ts';
import {
  deriveOfflineCode,
  keypadGuessingOdds,
  offlineCodeCandidates,
  offlineCodeDurationsHours,
  offlineCodeFor,
  offlineCodeRules,
  offlineCodeWindowFor,
  verifyOfflineCode,
} from '#shared/devices/offline-codes.ts';
import { isTrivialPin } from '#shared/domain/pin.ts';

const key = parseDeviceKey({ version: 1, key: generateDeviceKey() });
const thingName = 'lockstay-01hx0000000000000000000003';
const hour = 3600;
// A stay from 15:20 on one day to 11:00 three days later (UTC seconds).
const checkIn = Date.parse('2026-11-20T15:20:00Z') / 1000;
const checkOut = Date.parse('2026-11-23T11:00:00Z') / 1000;
const at = (epochSeconds: number) => epochSeconds * 1000;

const stayCode = () => deriveOfflineCode({ key, thingName, pinLength: 6, from: checkIn, to: checkOut });
const verifyAt = (
  code: string,
  nowSeconds: number,
  options: Partial<Parameters<typeof verifyOfflineCode>[0]> = {},
) => verifyOfflineCode({ keys: [key], thingName, pinLength: 6, code, now: at(nowSeconds), ...options });

describe('the window of an offline code', () => {
  it('starts on the hour at or before the access and lasts the shortest duration that covers it', () => {
    const window = offlineCodeWindowFor({ from: checkIn, to: checkOut });
    expect(window.validFrom).toBe(Date.parse('2026-11-20T15:00:00Z') / 1000);
    expect(offlineCodeDurationsHours[window.durationClass]).toBe(72);
    expect(window.validUntil).toBe(Date.parse('2026-11-23T15:00:00Z') / 1000);
    expect(window.firstUseBefore).toBe(window.validFrom + 24 * hour);
  });

  it('is refused for an access longer than the longest duration', () => {
    expect(() => offlineCodeWindowFor({ from: checkIn, to: checkIn + 15 * 24 * hour })).toThrow(
      /at most 14 days/,
    );
  });
});

describe('an offline code', () => {
  it('has the lock’s PIN length and is never a trivial PIN', () => {
    for (let startHour = 490_000; startHour < 490_300; startHour += 1) {
      const code = offlineCodeFor({ key, thingName, pinLength: 6, startHour, durationClass: 4 });
      expect(code).toMatch(/^\d{6}$/);
      expect(isTrivialPin(code)).toBe(false);
    }
  });

  it('is refused for keypads shorter than 6 digits, whose odds of being guessed are too high', () => {
    expect(() => deriveOfflineCode({ key, thingName, pinLength: 4, from: checkIn, to: checkOut })).toThrow(
      /6 to 8/,
    );
    expect(verifyAt('1234', checkIn, { pinLength: 4 })).toBeUndefined();
  });

  it('opens its lock, with no network, from its start to its end', () => {
    const { code, validFrom, validUntil } = stayCode();
    expect(verifyAt(code, validFrom)).toMatchObject({ firstUse: true, withinWindow: true, durationClass: 6 });
    const activated = [
      { keyVersion: 1, startHour: validFrom / hour, durationClass: 6, firstUsedAt: validFrom },
    ];
    expect(verifyAt(code, validUntil - 1, { activated })).toMatchObject({
      firstUse: false,
      withinWindow: true,
    });
  });

  it('allows the lock’s clock to be off by the skew allowance at either end', () => {
    const { code, validFrom, validUntil } = stayCode();
    const skew = offlineCodeRules.clockSkewSeconds;
    const activated = [
      { keyVersion: 1, startHour: validFrom / hour, durationClass: 6, firstUsedAt: validFrom },
    ];
    expect(verifyAt(code, validFrom - skew)).toMatchObject({ withinWindow: true });
    expect(verifyAt(code, validFrom - skew - 1)).toBeUndefined();
    expect(verifyAt(code, validUntil + skew - 1, { activated })).toMatchObject({ withinWindow: true });
    expect(verifyAt(code, validUntil + skew, { activated })).toMatchObject({ withinWindow: false });
  });

  it('is refused before its window (the wrong window)', () => {
    const { code, validFrom } = stayCode();
    expect(verifyAt(code, validFrom - 2 * hour)).toBeUndefined();
    expect(verifyAt(code, validFrom - 24 * hour)).toBeUndefined();
  });

  it('must be used a first time within 24 hours of its start', () => {
    const { code, validFrom, firstUseBefore } = stayCode();
    const skew = offlineCodeRules.clockSkewSeconds;
    expect(verifyAt(code, firstUseBefore + skew - 1)).toMatchObject({ firstUse: true });
    expect(verifyAt(code, firstUseBefore + skew)).toBeUndefined();
    expect(verifyAt(code, validFrom + 48 * hour)).toBeUndefined();
  });

  it('is refused by another lock and under another key', () => {
    const { code, validFrom } = stayCode();
    const otherKey = parseDeviceKey({ version: 1, key: generateDeviceKey() });
    expect(verifyAt(code, validFrom, { thingName: 'lockstay-other' })).toBeUndefined();
    expect(verifyAt(code, validFrom, { keys: [otherKey] })).toBeUndefined();
  });

  it('made with the previous key still opens during a key rotation', () => {
    const { code, validFrom } = stayCode();
    const next = parseDeviceKey({ version: 2, key: generateDeviceKey() });
    expect(verifyAt(code, validFrom, { keys: [next, key] })).toMatchObject({ keyVersion: 1 });
  });

  it('of a short access (a delivery) lasts hours, not days', () => {
    const delivery = deriveOfflineCode({
      key,
      thingName,
      pinLength: 6,
      from: checkIn,
      to: checkIn + 2 * hour,
    });
    expect(offlineCodeDurationsHours[delivery.durationClass]).toBe(4);
    expect(verifyAt(delivery.code, delivery.validUntil + offlineCodeRules.clockSkewSeconds)).toBeUndefined();
  });
});

describe('guessing at the keypad', () => {
  it('faces at most about 310 valid offline codes at any moment, per device key (255, and 55 single-use)', () => {
    expect(offlineCodeCandidates()).toBe(310);
  });

  it('has these odds for a 6-digit lock with 20 codes, over a day and a week of sustained guessing', () => {
    const day = keypadGuessingOdds({ pinLength: 6, liveCodes: 20, seconds: 24 * hour });
    expect(day.guesses).toBe(55);
    expect(day.perGuess).toBeCloseTo(3.3e-4, 6);
    expect(day.probability).toBeCloseTo(0.018, 3);
    const week = keypadGuessingOdds({ pinLength: 6, liveCodes: 20, seconds: 7 * 24 * hour });
    expect(week.guesses).toBe(235);
    expect(week.probability).toBeCloseTo(0.075, 3);
  });

  it('has odds a hundred times smaller for an 8-digit lock', () => {
    const week = keypadGuessingOdds({ pinLength: 8, liveCodes: 20, seconds: 7 * 24 * hour });
    expect(week.probability).toBeLessThan(0.001);
  });
});
