/** Test doubles for the console's unit tests: tokens with chosen claims, tab storage, a user pool. */
import { vi } from 'vitest';
import type { CognitoClient, Tokens } from '../../../web/console/src/cognito.ts';

const base64url = (text: string) => Buffer.from(text).toString('base64url');

/** An unsigned token with the given claims: the page reads claims, it never verifies signatures. */
export function tokenWith(claims: Record<string, unknown>): string {
  return `${base64url(JSON.stringify({ alg: 'RS256' }))}.${base64url(JSON.stringify(claims))}.signature`;
}

export function tokensExpiringAt(expiresAtMs: number, label = 'first'): Tokens {
  const exp = Math.floor(expiresAtMs / 1000);
  return {
    idToken: tokenWith({ sub: 'host-1', exp, label, token_use: 'id' }),
    accessToken: tokenWith({ sub: 'host-1', exp, label, token_use: 'access' }),
    refreshToken: `refresh-${label}`,
  };
}

export function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, value),
  };
}

/** A user pool whose answers each test sets; only the calls the session makes are stubbed. */
export function fakeUserPool() {
  return {
    refresh: vi.fn<CognitoClient['refresh']>(),
    revoke: vi.fn<CognitoClient['revoke']>().mockResolvedValue(undefined),
    signOutEverywhere: vi.fn<CognitoClient['signOutEverywhere']>().mockResolvedValue(undefined),
  };
}

export const asCognitoClient = (pool: ReturnType<typeof fakeUserPool>): CognitoClient =>
  pool as unknown as CognitoClient;
