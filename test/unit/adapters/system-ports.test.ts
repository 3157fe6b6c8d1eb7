import { describe, expect, it } from 'vitest';
import { cryptoRandomSource } from '#shared/adapters/crypto-random-source.ts';
import { randomId, randomIdGenerator } from '#shared/adapters/random-id-generator.ts';
import { systemClock } from '#shared/adapters/system-clock.ts';
import { isTrivialPin, nextPinCandidate } from '#shared/domain/pin.ts';

describe('the production clock, randomness and ids', () => {
  it('ids are 26 URL-safe characters and do not repeat', () => {
    const ids = Array.from({ length: 2_000 }, () => randomIdGenerator.newId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-hjkmnp-tv-z]{26}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(randomId()).not.toBe(randomId());
  });

  it('random integers stay inside the range asked for and cover it', () => {
    const seen = new Set<number>();
    for (let draw = 0; draw < 500; draw += 1) {
      const value = cryptoRandomSource.randomInt(3, 7);
      expect(value).toBeGreaterThanOrEqual(3);
      expect(value).toBeLessThan(7);
      seen.add(value);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it('draws PINs of the asked length that are never trivial', () => {
    for (let draw = 0; draw < 200; draw += 1) {
      const pin = nextPinCandidate({ random: cryptoRandomSource, length: 6 });
      expect(pin).toMatch(/^\d{6}$/);
      expect(isTrivialPin(pin)).toBe(false);
    }
  });

  it('the clock tells the current time', () => {
    const before = Date.now();
    const now = systemClock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
