/**
 * A lock's `state` shadow: reported by the lock, in full, on every connect and whenever something in it
 * changes; the cloud only reads it (and writes nothing here, so it never has a delta).
 *
 * `{"contract":1,"firmware":"1.0.0","connectivity":"wifi","bolt":"locked","door":"closed","battery":87,
 *   "pinLength":6,"capacity":20,"codes":3,"keyVersions":[1],"keypad":{"wrongEntries":0,"lockedOutUntil":0},
 *   "methods":["keypad","rfid","key"],"clock":1767366000}`
 *
 * `clock` is the lock's own time when it reported: the cloud compares it with the shadow's metadata timestamp
 * to spot a lock whose clock has drifted (codes and commands depend on it).
 */
import { z } from 'zod';
import { lockConnectivities } from '#shared/domain/lock.ts';
import { clientTokenSchema, epochSecondsSchema } from './contract.ts';
import { keyVersionSchema } from './device-key.ts';

/** The local ways in, besides a remote command: what the lock is fitted with. */
export const localUnlockMethods = ['keypad', 'fingerprint', 'rfid', 'face', 'key'] as const;
export type LocalUnlockMethod = (typeof localUnlockMethods)[number];

/** At or below this the lock reports `battery-low` (once per fall below) and the cloud alerts the host. */
export const lowBatteryPercent = 20;

export const firmwareVersionSchema = z
  .string()
  .max(32)
  .regex(/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/, 'A firmware version is semantic: 1.4.2');

export const lockStateReportedSchema = z.strictObject({
  /** The contract version the lock speaks. */
  contract: z.int().min(1),
  firmware: firmwareVersionSchema,
  connectivity: z.enum(lockConnectivities),
  bolt: z.enum(['locked', 'unlocked']),
  /** `no-sensor` when the lock has no door sensor. */
  door: z.enum(['open', 'closed', 'no-sensor']),
  battery: z.int().min(0).max(100),
  pinLength: z.int().min(4).max(8),
  /** How many codes the lock can hold, and how many it holds now. */
  capacity: z.int().min(1).max(10_000),
  codes: z.int().min(0).max(10_000),
  /** The device key versions the lock holds (two during a rotation). */
  keyVersions: z.array(keyVersionSchema).min(1).max(4),
  keypad: z.strictObject({
    wrongEntries: z.int().min(0),
    /** Epoch seconds; 0 when the keypad is not locked out. */
    lockedOutUntil: epochSecondsSchema,
  }),
  methods: z.array(z.enum(localUnlockMethods)).max(localUnlockMethods.length),
  clock: epochSecondsSchema,
});
export type LockStateReported = z.infer<typeof lockStateReportedSchema>;

/** What the lock publishes to its `state` shadow: always the whole reported state. */
export const lockStateReportUpdateSchema = z.strictObject({
  state: z.strictObject({ reported: lockStateReportedSchema }),
  clientToken: clientTokenSchema.optional(),
});
export type LockStateReportUpdate = z.infer<typeof lockStateReportUpdateSchema>;
