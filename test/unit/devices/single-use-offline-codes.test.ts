// Single-use offline codes (device contract 9.5): a delivery's code, derived under its own purpose label, which
// a lock admits once inside its window and refuses as used from then on, until the window is over.
import { describe, expect, it } from 'vitest';
import { generateDeviceKey, parseDeviceKey } from '#shared/devices/device-key.ts';
import {
  deriveOfflineCode,
  offlineCodeRules,
  singleUseCodeOver,
  verifyOfflineCode,
} from '#shared/devices/offline-codes.ts';

const key = parseDeviceKey({ version: 1, key: generateDeviceKey() });
const thingName = 'lockstay-parcel-door';
const hour = 3600;
// A delivery from 10:20 to 13:00 UTC on 20 November 2026.
const from = Date.parse('2026-11-20T10:20:00Z') / 1000;
const to = from + 2 * hour + 40 * 60;

const delivery = () => deriveOfflineCode({ key, thingName, pinLength: 6, from, to, singleUse: true });
const verifyAt = (
  code: string,
  seconds: number,
  usedSingleUse = [] as { keyVersion: number; startHour: number; durationClass: number; usedAt: number }[],
) => verifyOfflineCode({ keys: [key], thingName, pinLength: 6, code, now: seconds * 1000, usedSingleUse });

describe('a single-use offline code', () => {
  it('is not the everyday offline code of the same window', () => {
    const once = delivery();
    const everyday = deriveOfflineCode({ key, thingName, pinLength: 6, from, to });

    expect(once.singleUse).toBe(true);
    expect([once.startHour, once.durationClass]).toEqual([everyday.startHour, everyday.durationClass]);
    expect(once.code).not.toBe(everyday.code);
    expect(verifyAt(everyday.code, from)).toMatchObject({ singleUse: false });
  });

  it('is admitted inside its window as a first use, and refused once the lock remembers it used', () => {
    const once = delivery();
    const first = verifyAt(once.code, from + 600);
    expect(first).toMatchObject({
      singleUse: true,
      firstUse: true,
      withinWindow: true,
      startHour: once.startHour,
    });

    const spent = {
      keyVersion: 1,
      startHour: once.startHour,
      durationClass: once.durationClass,
      usedAt: from + 600,
    };
    expect(verifyAt(once.code, from + 1200, [spent])).toMatchObject({ singleUse: true, firstUse: false });
  });

  it('opens nothing before or after its window', () => {
    const once = delivery();
    const skew = offlineCodeRules.clockSkewSeconds;
    expect(verifyAt(once.code, once.validFrom - skew - 60)).toBeUndefined();
    expect(verifyAt(once.code, once.validUntil + skew + 60)).toBeUndefined();
  });

  it('may be forgotten by the lock once its window is over, not before', () => {
    const once = delivery();
    const spent = {
      keyVersion: 1,
      startHour: once.startHour,
      durationClass: once.durationClass,
      usedAt: from,
    };
    expect(singleUseCodeOver(spent, once.validUntil)).toBe(false);
    expect(singleUseCodeOver(spent, once.validUntil + offlineCodeRules.clockSkewSeconds)).toBe(true);
  });

  it('lasts at most 24 hours: a longer access has none', () => {
    expect(() =>
      deriveOfflineCode({ key, thingName, pinLength: 6, from, to: from + 30 * hour, singleUse: true }),
    ).toThrow(/at most 24 hours/);
  });
});
