/**
 * Remote unlock, end to end on the cloud side:
 * - `requestUnlock`: who may (403/404), whether the lock can be reached remotely at all (409 Bluetooth-only) and
 *   now (409 offline), then a pending command with a short expiry, committed with its audit event BEFORE the
 *   signed command is written to the lock's `commands` shadow, and an `expire-command` task at its expiry;
 * - `applyCommandResults`: the lock's reported results close their commands (once, whatever the order and
 *   repetition of documents) and their desired entries are cleared;
 * - `expireUnlockCommand` (the task's runner): a command still pending at its expiry is `expired` and its desired
 *   entry cleared, so a lock that comes back later never finds it;
 * - `getUnlockCommand`: the command as its requester (or anyone who may see the lock) reads it, optionally
 *   waiting a few seconds for its outcome.
 * Nothing is written to a shadow for a refused request.
 */

import { z } from 'zod';
import { commandRules, commandsDesiredUpdate, signUnlockCommand } from '#shared/devices/commands.ts';
import { lockShadows } from '#shared/devices/contract.ts';
import { type LockShadowDocuments, readShadowDocuments } from '#shared/devices/documents.ts';
import { clearRemoteUnlock, LockUnreachableError } from '#shared/domain/access-policy.ts';
import { type AuditActor, auditTrail } from '#shared/domain/audit.ts';
import { type EntityKind, newEntityId } from '#shared/domain/entity.ts';
import { NotFoundError, TooManyRequestsError } from '#shared/domain/errors.ts';
import type { Grant } from '#shared/domain/grant.ts';
import { instantOf } from '#shared/domain/local-time.ts';
import type { Lock } from '#shared/domain/lock.ts';
import { thingNameOf } from '#shared/domain/operations/locks.ts';
import {
  beginOperation,
  conflictError,
  found,
  type OperationContext,
} from '#shared/domain/operations/operation.ts';
import { isPermitted } from '#shared/domain/permissions.ts';
import type { DomainPorts } from '#shared/domain/ports/domain-ports.ts';
import type { TaskScheduler } from '#shared/domain/ports/task-scheduler.ts';
import type { Principal } from '#shared/domain/team.ts';
import {
  expireUnlockCommand as expiredVersionOf,
  newUnlockCommand,
  settleUnlockCommand,
  type UnlockCommand,
  type UnlockCommandStatus,
  unlockCommandStatusAt,
} from '#shared/domain/unlock-command.ts';
import { signingKeyVersion } from './credential-rotation.ts';
import type { DeviceKeys, IotShadowGateway, LockConditionStore } from './ports.ts';

/** The scheduled task that expires a command still pending at its expiry. */
export const expireCommandTaskType = 'expire-command';

export type UnlockCommandPorts = Pick<
  DomainPorts,
  'clock' | 'ids' | 'locks' | 'grants' | 'unlockCommands' | 'changes'
> & {
  readonly shadows: IotShadowGateway;
  readonly deviceKeys: DeviceKeys;
  readonly tasks: TaskScheduler;
  /** The lock's presence as the device events recorded it. */
  readonly conditions: Pick<LockConditionStore, 'get'>;
};

/**
 * Whether the lock can hear a command now, as far as the cloud knows. A lock whose presence was never recorded
 * counts as online: a command it never answers expires, while refusing would refuse every lock not yet heard of.
 */
export async function lockIsOnline({
  conditions,
  lock,
}: {
  conditions: Pick<LockConditionStore, 'get'>;
  lock: Pick<Lock, 'tenantId' | 'id'>;
}): Promise<boolean> {
  const condition = await conditions.get({ tenantId: lock.tenantId, lockId: lock.id });
  return condition?.connection?.online ?? true;
}

/** What the API answers about a command. */
export interface UnlockCommandView {
  readonly id: string;
  readonly lockId: string;
  readonly status: UnlockCommandStatus;
  readonly reason?: string | undefined;
  readonly issuedAt: string;
  readonly expiresAt: string;
  readonly settledAt?: string | undefined;
}

