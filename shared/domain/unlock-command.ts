/**
 * A remote unlock command: issued by the cloud with a short expiry, settled by the lock's report. A command the
 * lock has not confirmed by its expiry is `expired` and can never succeed later (the lock itself refuses an
 * expired command, and the cloud clears it from the shadow).
 */
import type { AuditActor } from './audit.ts';
import { revise, type Versioned } from './entity.ts';
import { ConflictError } from './errors.ts';
import { addMinutes, epochOf, type IsoInstant, instantOf } from './local-time.ts';
import { defineStateMachine } from './state-machine.ts';

export const unlockCommandStatuses = ['pending', 'succeeded', 'failed', 'expired'] as const;
export type UnlockCommandStatus = (typeof unlockCommandStatuses)[number];

export const unlockCommandLifecycle = defineStateMachine<UnlockCommandStatus>({
  name: 'unlock command',
  transitions: {
    pending: ['succeeded', 'failed', 'expired'],
    succeeded: [],
    failed: [],
    expired: [],
  },
});

/** Long enough for a lock behind a bridge to answer, short enough that a late delivery is useless. */
export const defaultCommandLifetimeSeconds = 30;

export interface UnlockCommand extends Versioned {
  readonly tenantId: string;
  readonly id: string;
  readonly lockId: string;
  readonly propertyId: string;
  readonly requestedBy: AuditActor;
  /** The grant under which a guest or a staff member asked, when it was one of them. */
  readonly grantId?: string | undefined;
  readonly issuedAt: IsoInstant;
  readonly expiresAt: IsoInstant;
  readonly status: UnlockCommandStatus;
  /** The lock's reason, when it failed. */
  readonly failureReason?: string | undefined;
  readonly settledAt?: IsoInstant | undefined;
}

export function newUnlockCommand({
  tenantId,
  id,
  lock,
  requestedBy,
  grantId,
  now,
  lifetimeSeconds = defaultCommandLifetimeSeconds,
}: {
  tenantId: string;
  id: string;
  lock: { id: string; propertyId: string };
  requestedBy: AuditActor;
  grantId?: string | undefined;
  now: Date;
  lifetimeSeconds?: number;
}): UnlockCommand {
  const issuedAt = instantOf(now);
  return {
    tenantId,
    id,
    lockId: lock.id,
    propertyId: lock.propertyId,
    requestedBy,
    grantId,
    issuedAt,
    expiresAt: addMinutes(issuedAt, lifetimeSeconds / 60),
    status: 'pending',
    version: 1,
    createdAt: issuedAt,
    updatedAt: issuedAt,
  };
}

/** The status as of `now`: a pending command past its expiry reads as expired even before it is marked so. */
export function unlockCommandStatusAt({
  command,
  now,
}: {
  command: UnlockCommand;
  now: Date;
}): UnlockCommandStatus {
  return command.status === 'pending' && now.getTime() >= epochOf(command.expiresAt)
    ? 'expired'
    : command.status;
}

/**
 * The command closed by the lock's report. The lock checks the expiry itself, so a report that arrives after
 * it still tells what the lock did and is accepted while the command is pending.
 */
export function settleUnlockCommand({
  command,
  outcome,
  at,
}: {
  command: UnlockCommand;
  outcome: { status: 'succeeded' } | { status: 'failed'; reason: string };
  at: IsoInstant;
}): UnlockCommand {
  unlockCommandLifecycle.move(command.status, outcome.status);
  return revise(
    command,
    {
      status: outcome.status,
      settledAt: at,
      failureReason: outcome.status === 'failed' ? outcome.reason : undefined,
    },
    at,
  );
}

/** The command marked expired; refused before its expiry, and once it is settled. */
export function expireUnlockCommand({ command, now }: { command: UnlockCommand; now: Date }): UnlockCommand {
  if (now.getTime() < epochOf(command.expiresAt)) {
    throw new ConflictError(`Unlock command ${command.id} has not expired yet`);
  }
  unlockCommandLifecycle.move(command.status, 'expired');
  return revise(command, { status: 'expired', settledAt: instantOf(now) }, instantOf(now));
}
