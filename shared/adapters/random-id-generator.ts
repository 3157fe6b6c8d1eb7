/**
 * The IdGenerator port: 128 random bits as 26 lower-case Crockford base32 characters. Random rather than
 * time-ordered so that an id says nothing about when or how often a tenant creates things; lists sort by their
 * own timestamps.
 */
import { randomBytes } from 'node:crypto';
import type { IdGenerator } from '#shared/domain/ports/id-generator.ts';

const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';

export function randomId(): string {
  let bits = 0n;
  for (const byte of randomBytes(16)) bits = (bits << 8n) | BigInt(byte);
  let id = '';
  for (let index = 0; index < 26; index += 1) {
    id = (alphabet[Number(bits & 31n)] ?? '0') + id;
    bits >>= 5n;
  }
  return id;
}

export const randomIdGenerator: IdGenerator = { newId: randomId };
