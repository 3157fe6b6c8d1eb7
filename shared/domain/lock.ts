/**
 * A smart lock on a property. Its connectivity decides what the cloud can do with it: `wifi` and `hybrid`
 * (Bluetooth behind a WiFi bridge) are online, take codes pushed to their shadow and open on a remote command;
 * `bluetooth` locks are never online and work with offline codes only. Each lock takes PINs of exactly one
 * length and holds a limited number of codes.
 */
import { z } from 'zod';
import type { Versioned } from './entity.ts';
import type { IsoInstant } from './local-time.ts';

export const lockConnectivities = ['wifi', 'hybrid', 'bluetooth'] as const;
export type LockConnectivity = (typeof lockConnectivities)[number];

export const pinLengthRange = { min: 4, max: 8 } as const;
export const defaultPinLength = 6;

export const codeConstraintsSchema = z.object({
  pinLength: z.int().min(pinLengthRange.min).max(pinLengthRange.max).default(defaultPinLength),
  /** How many codes the lock can hold at once, from its maker's specification. */
  capacity: z.int().min(1).max(10_000).default(20),
});
export type CodeConstraints = z.output<typeof codeConstraintsSchema>;

export const registerLockInputSchema = z.object({
  propertyId: z.string().min(1),
  name: z.string().trim().min(1).max(120).describe('Where the lock is, e.g. "Front door"'),
  connectivity: z.enum(lockConnectivities),
  codeConstraints: codeConstraintsSchema.default({ pinLength: defaultPinLength, capacity: 20 }),
  manufacturer: z.string().trim().max(100).optional(),
  model: z.string().trim().max(100).optional(),
});
export type RegisterLockInput = z.input<typeof registerLockInputSchema>;

/** The lock's current device identity; the secrets themselves live with the provisioner, never here. */
export interface LockCredentials {
  readonly certificateId: string;
  /** Increases with each rotation, so a lock and the cloud can tell which key a signature was made with. */
  readonly keyVersion: number;
  readonly issuedAt: IsoInstant;
}

export interface Lock extends Versioned {
  readonly tenantId: string;
  readonly id: string;
  readonly propertyId: string;
  readonly name: string;
  readonly connectivity: LockConnectivity;
  readonly codeConstraints: CodeConstraints;
  readonly manufacturer?: string | undefined;
  readonly model?: string | undefined;
  /** The IoT thing the lock is. */
  readonly thingName: string;
  readonly credentials: LockCredentials;
}

/** Only online locks take a remote command; a Bluetooth-only lock never can. */
export function canUnlockRemotely(lock: Pick<Lock, 'connectivity'>): boolean {
  return lock.connectivity !== 'bluetooth';
}

/** Online locks get each code pushed to them; Bluetooth-only locks verify offline codes instead. */
export function acceptsPushedCodes(lock: Pick<Lock, 'connectivity'>): boolean {
  return lock.connectivity !== 'bluetooth';
}