export function viewOfCommand({ command, now }: { command: UnlockCommand; now: Date }): UnlockCommandView {
  const status = unlockCommandStatusAt({ command, now });
  return {
    id: command.id,
    lockId: command.lockId,
    status,
    ...(command.failureReason !== undefined ? { reason: command.failureReason } : {}),
    issuedAt: command.issuedAt,
    expiresAt: command.expiresAt,
    ...(command.settledAt !== undefined ? { settledAt: command.settledAt } : {}),
  };
}

const expiryTaskId = (command: Pick<UnlockCommand, 'tenantId' | 'id'>) =>
  `expire-command-${command.tenantId}-${command.id}`;

/** The ids of the commands the cloud has pending in the lock's shadow now. */
async function desiredCommandIds({ shadows, thingName }: { shadows: IotShadowGateway; thingName: string }) {
  const shadow = await shadows.getShadow({ thingName, shadowName: lockShadows.commands });
  const desired = shadow?.state.desired as { commands?: Record<string, unknown> } | undefined;
  return Object.entries(desired?.commands ?? {})
    .filter(([, command]) => command !== null)
    .map(([commandId]) => commandId);
}

/** Who asks: a host (a team member's principal) or the holder of a grant acting through it (a guest's link). */
export type UnlockRequesterOf =
  | { readonly principal: Principal; readonly grantHolder?: undefined }
  | { readonly grantHolder: Grant; readonly principal?: undefined };

/** A grant holder's operation: the tenant is the grant's and the audit actor is the guest of that grant. */
function beginGuestOperation({
  ports,
  grantHolder,
}: {
  ports: Pick<DomainPorts, 'clock' | 'ids'>;
  grantHolder: Grant;
}): OperationContext {
  const now = ports.clock.now();
  const at = instantOf(now);
  const actor: AuditActor = { kind: 'guest', grantId: grantHolder.id };
  const newId = (kind: EntityKind) => newEntityId({ ids: ports.ids, kind });
  return {
    now,
    at,
    actor,
    audit: auditTrail({ tenantId: grantHolder.tenantId, actor, at, newId: () => newId('auditEvent') }),
    newId,
  };
}

/**
 * Asks the lock to open now, for a host or for a grant's holder (a guest: only while the grant is active and
 * covers the lock). Checks in order: the lock exists for this caller and they may open it (404/403/410),
 * it can be opened remotely (409), it is online (409), fewer than 10 commands are pending on it (429). Then the
 * command and its audit event are committed; then its expiry is scheduled and the signed command written to the
 * shadow.
 */
