/**
 * Access codes on a lock, through its `access-codes` shadow.
 *
 * The cloud never sends a PIN: it sends `hashPin(PIN)`, an HMAC with the lock's device key, and the window the
 * lock must enforce. The lock hashes what is typed on its keypad the same way and compares. Anyone who reads a
 * shadow, a log or a backup learns nothing: without the key, 10^6 candidate PINs are as good as none.
 *
 * desired (written by the cloud only): pending changes, each keyed by the code's id.
 *   `{"codes":{"<codeId>":{"v":3,"op":"put","key":1,"hash":"…22…","from":1767366000,"to":1767600000}}}`
 *   `{"codes":{"<codeId>":{"v":4,"op":"remove"}}}`
 * reported (written by the lock only): what it holds, and the outcome of each change not yet acknowledged.
 *   `{"applied":{"<codeId>":{"v":3,"status":"set"}, "<id2>":{"v":4,"status":"removed"},
 *                "<id3>":{"v":1,"status":"failed","reason":"lock-full"}}}`
 *
 * `codes` and `applied` are different keys on purpose: the shadow's delta then always carries the whole of
 * desired `codes`, so a lock can act on a delta alone. Once the cloud has recorded an outcome it nulls the
 * desired entry (applied desired is cleared, so the delta empties); the lock, seeing that, drops its
 * `removed`/`failed` tombstone. A null in desired is housekeeping, never an instruction to remove a code.
 */
import { z } from 'zod';
import {
  clientTokenSchema,
  contractIdSchema,
  epochSecondsSchema,
  idRecord,
  maxShadowDocumentBytes,
  revisionSchema,
  shadowStateBytes,
  wholeEntry,
} from './contract.ts';
import { type DeviceKey, deviceMac, keyVersionSchema, macPurposes } from './device-key.ts';

/** Keyed hashes are truncated to 128 bits, base64url: 22 characters. */
export const pinHashBytes = 16;
export const pinHashSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'A PIN hash is 22 base64url characters');

export const pinSchema = z.string().regex(/^\d{4,8}$/, 'A PIN is 4 to 8 digits');

/**
 * The keyed hash of a PIN on one lock: HMAC-SHA256(deviceKey, "lockstay-pin-v1\n{thingName}\n{pin}"), first 16
 * bytes, base64url without padding. The cloud computes it to send a code; the lock to check what is typed.
 */
export function hashPin({ key, thingName, pin }: { key: DeviceKey; thingName: string; pin: string }): string {
  pinSchema.parse(pin);
  return deviceMac({ key, purpose: macPurposes.pinHash, fields: [thingName, pin] })
    .subarray(0, pinHashBytes)
    .toString('base64url');
}

// ---- desired: the cloud's changes ------------------------------------------------------------------------

const putFields = ['v', 'op', 'key', 'hash', 'from', 'to', 'once'] as const;

export const codePutSchema = z
  .strictObject({
    v: revisionSchema,
    op: z.literal('put'),
    /** The version of the device key the hash was made with. */
    key: keyVersionSchema,
    hash: pinHashSchema,
    /** The window, epoch seconds: the code opens from `from` (inclusive) until `to` (exclusive). */
    from: epochSecondsSchema,
    /** Absent for a code without end (an owner's permanent code). */
    to: epochSecondsSchema.optional(),
    /** A single-use code (a delivery): the lock admits it once, then refuses it. */
    once: z.literal(true).optional(),
  })
  .refine((entry) => entry.to === undefined || entry.to > entry.from, {
    message: 'A code window ends after it starts',
    path: ['to'],
  });
export type CodePut = z.infer<typeof codePutSchema>;

export const codeRemovalSchema = z.strictObject({ v: revisionSchema, op: z.literal('remove') });
export type CodeRemoval = z.infer<typeof codeRemovalSchema>;

export const desiredAccessCodeSchema = z.discriminatedUnion('op', [codePutSchema, codeRemovalSchema]);
export type DesiredAccessCode = z.infer<typeof desiredAccessCodeSchema>;

/** More changes than this at once would not fit the document anyway (see `accessCodesCapacity`). */
export const maxDesiredCodeChanges = 64;

export const accessCodesDesiredSchema = z.strictObject({
  codes: idRecord(desiredAccessCodeSchema, maxDesiredCodeChanges).optional(),
});
export type AccessCodesDesired = z.infer<typeof accessCodesDesiredSchema>;

// ---- reported: the lock's applied set ---------------------------------------------------------------------

/** Why a lock could not put a code on. A removal never fails: removing an unknown code is done already. */
export const codeFailureReasons = [
  /** The lock holds as many codes as it can (its `capacity` in the state shadow). */
  'lock-full',
  /** Another code on the lock has the same hash, i.e. the same PIN. */
  'duplicate-pin',
  /** The lock does not hold the device key version the hash was made with. */
  'unknown-key',
  /** The entry does not follow this contract (its `v` may then be 0: the lock could not read it). */
  'invalid-entry',
] as const;
export type CodeFailureReason = (typeof codeFailureReasons)[number];

