/**
 * The lock's non-volatile memory, as a JSON file: the codes it holds (keyed hashes and windows, never a PIN),
 * the offline codes it has admitted, the command ids it has executed (replay protection must survive a
 * reboot), outcomes not yet acknowledged by the cloud, the keypad lockout, and the outbox of events.
 *
 * The file is replaced atomically (written to a temporary file, flushed to disk, renamed over the old one), so
 * a power cut leaves the old memory or the new one, never half of one. A real lock does the same with two
 * flash pages and a sequence number. A file that cannot be read is set aside and the lock starts empty, as a
 * factory-reset lock would: the cloud then sees an empty applied set and sends every code again.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { appliedAccessCodeSchema, pinHashSchema } from '#shared/devices/codes.ts';
import { commandResultSchema } from '#shared/devices/commands.ts';
import { contractIdSchema, epochSecondsSchema, revisionSchema } from '#shared/devices/contract.ts';
import { keyVersionSchema } from '#shared/devices/device-key.ts';
import { lockEventSchema } from '#shared/devices/events.ts';
import { keypadLockoutStateSchema, noLockout } from '#shared/devices/lockout.ts';
import { activatedOfflineCodeSchema, usedSingleUseOfflineCodeSchema } from '#shared/devices/offline-codes.ts';

export const storedCodeSchema = z.strictObject({
  v: revisionSchema,
  key: keyVersionSchema,
  hash: pinHashSchema,
  from: epochSecondsSchema,
  to: epochSecondsSchema.optional(),
  once: z.literal(true).optional(),
  /** When a single-use code was used. */
  used: epochSecondsSchema.optional(),
});
export type StoredCode = z.infer<typeof storedCodeSchema>;

export const storedLockSchema = z.strictObject({
  format: z.literal(1),
  /** The codes on the lock, by the cloud's code id. */
  codes: z.record(contractIdSchema, storedCodeSchema),
  /** Removals and failures reported but not yet acknowledged (the cloud has not cleared desired yet). */
  codeOutcomes: z.record(z.string(), appliedAccessCodeSchema),
  activatedOfflineCodes: z.array(activatedOfflineCodeSchema),
  /** Single-use offline codes admitted once, refused from then on until their window ends. */
  usedSingleUseOfflineCodes: z.array(usedSingleUseOfflineCodeSchema).default([]),
  /** Command ids executed, each with the epoch second until which it must be remembered. */
  executedCommands: z.record(contractIdSchema, epochSecondsSchema),
  /** Command results reported but not yet acknowledged. */
  commandResults: z.record(contractIdSchema, commandResultSchema),
  keypad: keypadLockoutStateSchema,
  battery: z.int().min(0).max(100),
  events: z.strictObject({
    nextSeq: z.int().min(1),
    outbox: z.array(lockEventSchema),
  }),
});
export type StoredLock = z.infer<typeof storedLockSchema>;

export function emptyLockMemory(): StoredLock {
  return {
    format: 1,
    codes: {},
    codeOutcomes: {},
    activatedOfflineCodes: [],
    usedSingleUseOfflineCodes: [],
    executedCommands: {},
    commandResults: {},
    keypad: noLockout,
    battery: 100,
    events: { nextSeq: 1, outbox: [] },
  };
}

export interface LockStorage {
  /** The memory, mutated in place by the lock; `save()` makes the current content durable. */
  readonly memory: StoredLock;
  /** Resolves once everything in `memory` at the time of the call is on disk. */
  save(): Promise<void>;
}

export async function openLockStorage({
  path,
  log,
}: {
  path: string;
  log: (message: string) => void;
}): Promise<LockStorage> {
  const memory = await load(path, log);
  let writing: Promise<void> = Promise.resolve();
  let pending: Promise<void> | undefined;

  // Saves are coalesced: while one write runs, every save asked for meanwhile shares the next write, which
  // captures the memory as it is when it starts.
  function save(): Promise<void> {
    if (pending) return pending;
    pending = writing.then(() => {
      pending = undefined;
      return writeAtomically(path, `${JSON.stringify(memory)}\n`);
    });
    writing = pending.catch((error: unknown) => log(`storage write failed: ${String(error)}`));
    return pending;
  }

  return { memory, save };
}

async function load(path: string, log: (message: string) => void): Promise<StoredLock> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyLockMemory();
    throw error;
  }
  try {
    return storedLockSchema.parse(JSON.parse(text));
  } catch {
    const aside = `${path}.unreadable-${Date.now()}`;
    await rename(path, aside);
    log(`storage at ${path} could not be read; set aside as ${aside}, starting empty`);
    return emptyLockMemory();
  }
}

async function writeAtomically(path: string, content: string) {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${randomUUID()}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}
