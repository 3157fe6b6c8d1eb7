/**
 * A lock as hosts see it: the lock itself plus its condition as the lock last reported it (online since when,
 * bolt, door, battery, firmware, keypad lockout, when it was last heard from). The condition lives apart from
 * the lock entity (shared/adapters/dynamo/lock-condition.ts) and is joined here for the host API's lock views.
 */
import { epochOf, type IsoInstant, laterOf } from '#shared/domain/local-time.ts';
import type { Lock } from '#shared/domain/lock.ts';
import type { LockCondition, LockConditionStore } from './ports.ts';

/** What the host API shows of a lock's condition; `null` where the lock has not said (yet). */
export interface LockConditionView {
  /** `null` until the lock first connects; Bluetooth-only locks never do. */
  readonly online: boolean | null;
  /** When the lock last came online or went offline. */
  readonly onlineSince: IsoInstant | null;
  readonly bolt: 'locked' | 'unlocked' | null;
  readonly door: 'open' | 'closed' | 'no-sensor' | null;
  readonly battery: number | null;
  readonly firmware: string | null;
  /** Whether the keypad refuses every entry now, after repeated wrong PINs, and until when. */
  readonly keypadLockedOut: boolean;
  readonly keypadLockedOutUntil: IsoInstant | null;
  /** The latest state report or connection change the cloud received from the lock. */
  readonly lastSeenAt: IsoInstant | null;
  /** The instant of the state report that bolt, door, battery, firmware and lockout come from. */
  readonly reportedAt: IsoInstant | null;
}

export type LockView = Lock & { readonly condition: LockConditionView };

/** A lock as a host reads it: with whether they may ask for it to be opened remotely now. */
export type HostLockView = LockView & { readonly mayUnlock: boolean };

export function viewOfCondition({
  condition,
  now,
}: {
  condition: LockCondition | undefined;
  now: Date;
}): LockConditionView {
  const lockedOutUntil = condition?.keypadLockedOutUntil ?? null;
  const keypadLockedOut = lockedOutUntil !== null && epochOf(lockedOutUntil) > now.getTime();
  const seen = [condition?.reportedAt, condition?.connection?.since].filter(
    (instant): instant is IsoInstant => instant !== undefined,
  );
  return {
    online: condition?.connection?.online ?? null,
    onlineSince: condition?.connection?.since ?? null,
    bolt: condition?.bolt ?? null,
    door: condition?.door ?? null,
    battery: condition?.battery ?? null,
    firmware: condition?.firmware ?? null,
    keypadLockedOut,
    keypadLockedOutUntil: keypadLockedOut ? lockedOutUntil : null,
    lastSeenAt: seen.length === 0 ? null : seen.reduce(laterOf),
    reportedAt: condition?.reportedAt ?? null,
  };
}

/** The locks with their conditions, read side by side (a property has a handful of locks). */
export async function withConditions({
  conditions,
  locks,
  now,
}: {
  conditions: Pick<LockConditionStore, 'get'>;
  locks: readonly Lock[];
  now: Date;
}): Promise<LockView[]> {
  return Promise.all(
    locks.map(async (lock) => ({
      ...lock,
      condition: viewOfCondition({
        condition: await conditions.get({ tenantId: lock.tenantId, lockId: lock.id }),
        now,
      }),
    })),
  );
}