/** The cloud's revision the outcome answers; 0 only for an entry so malformed its revision was unreadable. */
const answeredRevision = z.int().min(0).max(2_147_483_647);
const appliedFields = ['v', 'status', 'used', 'reason'] as const;

export const appliedAccessCodeSchema = z.discriminatedUnion('status', [
  z.strictObject({
    v: answeredRevision,
    status: z.literal('set'),
    /** When a single-use code was used; the lock refuses it from then on. */
    used: epochSecondsSchema.optional(),
  }),
  z.strictObject({ v: answeredRevision, status: z.literal('removed') }),
  z.strictObject({ v: answeredRevision, status: z.literal('failed'), reason: z.enum(codeFailureReasons) }),
]);
export type AppliedAccessCode = z.infer<typeof appliedAccessCodeSchema>;

export const maxAppliedCodes = 256;

export const accessCodesReportedSchema = z.strictObject({
  applied: idRecord(appliedAccessCodeSchema, maxAppliedCodes).optional(),
});
export type AccessCodesReported = z.infer<typeof accessCodesReportedSchema>;

// ---- the update requests each side publishes ----------------------------------------------------------------

const nullable = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

const codePutPatchSchema = z.strictObject({
  v: revisionSchema,
  op: z.literal('put'),
  key: keyVersionSchema,
  hash: pinHashSchema,
  from: epochSecondsSchema,
  to: nullable(epochSecondsSchema),
  once: nullable(z.literal(true)),
});
const codeRemovalPatchSchema = z.strictObject({
  v: revisionSchema,
  op: z.literal('remove'),
  key: z.null().optional(),
  hash: z.null().optional(),
  from: z.null().optional(),
  to: z.null().optional(),
  once: z.null().optional(),
});

/** What the cloud publishes (or sends with UpdateThingShadow) to the `access-codes` shadow. */
export const accessCodesDesiredUpdateSchema = z.strictObject({
  state: z.strictObject({
    desired: z.strictObject({
      codes: idRecord(
        z.union([z.discriminatedUnion('op', [codePutPatchSchema, codeRemovalPatchSchema]), z.null()]),
        maxDesiredCodeChanges,
      ),
    }),
  }),
  clientToken: clientTokenSchema.optional(),
  version: z.int().min(1).optional(),
});
export type AccessCodesDesiredUpdate = z.infer<typeof accessCodesDesiredUpdateSchema>;

const appliedPatchSchema = z.discriminatedUnion('status', [
  z.strictObject({
    v: answeredRevision,
    status: z.literal('set'),
    used: nullable(epochSecondsSchema),
    reason: z.null().optional(),
  }),
  z.strictObject({
    v: answeredRevision,
    status: z.literal('removed'),
    used: z.null().optional(),
    reason: z.null().optional(),
  }),
  z.strictObject({
    v: answeredRevision,
    status: z.literal('failed'),
    reason: z.enum(codeFailureReasons),
    used: z.null().optional(),
  }),
]);

/** What the lock publishes to the `access-codes` shadow: outcomes, and nulls for tombstones it drops. */
export const accessCodesReportUpdateSchema = z.strictObject({
  state: z.strictObject({
    reported: z.strictObject({
      applied: idRecord(z.union([appliedPatchSchema, z.null()]), maxAppliedCodes),
    }),
  }),
  clientToken: clientTokenSchema.optional(),
});
export type AccessCodesReportUpdate = z.infer<typeof accessCodesReportUpdateSchema>;

// ---- building documents ---------------------------------------------------------------------------------------

/** The desired entry that puts a code on a lock (the cloud side: it holds the PIN, the lock never does). */
export function codePut({
  key,
  thingName,
  pin,
  revision,
  from,
  to,
  once = false,
}: {
  key: DeviceKey;
  thingName: string;
  pin: string;
  /** Increases with every change of the code (the cloud's entity version serves). */
  revision: number;
  from: number;
  to?: number | undefined;
  once?: boolean;
}): CodePut {
  return codePutSchema.parse({
    v: revision,
    op: 'put',
    key: key.version,
    hash: hashPin({ key, thingName, pin }),
    from,
    ...(to !== undefined ? { to } : {}),
    ...(once ? { once: true } : {}),
  });
}

/**
 * One update of desired `codes`: codes to put (each entry replaces whatever was desired for that id), codes to
 * remove, and entries to clear once their outcome is recorded.
 */
