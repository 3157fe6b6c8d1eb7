/**
 * Remote unlock through a lock's `commands` shadow.
 *
 * desired (the cloud only): `{"commands":{"<commandId>":{"action":"unlock","issuedAt":1767366000,
 *   "expiresAt":1767366030,"nonce":"…22…","key":1,"signature":"…43…"}}}`
 * reported (the lock only): `{"results":{"<commandId>":{"status":"succeeded","at":1767366001}}}`, or
 *   `{"status":"failed","reason":"expired","at":…}`.
 *
 * The signature is HMAC-SHA256 with the lock's device key over
 *   `lockstay-unlock-v1\n{thingName}\n{commandId}\n{action}\n{issuedAt}\n{expiresAt}\n{nonce}\n{key}`,
 * base64url without padding. A lock executes a command only if the signature is right, it is not expired
 * (with a small clock-skew allowance), its lifetime is short, and its id was never executed before; it
 * remembers executed ids until their expiry has passed, after which the expiry alone refuses them. Whatever it
 * decides, it reports the outcome under the command's id, with the reason when it refused.
 *
 * Why a symmetric key and not Ed25519 with a cloud signing key: the lock must share a secret with the cloud
 * anyway (PIN hashes and offline codes are checked offline against values the cloud computed), so a second,
 * asymmetric key would add key management without taking risk away. Keys are per lock, so a key extracted
 * from one lock forges commands for that lock only, which its thief can already open; a fleet-wide Ed25519
 * key would instead make one cloud secret the key to every door. HMAC-SHA256 is also cheap on the smallest
 * microcontrollers, and KMS can hold HMAC keys (GenerateMac/VerifyMac) if the cloud wants them out of memory.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  clientTokenSchema,
  contractIdSchema,
  epochSecondsOf,
  epochSecondsSchema,
  idRecord,
} from './contract.ts';
import {
  constantTimeEquals,
  type DeviceKey,
  deviceMac,
  keyVersionSchema,
  macPurposes,
} from './device-key.ts';

export const commandRules = {
  /** How far the lock's clock may be from the cloud's, either way, for a command still to count as fresh. */
  clockSkewSeconds: 30,
  /** A command valid for longer than this is refused whatever its signature: only short commands exist. */
  maxLifetimeSeconds: 300,
  /** Commands the cloud may have pending on one lock at once (and so results awaiting acknowledgement). */
  maxPending: 10,
} as const;

export const commandActions = ['unlock'] as const;
export type CommandAction = (typeof commandActions)[number];

export const unlockCommandSchema = z
  .strictObject({
    action: z.enum(commandActions),
    issuedAt: epochSecondsSchema,
    expiresAt: epochSecondsSchema,
    /** 16 random bytes, base64url: no two signed messages are alike, even for one id signed twice. */
    nonce: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
    key: keyVersionSchema,
    signature: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  })
  .refine((command) => command.expiresAt > command.issuedAt, {
    message: 'A command expires after it is issued',
    path: ['expiresAt'],
  });
export type UnlockCommandDocument = z.infer<typeof unlockCommandSchema>;

/** Why a lock refused a command without trying it; reported as the result's `reason`. */
export const commandRefusalReasons = [
  'malformed',
  'unknown-key',
  'bad-signature',
  'lifetime-too-long',
  'not-yet-valid',
  'expired',
  'replayed',
] as const;
export type CommandRefusalReason = (typeof commandRefusalReasons)[number];

/** Every reason a result may carry: refusals, and what stopped a verified command at the door. */
export const commandFailureReasons = [...commandRefusalReasons, 'battery-depleted'] as const;
export type CommandFailureReason = (typeof commandFailureReasons)[number];

export const commandResultSchema = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('succeeded'), at: epochSecondsSchema }),
  z.strictObject({
    status: z.literal('failed'),
    reason: z.enum(commandFailureReasons),
    at: epochSecondsSchema,
  }),
]);
export type CommandResult = z.infer<typeof commandResultSchema>;

// Results wait for the cloud to clear their commands; a report racing the clearing may briefly hold a few more.
const maxReportedResults = 2 * commandRules.maxPending;

export const commandsDesiredSchema = z.strictObject({
  commands: idRecord(unlockCommandSchema, commandRules.maxPending).optional(),
});
export type CommandsDesired = z.infer<typeof commandsDesiredSchema>;

export const commandsReportedSchema = z.strictObject({
  results: idRecord(commandResultSchema, maxReportedResults).optional(),
});
export type CommandsReported = z.infer<typeof commandsReportedSchema>;

/** What the cloud publishes to the `commands` shadow: new commands, and nulls for those it has closed. */
export const commandsDesiredUpdateSchema = z.strictObject({
  state: z.strictObject({
    desired: z.strictObject({
      commands: idRecord(z.union([unlockCommandSchema, z.null()]), commandRules.maxPending * 2),
    }),
  }),
  clientToken: clientTokenSchema.optional(),
  version: z.int().min(1).optional(),
});
export type CommandsDesiredUpdate = z.infer<typeof commandsDesiredUpdateSchema>;

