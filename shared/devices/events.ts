/**
 * What happened at the door, published by the lock on `lockstay/things/{thingName}/events` at QoS 1:
 *
 * `{"contract":1,"events":[{"id":"Vx2…","seq":17,"at":1767366000,"type":"unlocked","method":"keypad",
 *   "codeId":"01hx…"}]}`
 *
 * Events are not shadow state: they are a stream the cloud audits, and a lock that was offline has a backlog
 * of them. The lock keeps each event in a local outbox until the broker acknowledges the message carrying it
 * (PUBACK), and sends the outbox oldest first, at most `maxEventsPerMessage` per message, after reconnecting.
 * A message may therefore arrive twice: `id` is unique per lock and the cloud records each id once. `seq`
 * increases by one per event on the lock and orders them even when its clock was adjusted in between.
 *
 * Attribution: a keypad unlock names the code (`codeId`, the cloud's id, never the PIN); an offline code its
 * grid window; a card, finger or face the credential id the lock enrolled it under; a remote unlock the
 * command id. The thing name is not in the payload: the cloud takes it from the topic, which the lock policy
 * only lets the lock itself publish to.
 */
import { z } from 'zod';
import { contractIdSchema, epochSecondsSchema } from './contract.ts';
import { keyVersionSchema } from './device-key.ts';
import { durationClassSchema } from './offline-codes.ts';

export const maxEventsPerMessage = 20;

export const lockEventIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'An event id is 8-64 of A-Z a-z 0-9 _ -');

/** How the lock names an enrolled fingerprint, card or face; a card's UID for an unknown card. */
export const credentialIdSchema = z.string().regex(/^[A-Za-z0-9:_-]{1,64}$/);

export const offlineCodeReferenceSchema = z.strictObject({
  keyVersion: keyVersionSchema,
  startHour: z.int().min(0),
  durationClass: durationClassSchema,
});

const common = {
  id: lockEventIdSchema,
  seq: z.int().min(1),
  /** The lock's clock, epoch seconds. */
  at: epochSecondsSchema,
};

const unlocked = <M extends string, F extends z.ZodRawShape>(method: M, fields: F) =>
  z.strictObject({ ...common, type: z.literal('unlocked'), method: z.literal(method), ...fields });

export const unlockedEventSchema = z.discriminatedUnion('method', [
  unlocked('keypad', { codeId: contractIdSchema }),
  unlocked('offline-code', { offlineCode: offlineCodeReferenceSchema }),
  unlocked('fingerprint', { credentialId: credentialIdSchema }),
  unlocked('rfid', { credentialId: credentialIdSchema }),
  unlocked('face', { credentialId: credentialIdSchema }),
  unlocked('key', {}),
  unlocked('remote', { commandId: contractIdSchema }),
]);

export const accessDeniedReasons = [
  /** Digits that are no code of this lock. */
  'unknown-code',
  /** A code of this lock, typed before its window opens or after it ends. */
  'outside-window',
  /** A single-use code already used. */
  'used',
  /** Typed while the keypad is locked out. */
  'locked-out',
  /** A finger, card or face the lock does not know. */
  'unknown-credential',
  /** The battery is too low to move the bolt. */
  'battery-depleted',
] as const;

export const accessDeniedEventSchema = z.strictObject({
  ...common,
  type: z.literal('access-denied'),
  method: z.enum(['keypad', 'fingerprint', 'rfid', 'face', 'key']),
  reason: z.enum(accessDeniedReasons),
  /** The code, when the digits were one of this lock's codes (outside its window, or used). */
  codeId: contractIdSchema.optional(),
  offlineCode: offlineCodeReferenceSchema.optional(),
  /** The card UID, or the enrolled finger or face that was refused. */
  credentialId: credentialIdSchema.optional(),
});

export const lockEventSchema = z.discriminatedUnion('type', [
  unlockedEventSchema,
  accessDeniedEventSchema,
  z.strictObject({ ...common, type: z.literal('locked'), reason: z.enum(['auto-relock', 'manual']) }),
  z.strictObject({
    ...common,
    type: z.literal('keypad-locked-out'),
    until: epochSecondsSchema,
    /** How many lockouts in a row, this one included, without a right entry. */
    lockouts: z.int().min(1),
  }),
  z.strictObject({
    ...common,
    type: z.literal('tamper'),
    kind: z.enum(['forced-door', 'cover-removed', 'jammed']),
  }),
  z.strictObject({ ...common, type: z.literal('battery-low'), percent: z.int().min(0).max(100) }),
  z.strictObject({ ...common, type: z.literal('door'), door: z.enum(['open', 'closed']) }),
]);
export type LockEvent = z.infer<typeof lockEventSchema>;
export type LockEventType = LockEvent['type'];

/** One message on the events topic. */
export const lockEventsMessageSchema = z.strictObject({
  contract: z.int().min(1),
  events: z
    .array(lockEventSchema)
    .min(1)
    .max(maxEventsPerMessage)
    .refine(
      (events) => new Set(events.map((event) => event.id)).size === events.length,
      'Event ids are unique',
    ),
});
export type LockEventsMessage = z.infer<typeof lockEventsMessageSchema>;