export function accessCodesDesiredUpdate({
  put = [],
  remove = [],
  clear = [],
  version,
}: {
  put?: readonly { codeId: string; entry: CodePut }[];
  remove?: readonly { codeId: string; revision: number }[];
  clear?: readonly string[];
  /** The shadow version read before, to have the update refused (409) if anything changed since. */
  version?: number;
}): AccessCodesDesiredUpdate {
  const codes: Record<string, unknown> = {};
  for (const codeId of clear) codes[contractIdSchema.parse(codeId)] = null;
  for (const { codeId, entry } of put) codes[contractIdSchema.parse(codeId)] = wholeEntry(entry, putFields);
  for (const { codeId, revision } of remove) {
    codes[contractIdSchema.parse(codeId)] = wholeEntry({ v: revision, op: 'remove' }, putFields);
  }
  return accessCodesDesiredUpdateSchema.parse({
    state: { desired: { codes } },
    ...(version !== undefined ? { version } : {}),
  });
}

/** The lock's report of outcomes (`null` drops a tombstone the cloud has acknowledged). */
export function accessCodesReport(
  outcomes: Readonly<Record<string, AppliedAccessCode | null>>,
  clientToken?: string,
): AccessCodesReportUpdate {
  const applied: Record<string, unknown> = {};
  for (const [codeId, outcome] of Object.entries(outcomes)) {
    applied[codeId] = outcome === null ? null : wholeEntry(outcome, appliedFields);
  }
  return accessCodesReportUpdateSchema.parse({
    state: { reported: { applied } },
    ...(clientToken !== undefined ? { clientToken } : {}),
  });
}

export interface CodeChange {
  readonly codeId: string;
  readonly entry: DesiredAccessCode;
}

/**
 * The order in which a lock applies desired changes: every removal first (so a lock that was offline frees
 * room and stops admitting withdrawn codes before anything else), then puts, the soonest-starting first, so
 * that if the lock fills up it is the later codes that wait.
 */
export function orderCodeChanges(codes: Readonly<Record<string, DesiredAccessCode>>): CodeChange[] {
  const changes = Object.entries(codes).map(([codeId, entry]) => ({ codeId, entry }));
  const rank = (change: CodeChange) => (change.entry.op === 'remove' ? 0 : 1);
  const start = (change: CodeChange) => (change.entry.op === 'put' ? change.entry.from : 0);
  return changes.sort(
    (a, b) =>
      rank(a) - rank(b) || start(a) - start(b) || (a.codeId < b.codeId ? -1 : a.codeId > b.codeId ? 1 : 0),
  );
}

// ---- size -------------------------------------------------------------------------------------------------------

// The largest entry of each kind this contract allows (longest ids, revisions and numbers).
const widestId = 'x'.repeat(32);
const widestPut: CodePut = {
  v: 2_147_483_647,
  op: 'put',
  key: 65_535,
  hash: 'x'.repeat(22),
  from: 99_999_999_999,
  to: 99_999_999_999,
  once: true,
};
const widestApplied: AppliedAccessCode = { v: 2_147_483_647, status: 'failed', reason: 'invalid-entry' };
const widestSet: AppliedAccessCode = { v: 2_147_483_647, status: 'set', used: 99_999_999_999 };
const entryBytes = (value: unknown) => Buffer.byteLength(`"${widestId}":${JSON.stringify(value)},`, 'utf8');
const widestAnswer = entryBytes(widestApplied) >= entryBytes(widestSet) ? widestApplied : widestSet;

/**
 * The size the document will have once the lock has answered every pending change, each answer at its widest:
 * the cloud checks this stays within 8 KB before it writes, since it is the lock's reports that grow the
 * document after the cloud's write.
 */
export function projectedAccessCodesBytes({
  desired,
  reported,
}: {
  desired?: AccessCodesDesired | undefined;
  reported?: AccessCodesReported | undefined;
}): number {
  const codes = desired?.codes ?? {};
  const applied: Record<string, unknown> = { ...(reported?.applied ?? {}) };
  for (const codeId of Object.keys(codes)) applied[codeId] = widestAnswer;
  return shadowStateBytes({
    desired: Object.keys(codes).length > 0 ? { codes } : undefined,
    reported: { applied },
  });
}

/** Whether a desired update leaves room for the lock's answers (see `projectedAccessCodesBytes`). */
export function fitsAccessCodesShadow(document: {
  desired?: AccessCodesDesired | undefined;
  reported?: AccessCodesReported | undefined;
}): boolean {
  return projectedAccessCodesBytes(document) <= maxShadowDocumentBytes;
}

/**
 * How many codes the shadow holds at the widest entries this contract allows: while each is still pending
 * (desired and its answer both present), and once the cloud has cleared desired (only the lock's entries).
 */
export function accessCodesCapacity(): { whilePending: number; onceApplied: number } {
  const frame = shadowStateBytes({ desired: { codes: {} }, reported: { applied: {} } });
  const pending = entryBytes(widestPut) + entryBytes(widestAnswer);
  return {
    whilePending: Math.floor((maxShadowDocumentBytes - frame) / pending),
    onceApplied: Math.floor((maxShadowDocumentBytes - frame) / entryBytes(widestAnswer)),
  };
}
