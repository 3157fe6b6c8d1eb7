import { describe, expect, it } from 'vitest';
import { isTrivialPin, nextPinCandidate, trivialPatternOf } from '#shared/domain/pin.ts';
import { ScriptedRandom } from './fakes.ts';

describe('PINs a person would try first are never handed out', () => {
  it.each([
    ['000000', 'same-digit'],
    ['7777', 'same-digit'],
    ['123456', 'sequence'],
    ['654321', 'sequence'],
    ['890123', 'sequence'],
    ['1234', 'sequence'],
    ['1212', 'repeated-block'],
    ['123123', 'repeated-block'],
    ['112112', 'repeated-block'],
    ['12341234', 'repeated-block'],
    ['1221', 'palindrome'],
    ['123321', 'palindrome'],
    ['12321', 'palindrome'],
    ['111222', 'few-digits'],
    ['112122', 'few-digits'],
    ['1984', 'year'],
    ['2026', 'year'],
  ])('%s is refused (%s)', (pin, pattern) => {
    expect(trivialPatternOf(pin)).toBe(pattern);
  });

  it.each(['4829', '480371', '92751', '3810', '70412958', '190501'])('%s is fit to hand out', (pin) => {
    expect(isTrivialPin(pin)).toBe(false);
  });

  it('refuses anything but digits', () => {
    expect(() => trivialPatternOf('12a4')).toThrow();
  });

  it.each([
    [4, 0.03, 0.05],
    [6, 0.001, 0.01],
  ])(
    'the rule keeps the %i-digit key space nearly whole (%f to %f removed)',
    (length, low, high) => {
      let refused = 0;
      const total = 10 ** length;
      for (let n = 0; n < total; n += 1) if (isTrivialPin(String(n).padStart(length, '0'))) refused += 1;
      expect(refused / total).toBeGreaterThan(low);
      expect(refused / total).toBeLessThan(high);
      // A million PINs checked one by one: slow on a busy machine, which is no failure of the rule.
    },
    60_000,
  );
});

describe('drawing the next candidate', () => {
  it('draws uniformly over the whole range of the length and keeps leading zeros', () => {
    const random = new ScriptedRandom([4821]);
    expect(nextPinCandidate({ random, length: 6 })).toBe('004821');
    expect(random.calls[0]).toEqual({ min: 0, maxExclusive: 1_000_000 });
  });

  it.each([4, 5, 6, 7, 8])('respects a lock that takes %i digits', (length) => {
    const pin = nextPinCandidate({ random: new ScriptedRandom(), length });
    expect(pin).toMatch(new RegExp(`^\\d{${length}}$`));
  });

  it('throws away trivial draws and draws again', () => {
    const random = new ScriptedRandom([123456, 111111, 480371]);
    expect(nextPinCandidate({ random, length: 6 })).toBe('480371');
    expect(random.calls).toHaveLength(3);
  });

  it('avoids PINs already found taken on the lock', () => {
    const random = new ScriptedRandom([480371, 480371, 592817]);
    expect(nextPinCandidate({ random, length: 6, excluded: new Set(['480371']) })).toBe('592817');
  });

  it('gives up loudly when the random source is stuck, rather than loop forever', () => {
    const stuck = { randomInt: () => 111111 };
    expect(() => nextPinCandidate({ random: stuck, length: 6 })).toThrow(/not random/);
  });
});
