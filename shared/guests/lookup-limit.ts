/**
 * How often one source may look up guest links: a fixed window per source IP and token prefix, so a guest
 * reloading their page is never in the way while a script trying links is slowed. The prefix is taken from the
 * token's hash, so no part of a token is ever stored.
 */
import { hashGuestLinkToken } from './guest-link.ts';

export const guestLookupLimits = { perWindow: 30, windowSeconds: 60 } as const;

export type LookupAllowance =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

/** Counts one lookup of `key` in the window that contains `now` (or `weight` of them, for a costly attempt). */
export interface LookupLimiter {
  take(options: { key: string; now: Date; weight?: number | undefined }): Promise<LookupAllowance>;
}

export function lookupKeyOf({ sourceIp, token }: { sourceIp: string; token: string }): string {
  return `${sourceIp}#${hashGuestLinkToken(token).slice(0, 8)}`;
}
