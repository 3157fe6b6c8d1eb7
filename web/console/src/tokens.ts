/**
 * Reading the claims of the user pool's tokens in the page. The page never trusts them for anything the API
 * decides (the API verifies every token itself); it reads them only to know when to refresh and whom to greet.
 */

export interface IdTokenClaims {
  readonly sub: string;
  readonly email?: string;
  /** Seconds since the epoch. */
  readonly exp: number;
  readonly auth_time?: number;
  readonly 'custom:tenantId'?: string;
  readonly 'custom:role'?: string;
}

export function readClaims(token: string): IdTokenClaims {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('Not a JSON Web Token');
  const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')), (character) =>
    character.charCodeAt(0),
  );
  const claims = JSON.parse(new TextDecoder().decode(bytes)) as Partial<IdTokenClaims>;
  if (typeof claims.exp !== 'number' || typeof claims.sub !== 'string')
    throw new Error('A token without exp or sub');
  return claims as IdTokenClaims;
}

/** Milliseconds until the token expires (negative once it has). */
export const msUntilExpiry = (token: string, now: number): number => readClaims(token).exp * 1000 - now;
