/**
 * HTTP Basic credentials for channel managers that authenticate their webhooks that way (Hostaway lets the
 * host set a user name and password on the webhook). Several credentials may be valid at once, so a host
 * can change them in Hostaway and in Lockstay without losing deliveries in between. Compared in constant
 * time, over digests so that a length difference says nothing either.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { NotAuthenticatedError } from '#shared/domain/errors.ts';

export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

/** Throws NotAuthenticatedError (a 401) unless `authorization` carries one of `accepted`. */
export function verifyBasicAuth({
  authorization,
  accepted,
}: {
  /** The Authorization header as received. */
  authorization: string | undefined;
  accepted: readonly BasicCredentials[];
}): void {
  const match = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) throw new NotAuthenticatedError('Basic credentials are required');
  const presented = digest(Buffer.from(match[1], 'base64').toString('utf8'));
  const valid = accepted
    .map(({ username, password }) => timingSafeEqual(presented, digest(`${username}:${password}`)))
    .includes(true);
  if (!valid) throw new NotAuthenticatedError('The credentials are not valid for this integration');
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
