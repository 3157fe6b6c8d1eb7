/**
 * A pause that grows after repeated wrong answers in a sign-in form. It only spares the host (and the user pool)
 * from hammering: the protection that counts is the pool's, which locks an account out after five failed
 * passwords or MFA codes, for a time that doubles with each further failure (up to about 15 minutes in AWS).
 */

export interface AttemptThrottle {
  failed(): void;
  succeeded(): void;
  /** Milliseconds to wait before the next attempt; 0 when one may be made now. */
  waitMs(): number;
}

export function createAttemptThrottle(
  options: { freeAttempts?: number; baseDelayMs?: number; maxDelayMs?: number; now?: () => number } = {},
): AttemptThrottle {
  const { freeAttempts = 3, baseDelayMs = 2000, maxDelayMs = 60_000, now = Date.now } = options;
  let failures = 0;
  let blockedUntil = 0;
  return {
    failed() {
      failures += 1;
      if (failures >= freeAttempts) {
        blockedUntil = now() + Math.min(maxDelayMs, baseDelayMs * 2 ** (failures - freeAttempts));
      }
    },
    succeeded() {
      failures = 0;
      blockedUntil = 0;
    },
    waitMs: () => Math.max(0, blockedUntil - now()),
  };
}