export async function requestUnlock({
  ports,
  principal,
  grantHolder,
  lockId,
  idempotencyKey,
  note,
}: {
  ports: UnlockCommandPorts;
  lockId: string;
  /** Why, in the requester's words ("letting the plumber in"), kept in the audit log. */
  note?: string | undefined;
  /** Recorded in the audit event so that a retried request can be traced to its first. */
  idempotencyKey?: string | undefined;
} & UnlockRequesterOf): Promise<{ command: UnlockCommand }> {
  const { now, at, audit, newId } =
    grantHolder === undefined
      ? beginOperation({ ports, principal })
      : beginGuestOperation({ ports, grantHolder });
  const tenantId = grantHolder === undefined ? principal.tenantId : grantHolder.tenantId;
  // What depends only on the lock's id is read beside the lock itself: its presence and the commands pending in
  // its shadow (its thing name is derived from the id). Reads only: a refused request still writes nothing.
  const thingName = thingNameOf(lockId);
  const conditionRead = ports.conditions.get({ tenantId, lockId });
  const pendingInShadow = desiredCommandIds({ shadows: ports.shadows, thingName });
  // Either may be left unread when the request is refused first.
  conditionRead.catch(() => undefined);
  pendingInShadow.catch(() => undefined);
  const lock = found(await ports.locks.get({ tenantId, lockId }), { entity: 'lock', id: lockId });
  const grantsOnLock =
    principal?.kind === 'member' && principal.role === 'staff'
      ? await ports.grants.listLiveByProperty({
          tenantId: lock.tenantId,
          propertyId: lock.propertyId,
          at,
        })
      : [];
  // Who may, and whether the lock can be reached remotely at all, answer before anything else is awaited.
  const clearance = clearRemoteUnlock({
    requester:
      grantHolder === undefined ? { kind: 'host', principal } : { kind: 'grant-holder', grant: grantHolder },
    lock,
    grantsOnLock,
    online: true,
    now,
  });
  const [condition, pending] = await Promise.all([
    conditionRead,
    lock.thingName === thingName
      ? pendingInShadow
      : desiredCommandIds({ shadows: ports.shadows, thingName: lock.thingName }),
  ]);
  // A lock with no recorded presence counts as online (see lockIsOnline).
  const online = condition?.connection?.online ?? true;
  // Between a rotation and the installer's visit the lock holds only the previous key: sign with what it holds.
  const keyVersion = signingKeyVersion({ lock, condition });
  const key = await ports.deviceKeys.load({ tenantId: lock.tenantId, lockId: lock.id, keyVersion });
  if (!online) throw new LockUnreachableError('offline');
  if (pending.length >= commandRules.maxPending) {
    throw new TooManyRequestsError(
      `Lock ${lock.id} already has ${commandRules.maxPending} unlock commands waiting; try again shortly`,
      5,
    );
  }
  if (key === undefined) {
    throw new Error(`No device key version ${keyVersion} is stored for lock ${lock.id}`);
  }

  const command = newUnlockCommand({
    tenantId: lock.tenantId,
    id: newId('unlockCommand'),
    lock,
    requestedBy: clearance.requestedBy,
    grantId: clearance.grantId,
    now,
  });
  audit.record({
    action: 'unlock-command.requested',
    target: { kind: 'unlock-command', id: command.id },
    propertyId: lock.propertyId,
    lockId: lock.id,
    details: {
      expiresAt: command.expiresAt,
      ...(clearance.grantId !== undefined ? { grantId: clearance.grantId } : {}),
      ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
      ...(note !== undefined ? { note } : {}),
    },
  });
  const outcome = await ports.changes.commit({
    writes: [{ entity: 'unlockCommand', op: 'create', value: command }],
    auditEvents: audit.events,
  });
  if (!outcome.ok) throw conflictError(outcome.conflict);

  const signed = signUnlockCommand({
    key,
    thingName: lock.thingName,
    commandId: command.id,
    issuedAt: command.issuedAt,
    expiresAt: command.expiresAt,
  });
  // Both only after the commit, and at once: the expiry clears the command whether or not the write reached the
  // lock, and a failed write leaves a pending command that the expiry closes.
  await Promise.all([
    ports.tasks.schedule({
      id: expiryTaskId(command),
      type: expireCommandTaskType,
      runAt: new Date(command.expiresAt),
      payload: { tenantId: command.tenantId, commandId: command.id },
    }),
    ports.shadows.updateShadow({
      thingName: lock.thingName,
      shadowName: lockShadows.commands,
      document: commandsDesiredUpdate({ issue: [{ commandId: command.id, command: signed }] }),
    }),
  ]);
  return { command };
}

export type CommandsShadowDocuments = Extract<LockShadowDocuments, { shadow: 'commands' }>;

/** Whether a document read by `readShadowDocuments` is one of the `commands` shadow. */
export function isCommandsDocument(document: LockShadowDocuments): document is CommandsShadowDocuments {
  return document.shadow === lockShadows.commands;
}

export type CommandResultPorts = Pick<DomainPorts, 'clock' | 'ids' | 'unlockCommands' | 'changes'> & {
  readonly shadows: Pick<IotShadowGateway, 'updateShadow'>;
};

