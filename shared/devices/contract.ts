/**
 * The Lockstay device contract: what a lock and the cloud say to each other through AWS IoT Core. This module
 * holds its names, topics, limits and the building blocks of its documents; the other modules of this folder
 * hold one concern each (`device-key.ts`, `state.ts`, `codes.ts`, `commands.ts`, `offline-codes.ts`,
 * `events.ts`, `lockout.ts`). `docs/device-contract.md` explains the whole for a lock maker's firmware team.
 *
 * The cloud and the reference firmware both import these modules, so the two sides cannot drift apart: they
 * are pure (node:crypto and zod only, no AWS SDK, no I/O).
 */
import { z } from 'zod';

/**
 * The version of the contract. A lock reports the version it speaks in its `state` shadow; the cloud writes
 * only documents of that version. Each keyed hash, signature and offline code carries its own version in its
 * purpose label too (`lockstay-pin-v1`...), so a change of construction can never be mistaken for the old one.
 */
export const deviceContractVersion = 1;

/**
 * The named shadows of a lock, one per concern, so that each stays far below the 8 KB limit and a busy one
 * (codes) never delays another (commands). The classic (unnamed) shadow is not used.
 */
export const lockShadows = {
  /** Reported by the lock: bolt, door, battery, firmware, keypad lockout. The cloud writes nothing here. */
  state: 'state',
  /** Desired by the cloud: codes to put on or take off the lock; reported by the lock: what it holds. */
  accessCodes: 'access-codes',
  /** Desired by the cloud: signed unlock commands; reported by the lock: the outcome of each. */
  commands: 'commands',
} as const;
export type LockShadowName = (typeof lockShadows)[keyof typeof lockShadows];
export const lockShadowNames = Object.values(lockShadows) as readonly LockShadowName[];

/**
 * AWS IoT's rule for thing names. Lockstay names a lock's thing `lockstay-{lockId}` (`thingNameOf` in
 * shared/domain/operations/locks.ts); a lock learns its name from its installer bundle and never derives it.
 */
export const thingNamePattern = /^[a-zA-Z0-9:_-]{1,128}$/;
export const thingNameSchema = z.string().regex(thingNamePattern, 'Not a valid thing name');

export type ShadowRequest = 'get' | 'update' | 'delete';
export type ShadowResponse = 'accepted' | 'rejected' | 'delta' | 'documents';

/** `$aws/things/{thing}/shadow/name/{shadow}/{request}[/{response}]`. */
export function shadowTopic(
  thingName: string,
  shadow: LockShadowName,
  request: ShadowRequest,
  response?: ShadowResponse,
): string {
  const base = `$aws/things/${thingName}/shadow/name/${shadow}/${request}`;
  return response === undefined ? base : `${base}/${response}`;
}

/**
 * Where a lock publishes what happened at the door (unlocks and their attribution, refusals, lockouts, tamper,
 * battery). The lock policy lets a lock publish here and nowhere else outside its own shadows.
 */
export function lockEventsTopic(thingName: string): string {
  return `lockstay/things/${thingName}/events`;
}
export const lockEventsTopicFilter = 'lockstay/things/+/events';

/** AWS IoT refuses a shadow whose desired and reported sections together exceed this (metadata excluded). */
export const maxShadowDocumentBytes = 8192;

/** Bytes of a shadow's state as AWS IoT counts them against the 8 KB limit: `{"desired":…,"reported":…}`. */
export function shadowStateBytes(state: { desired?: unknown; reported?: unknown }): number {
  const counted: Record<string, unknown> = {};
  if (state.desired !== undefined) counted.desired = state.desired;
  if (state.reported !== undefined) counted.reported = state.reported;
  return Buffer.byteLength(JSON.stringify(counted), 'utf8');
}

/** Instants in the device documents: whole seconds since the Unix epoch, UTC, as shadow timestamps are. */
export const epochSecondsSchema = z.int().min(0).max(99_999_999_999);
export type EpochSeconds = number;

export function epochSecondsOf(instant: Date | number | string): EpochSeconds {
  const milliseconds =
    typeof instant === 'number' ? instant : instant instanceof Date ? instant.getTime() : Date.parse(instant);
  if (!Number.isFinite(milliseconds)) throw new Error(`Not an instant: ${String(instant)}`);
  return Math.floor(milliseconds / 1000);
}

/**
 * Ids of codes, commands and events as they appear in documents and as keys of their maps: the cloud's ids
 * (26 characters) fit, and nothing in them needs escaping in a signed message or a log line.
 */
export const contractIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'Ids are 1-32 of A-Z a-z 0-9 _ -');

/** The cloud's revision of one entry it desires, increasing with each change; the lock keeps the highest. */
export const revisionSchema = z.int().min(1).max(2_147_483_647);

/** A shadow request's clientToken, at most 64 bytes as AWS IoT demands. */
export const clientTokenSchema = z.string().min(1).max(64);

/** A record keyed by contract ids, with at most `max` entries. */
export function idRecord<T extends z.ZodType>(value: T, max: number) {
  return z
    .record(contractIdSchema, value)
    .refine((entries) => Object.keys(entries).length <= max, `At most ${max} entries`);
}

/**
 * A patch that replaces a map entry whole. Shadows merge objects field by field, so writing `{v:2,op:'remove'}`
 * over `{v:1,op:'put',hash:…}` would leave the hash behind; every field of `fields` the entry lacks is sent as
 * null, which deletes it. Builders of this contract use it for every entry they write.
 */
export function wholeEntry<T extends object>(
  entry: T,
  fields: readonly string[],
): T & Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const field of fields) patch[field] = null;
  for (const [field, value] of Object.entries(entry)) {
    if (value !== undefined) patch[field] = value;
  }
  return patch as T & Record<string, unknown>;
}
