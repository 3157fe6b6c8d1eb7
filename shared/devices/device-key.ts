/**
 * The device key: 32 random bytes that one lock and the cloud share, created when the lock is provisioned and
 * loaded into the lock by its installer (base64 in the installer bundle). It keys three things, each an
 * HMAC-SHA256 over a message that starts with its own purpose label:
 * - PIN hashes (`codes.ts`): what the cloud sends instead of a PIN;
 * - unlock command signatures (`commands.ts`);
 * - offline codes (`offline-codes.ts`).
 * The label makes the three domains disjoint: a PIN hash can never pass for a signature or an offline code,
 * and a value computed for one lock never for another (the thing name is in every message).
 *
 * Keys are numbered: a rotation gives the lock a new key with the next version while it keeps the previous
 * one, and every hash and signature names the version it was made with.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const deviceKeyBytes = 32;

export const macPurposes = {
  pinHash: 'lockstay-pin-v1',
  unlockCommand: 'lockstay-unlock-v1',
  offlineCode: 'lockstay-offline-code-v1',
  singleUseOfflineCode: 'lockstay-offline-once-v1',
} as const;
export type MacPurpose = (typeof macPurposes)[keyof typeof macPurposes];

export const keyVersionSchema = z.int().min(1).max(65_535);

export interface DeviceKey {
  readonly version: number;
  readonly secret: Uint8Array;
}

/** A device key as it travels (installer bundle, configuration): base64 of 32 bytes, with its version. */
export const encodedDeviceKeySchema = z.object({
  version: keyVersionSchema,
  key: z.base64().refine((value) => Buffer.from(value, 'base64').byteLength === deviceKeyBytes, {
    message: `A device key is ${deviceKeyBytes} bytes, base64`,
  }),
});
export type EncodedDeviceKey = z.infer<typeof encodedDeviceKeySchema>;

export function parseDeviceKey(encoded: EncodedDeviceKey): DeviceKey {
  const { version, key } = encodedDeviceKeySchema.parse(encoded);
  return { version, secret: new Uint8Array(Buffer.from(key, 'base64')) };
}

/** A fresh device key, base64, from a cryptographically secure source. */
export function generateDeviceKey(): string {
  return randomBytes(deviceKeyBytes).toString('base64');
}

// Fields are joined with newlines; printable ASCII without spaces keeps the message unambiguous.
const fieldPattern = /^[\x21-\x7e]*$/;

/**
 * HMAC-SHA256 with the device key over `purpose \n field1 \n field2 ...` (ASCII, no trailing newline).
 * Firmware in C builds the same bytes with one snprintf.
 */
export function deviceMac({
  key,
  purpose,
  fields,
}: {
  key: DeviceKey;
  purpose: MacPurpose;
  fields: readonly (string | number)[];
}): Buffer {
  const parts = fields.map(String);
  for (const part of parts) {
    if (!fieldPattern.test(part)) throw new Error('A signed field must be printable ASCII without spaces');
  }
  return createHmac('sha256', key.secret)
    .update([purpose, ...parts].join('\n'), 'ascii')
    .digest();
}

/** Compares two strings in time independent of where they differ (hashes, signatures, codes). */
export function constantTimeEquals(left: string, right: string): boolean {
  const a = Buffer.from(left, 'utf8');
  const b = Buffer.from(right, 'utf8');
  return a.byteLength === b.byteLength && timingSafeEqual(a, b);
}