export interface AppliedCommandResults {
  /** Commands this document closed (each is closed by one document only). */
  readonly settled: readonly UnlockCommand[];
  /** Desired entries cleared: closed, expired or unknown commands still in `desired`. */
  readonly cleared: readonly string[];
  /** Results about commands that were no longer pending (already closed, or expired before the report). */
  readonly ignored: readonly string[];
}

/**
 * Applies a `commands` shadow document (from `readShadowDocuments`, of the lock the caller found by its thing
 * name) to the commands: each result of a pending command closes it (succeeded, or failed with the lock's
 * reason) with an audit event whose actor is the lock; then every desired entry whose command is no longer
 * pending (or that the cloud does not know) is cleared. A repeated or out-of-order document changes nothing a
 * second time: a closed command stays as it was, and clearing only ever names entries still desired.
 */
export async function applyCommandResults({
  ports,
  lock,
  document,
}: {
  ports: CommandResultPorts;
  lock: Pick<Lock, 'tenantId' | 'id' | 'propertyId' | 'thingName'>;
  document: CommandsShadowDocuments;
}): Promise<AppliedCommandResults> {
  const now = ports.clock.now();
  const at = instantOf(now);
  const results = document.current.reported?.results ?? {};
  const desired = Object.entries(document.current.desired?.commands ?? {})
    .filter(([, command]) => command !== null)
    .map(([commandId]) => commandId);
  const settled: UnlockCommand[] = [];
  const ignored: string[] = [];
  const stillPending = new Set<string>();

  const commandOf = async (commandId: string) => {
    const command = await ports.unlockCommands.get({ tenantId: lock.tenantId, commandId });
    return command?.lockId === lock.id ? command : undefined;
  };

  // Each result and each other desired entry is its own command: they are read and closed side by side.
  const settleResult = async (commandId: string, result: NonNullable<(typeof results)[string]>) => {
    let command = await commandOf(commandId);
    // Another instance may settle or expire the same command at once: re-read and try again while it is pending.
    for (let attempt = 0; command?.status === 'pending' && attempt < 3; attempt += 1) {
      const closed = settleUnlockCommand({
        command,
        outcome:
          result.status === 'succeeded'
            ? { status: 'succeeded' }
            : { status: 'failed', reason: result.reason },
        at,
      });
      const audit = auditTrail({
        tenantId: lock.tenantId,
        actor: { kind: 'device', lockId: lock.id },
        at,
        newId: () => newEntityId({ ids: ports.ids, kind: 'auditEvent' }),
      });
      audit.record({
        action: `unlock-command.${result.status}`,
        target: { kind: 'unlock-command', id: command.id },
        propertyId: lock.propertyId,
        lockId: lock.id,
        details: {
          lockTime: new Date(result.at * 1000).toISOString(),
          ...(result.status === 'failed' ? { reason: result.reason } : {}),
        },
      });
      const outcome = await ports.changes.commit({
        writes: [{ entity: 'unlockCommand', op: 'update', value: closed }],
        auditEvents: audit.events,
      });
      if (outcome.ok) {
        settled.push(closed);
        return;
      }
      command = await commandOf(commandId);
    }
    if (command !== undefined) ignored.push(commandId);
  };
  const checkStillPending = async (commandId: string) => {
    const command = await commandOf(commandId);
    if (command !== undefined && unlockCommandStatusAt({ command, now }) === 'pending') {
      stillPending.add(commandId);
    }
  };
  await Promise.all([
    ...Object.entries(results).map(([commandId, result]) =>
      result === undefined ? undefined : settleResult(commandId, result),
    ),
    ...desired.filter((commandId) => !(commandId in results)).map(checkStillPending),
  ]);

  const cleared = desired.filter((commandId) => !stillPending.has(commandId));
  if (cleared.length > 0) {
    await ports.shadows.updateShadow({
      thingName: lock.thingName,
      shadowName: lockShadows.commands,
      document: commandsDesiredUpdate({ clear: cleared }),
    });
  }
  return { settled, cleared, ignored };
}

