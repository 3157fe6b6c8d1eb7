/** The RandomSource port on node:crypto's CSPRNG, uniform over the range (randomInt rejects biased draws). */
import { randomInt } from 'node:crypto';
import type { RandomSource } from '#shared/domain/ports/random-source.ts';

export const cryptoRandomSource: RandomSource = {
  randomInt: (min, maxExclusive) => randomInt(min, maxExclusive),
};