/** What the lock publishes to the `commands` shadow: results, and nulls for those the cloud acknowledged. */
export const commandsReportUpdateSchema = z.strictObject({
  state: z.strictObject({
    reported: z.strictObject({
      results: idRecord(z.union([commandResultSchema, z.null()]), maxReportedResults * 2),
    }),
  }),
  clientToken: clientTokenSchema.optional(),
});
export type CommandsReportUpdate = z.infer<typeof commandsReportUpdateSchema>;

function signatureOf({
  key,
  thingName,
  commandId,
  command,
}: {
  key: DeviceKey;
  thingName: string;
  commandId: string;
  command: Omit<UnlockCommandDocument, 'signature'>;
}): string {
  return deviceMac({
    key,
    purpose: macPurposes.unlockCommand,
    fields: [
      thingName,
      commandId,
      command.action,
      command.issuedAt,
      command.expiresAt,
      command.nonce,
      command.key,
    ],
  }).toString('base64url');
}

/** A signed unlock command for one lock (the cloud side). Instants may be Dates, ISO strings or epoch ms. */
export function signUnlockCommand({
  key,
  thingName,
  commandId,
  issuedAt,
  expiresAt,
  nonce = randomBytes(16).toString('base64url'),
}: {
  key: DeviceKey;
  thingName: string;
  commandId: string;
  issuedAt: Date | string | number;
  expiresAt: Date | string | number;
  nonce?: string;
}): UnlockCommandDocument {
  contractIdSchema.parse(commandId);
  const unsigned = {
    action: 'unlock' as const,
    issuedAt: epochSecondsOf(issuedAt),
    expiresAt: epochSecondsOf(expiresAt),
    nonce,
    key: key.version,
  };
  if (unsigned.expiresAt - unsigned.issuedAt > commandRules.maxLifetimeSeconds) {
    throw new Error(`An unlock command lives at most ${commandRules.maxLifetimeSeconds} s`);
  }
  return unlockCommandSchema.parse({
    ...unsigned,
    signature: signatureOf({ key, thingName, commandId, command: unsigned }),
  });
}

export type CommandVerdict =
  | { readonly ok: true; readonly command: UnlockCommandDocument }
  | { readonly ok: false; readonly reason: CommandRefusalReason };

/**
 * What a lock decides about a command it found in its desired `commands` (the lock side), checking in this
 * order: it reads as a command; the key version is one the lock holds; the signature is right; its lifetime is
 * short; it is not from the future; it has not expired; its id was not executed before.
 */
export function verifyUnlockCommand({
  keys,
  thingName,
  commandId,
  command,
  now,
  wasExecuted,
}: {
  keys: readonly DeviceKey[];
  thingName: string;
  commandId: string;
  command: unknown;
  /** The lock's clock, epoch milliseconds. */
  now: number;
  /** Whether this lock has executed a command with this id (it remembers ids until `rememberUntil`). */
  wasExecuted: (commandId: string) => boolean;
}): CommandVerdict {
  const parsed = unlockCommandSchema.safeParse(command);
  if (!parsed.success || !contractIdSchema.safeParse(commandId).success) {
    return { ok: false, reason: 'malformed' };
  }
  const candidate = parsed.data;
  const key = keys.find((held) => held.version === candidate.key);
  if (key === undefined) return { ok: false, reason: 'unknown-key' };
  const { signature, ...unsigned } = candidate;
  if (!constantTimeEquals(signature, signatureOf({ key, thingName, commandId, command: unsigned }))) {
    return { ok: false, reason: 'bad-signature' };
  }
  if (candidate.expiresAt - candidate.issuedAt > commandRules.maxLifetimeSeconds) {
    return { ok: false, reason: 'lifetime-too-long' };
  }
  const nowSeconds = epochSecondsOf(now);
  if (candidate.issuedAt > nowSeconds + commandRules.clockSkewSeconds) {
    return { ok: false, reason: 'not-yet-valid' };
  }
  if (nowSeconds >= candidate.expiresAt + commandRules.clockSkewSeconds)
    return { ok: false, reason: 'expired' };
  if (wasExecuted(commandId)) return { ok: false, reason: 'replayed' };
  return { ok: true, command: candidate };
}

/** Until when (epoch seconds) a lock must remember it executed a command; after that its expiry refuses it. */
export function rememberUntil(command: Pick<UnlockCommandDocument, 'expiresAt'>): number {
  return command.expiresAt + commandRules.clockSkewSeconds;
}

/** One update of desired `commands`: commands to issue, and ids to clear once closed or expired. */
export function commandsDesiredUpdate({
  issue = [],
  clear = [],
}: {
  issue?: readonly { commandId: string; command: UnlockCommandDocument }[];
  clear?: readonly string[];
}): CommandsDesiredUpdate {
  const commands: Record<string, unknown> = {};
  for (const commandId of clear) commands[commandId] = null;
  for (const { commandId, command } of issue) commands[commandId] = command;
  return commandsDesiredUpdateSchema.parse({ state: { desired: { commands } } });
}

/** The lock's report of results (`null` drops a result the cloud has acknowledged). */
export function commandsReport(
  results: Readonly<Record<string, CommandResult | null>>,
  clientToken?: string,
): CommandsReportUpdate {
  return commandsReportUpdateSchema.parse({
    state: { reported: { results } },
    ...(clientToken !== undefined ? { clientToken } : {}),
  });
}
