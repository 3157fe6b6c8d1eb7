// The test vectors published in docs/device-contract.md, so that a lock maker's implementation and this one
// can be compared byte for byte, and the document cannot drift from the code.
import { describe, expect, it } from 'vitest';
import { hashPin } from '#shared/devices/codes.ts';
import { signUnlockCommand, verifyUnlockCommand } from '#shared/devices/commands.ts';
import { parseDeviceKey } from '#shared/devices/device-key.ts';
import { deriveOfflineCode, offlineCodeFor, verifyOfflineCode } from '#shared/devices/offline-codes.ts';

// Bytes 0x00..0x1f: a key for test vectors only.
const key = parseDeviceKey({ version: 1, key: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=' });
const thingName = 'lockstay-01jd5x7q2m3k4n5p6r7s8t9v0w';

describe('the test vectors of the device contract', () => {
  it('hash PIN 482916 to P84WW2_Kwu2UkoEveib4Ow', () => {
    expect(hashPin({ key, thingName, pin: '482916' })).toBe('P84WW2_Kwu2UkoEveib4Ow');
  });

  it('sign the example unlock command', () => {
    const command = signUnlockCommand({
      key,
      thingName,
      commandId: '01jd5xa0b1c2d3e4f5g6h7j8k9',
      issuedAt: 1_795_705_200_000,
      expiresAt: 1_795_705_230_000,
      nonce: 'AAECAwQFBgcICQoLDA0ODw',
    });
    expect(command).toEqual({
      action: 'unlock',
      issuedAt: 1_795_705_200,
      expiresAt: 1_795_705_230,
      nonce: 'AAECAwQFBgcICQoLDA0ODw',
      key: 1,
      signature: 'vO0W6744B3SBPljfRdDNkjZt7L8i7JgegXgvGXOIVeM',
    });
    expect(
      verifyUnlockCommand({
        keys: [key],
        thingName,
        commandId: '01jd5xa0b1c2d3e4f5g6h7j8k9',
        command,
        now: 1_795_705_201_000,
        wasExecuted: () => false,
      }),
    ).toEqual({ ok: true, command });
  });

  it('derive offline code 594267 for the stay of 20 to 23 November 2026', () => {
    const from = Date.parse('2026-11-20T15:20:00Z') / 1000;
    const to = Date.parse('2026-11-23T11:00:00Z') / 1000;
    expect(deriveOfflineCode({ key, thingName, pinLength: 6, from, to })).toEqual({
      startHour: 498_663,
      durationClass: 6,
      validFrom: 1_795_186_800,
      validUntil: 1_795_446_000,
      firstUseBefore: 1_795_273_200,
      keyVersion: 1,
      singleUse: false,
      code: '594267',
    });
    expect(
      verifyOfflineCode({ keys: [key], thingName, pinLength: 6, code: '594267', now: (from + 3600) * 1000 }),
    ).toMatchObject({ startHour: 498_663, durationClass: 6, firstUse: true });
  });

  it('derive 27750973 for the same window on an 8-digit keypad', () => {
    expect(offlineCodeFor({ key, thingName, pinLength: 8, startHour: 498_663, durationClass: 6 })).toBe(
      '27750973',
    );
  });

  it('derive single-use code 112988 for the delivery of 20 November 2026, 15:20 to 17:00', () => {
    const from = Date.parse('2026-11-20T15:20:00Z') / 1000;
    const to = Date.parse('2026-11-20T17:00:00Z') / 1000;
    expect(deriveOfflineCode({ key, thingName, pinLength: 6, from, to, singleUse: true })).toEqual({
      startHour: 498_663,
      durationClass: 0,
      validFrom: 1_795_186_800,
      validUntil: 1_795_194_000,
      firstUseBefore: 1_795_194_000,
      keyVersion: 1,
      singleUse: true,
      code: '112988',
    });
    expect(
      offlineCodeFor({ key, thingName, pinLength: 8, startHour: 498_663, durationClass: 0, singleUse: true }),
    ).toBe('19588181');
  });
});
