/**
 * Randomness for secrets (PINs). Adapters must use a cryptographically secure generator (node:crypto's
 * randomInt in production); tests inject a scripted one.
 */
export interface RandomSource {
  /** A uniformly distributed integer with min <= n < maxExclusive. */
  randomInt(min: number, maxExclusive: number): number;
}