/** Reads a rule payload and applies it when it is a `commands` document; anything else is not this module's. */
export function commandsDocumentOf(payload: unknown): CommandsShadowDocuments | undefined {
  const reading = readShadowDocuments(payload);
  return reading.ok && isCommandsDocument(reading.value) ? reading.value : undefined;
}

export type CommandExpiryPorts = Pick<
  DomainPorts,
  'clock' | 'ids' | 'locks' | 'unlockCommands' | 'changes'
> & {
  readonly shadows: Pick<IotShadowGateway, 'updateShadow'>;
};

const expiryActor: AuditActor = { kind: 'system', process: 'unlock-command-expiry' };

/**
 * The `expire-command` task: a command still pending at its expiry becomes `expired`, and its desired entry is
 * cleared whatever its status, so that a lock reconnecting later never finds it. Running twice is harmless.
 */
export async function expireUnlockCommand({
  ports,
  tenantId,
  commandId,
}: {
  ports: CommandExpiryPorts;
  tenantId: string;
  commandId: string;
}): Promise<{ command: UnlockCommand | undefined; expired: boolean }> {
  const now = ports.clock.now();
  const at = instantOf(now);
  let command = await ports.unlockCommands.get({ tenantId, commandId });
  if (command === undefined) return { command, expired: false };
  const lock = await ports.locks.get({ tenantId, lockId: command.lockId });
  // Off the shadow first, then recorded: once the command is recorded expired, no lock can receive it any more.
  // Should the shadow refuse, the task fails and runs again with the command still pending.
  if (lock !== undefined) {
    await ports.shadows.updateShadow({
      thingName: lock.thingName,
      shadowName: lockShadows.commands,
      document: commandsDesiredUpdate({ clear: [commandId] }),
    });
  }
  let expired = false;
  for (let attempt = 0; command?.status === 'pending' && attempt < 3; attempt += 1) {
    // A scheduler that fires a moment early must not leave the command pending for ever.
    const closed = expiredVersionOf({
      command,
      now: new Date(Math.max(now.getTime(), Date.parse(command.expiresAt))),
    });
    const audit = auditTrail({
      tenantId,
      actor: expiryActor,
      at,
      newId: () => newEntityId({ ids: ports.ids, kind: 'auditEvent' }),
    });
    audit.record({
      action: 'unlock-command.expired',
      target: { kind: 'unlock-command', id: command.id },
      propertyId: command.propertyId,
      lockId: command.lockId,
      details: { expiresAt: command.expiresAt },
    });
    const outcome = await ports.changes.commit({
      writes: [{ entity: 'unlockCommand', op: 'update', value: closed }],
      auditEvents: audit.events,
    });
    if (outcome.ok) {
      command = closed;
      expired = true;
      break;
    }
    command = await ports.unlockCommands.get({ tenantId, commandId });
  }
  return { command, expired };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The longest a reader may wait for a command's outcome. */
export const maxCommandWaitSeconds = 10;

/**
 * How a waiting reader polls the command: often at first, when a lock that is online answers (a few hundred
 * milliseconds), then less and less, so a lock that never answers costs a few dozen reads over the whole wait.
 */
export const commandPolling = { firstMs: 20, growth: 1.5, maxMs: 500 } as const;

/**
 * A command as its reader sees it: its requester, or anyone who may see its lock. With `waitSeconds`, polls the
 * record until it is no longer pending or the wait is over, and answers what it is then.
 */
export async function getUnlockCommand({
  ports,
  principal,
  commandId,
  waitSeconds = 0,
  pollMs = commandPolling.firstMs,
}: {
  ports: Pick<DomainPorts, 'clock' | 'unlockCommands'>;
  principal: Principal;
  commandId: string;
  waitSeconds?: number;
  /** The first interval between reads; each next one is longer (`commandPolling`). */
  pollMs?: number;
}): Promise<UnlockCommandView> {
  const read = async () => {
    const command = await ports.unlockCommands.get({ tenantId: principal.tenantId, commandId });
    if (command === undefined) throw new NotFoundError(`Unlock command ${commandId} not found`);
    return command;
  };
  const command = await read();
  const requestedByCaller =
    principal.kind === 'member' &&
    command.requestedBy.kind === 'user' &&
    command.requestedBy.userId === principal.userId;
  const mayReadLock = isPermitted({
    principal,
    action: 'lock.read',
    resource: { tenantId: command.tenantId, propertyId: command.propertyId },
  });
  if (!requestedByCaller && !mayReadLock) throw new NotFoundError(`Unlock command ${commandId} not found`);
  return awaitOutcome({ ports, command, read, waitSeconds, pollMs });
}

/** Polls the command while it is pending and the wait (capped) is not over, and views it as it is then. */
async function awaitOutcome({
  ports,
  command: first,
  read,
  waitSeconds,
  pollMs,
}: {
  ports: Pick<DomainPorts, 'clock'>;
  command: UnlockCommand;
  read: () => Promise<UnlockCommand>;
  waitSeconds: number;
  pollMs: number;
}): Promise<UnlockCommandView> {
  let command = first;
  const deadline = Date.now() + Math.min(Math.max(waitSeconds, 0), maxCommandWaitSeconds) * 1000;
  let interval = pollMs;
  while (unlockCommandStatusAt({ command, now: ports.clock.now() }) === 'pending' && Date.now() < deadline) {
    await sleep(Math.min(interval, Math.max(deadline - Date.now(), 0)));
    interval = Math.min(interval * commandPolling.growth, commandPolling.maxMs);
    command = await read();
  }
  return viewOfCommand({ command, now: ports.clock.now() });
}

/**
 * A command as a grant's holder (a guest) reads it: only the commands asked for under that grant, through its
 * link; any other id is not found, whichever tenant or lock it belongs to.
 */
export async function getGrantHolderUnlockCommand({
  ports,
  grantHolder,
  commandId,
  waitSeconds = 0,
  pollMs = commandPolling.firstMs,
}: {
  ports: Pick<DomainPorts, 'clock' | 'unlockCommands'>;
  grantHolder: Pick<Grant, 'tenantId' | 'id'>;
  commandId: string;
  waitSeconds?: number;
  pollMs?: number;
}): Promise<UnlockCommandView> {
  const read = async () => {
    const command = await ports.unlockCommands.get({ tenantId: grantHolder.tenantId, commandId });
    const holders =
      command?.grantId === grantHolder.id &&
      command.requestedBy.kind === 'guest' &&
      command.requestedBy.grantId === grantHolder.id;
    if (command === undefined || !holders) throw new NotFoundError(`Unlock command ${commandId} not found`);
    return command;
  };
  return awaitOutcome({ ports, command: await read(), read, waitSeconds, pollMs });
}

// The HTTP shapes of remote unlock, shared by the handler and the route table's documentation.

export const unlockRequestSchema = z
  .strictObject({
    note: z.string().trim().min(1).max(200).optional().describe('Why, kept in the audit log'),
  })
  .meta({ id: 'UnlockRequest' });

export const commandPathSchema = z.object({
  commandId: z.string().min(1).max(64).describe('The unlock command'),
});

export const commandWaitQuerySchema = z.object({
  wait: z.coerce
    .number()
    .min(0)
    .max(maxCommandWaitSeconds)
    .optional()
    .describe(
      `Seconds to wait for the lock's answer while the command is pending (at most ${maxCommandWaitSeconds})`,
    ),
});

export const unlockCommandViewSchema = z
  .object({
    id: z.string(),
    lockId: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed', 'expired']),
    reason: z.string().optional().describe("The lock's reason, when it failed"),
    issuedAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    settledAt: z.iso.datetime().optional(),
  })
  .meta({ id: 'UnlockCommand' });

export const guestUnlockRequestSchema = z
  .strictObject({
    lockId: z.string().min(1).max(64).describe("The lock to open, one of the stay's locks"),
  })
  .meta({ id: 'GuestUnlockRequest' });
