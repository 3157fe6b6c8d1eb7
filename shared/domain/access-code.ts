/**
 * An access code is one grant's PIN on one lock, with the window the lock must enforce. Its status follows
 * the code's life on the lock:
 *
 *   scheduled ──► setting ──► set ──► removing ──► removed
 *       │            │  ▲      │          │  ▲
 *       │            ▼  └──────┘          ▼  │
 *       └─► removed  failed ◄─────────── failed
 *
 * `scheduled` comes before the four states of the device contract: a code for a stay three months away exists
 * (the guest may be told it) but is not on the lock yet, which holds only codes due within the push lead time.
 * A change of window on a code that is `set` sends it again (`setting`); a failed code can be retried, removed
 * from the lock, or dropped when it is known not to be there. The table below is the whole of the rules.
 *
 * A code holds its PIN on its lock (no other live code there may have the same PIN) until it is `removed`.
 */
import { revise, type Versioned } from './entity.ts';
import type { GrantWindow } from './grant.ts';
import type { IsoInstant } from './local-time.ts';
import { defineStateMachine } from './state-machine.ts';

export const accessCodeStatuses = ['scheduled', 'setting', 'set', 'removing', 'removed', 'failed'] as const;
export type AccessCodeStatus = (typeof accessCodeStatuses)[number];

export const accessCodeLifecycle = defineStateMachine<AccessCodeStatus>({
  name: 'access code',
  transitions: {
    scheduled: ['setting', 'removed'],
    setting: ['set', 'failed', 'removing'],
    set: ['setting', 'removing'],
    removing: ['removed', 'failed'],
    failed: ['setting', 'removing', 'removed'],
    removed: [],
  },
});

export const accessCodeFailureReasons = [
  'lock-offline',
  'lock-full',
  'rejected-by-lock',
  'not-confirmed-in-time',
  'too-many-codes-for-shadow',
] as const;
export type AccessCodeFailureReason = (typeof accessCodeFailureReasons)[number];

export interface AccessCodeFailure {
  readonly reason: AccessCodeFailureReason;
  /** Whether the code failed to go onto the lock or to come off it (then it may still open the door). */
  readonly during: 'setting' | 'removing';
  readonly at: IsoInstant;
  /** What the lock said, when it said anything. */
  readonly detail?: string | undefined;
}

export interface AccessCode extends Versioned {
  readonly tenantId: string;
  readonly id: string;
  readonly grantId: string;
  readonly lockId: string;
  readonly propertyId: string;
  readonly pin: string;
  readonly status: AccessCodeStatus;
  /** The window the lock must enforce; follows the grant's. */
  readonly window: GrantWindow;
  readonly singleUse: boolean;
  /** The last failure, kept while the status is `failed`. */
  readonly failure?: AccessCodeFailure | undefined;
}

/** Whether the code still holds its PIN on its lock. */
export function holdsPin(code: Pick<AccessCode, 'status'>): boolean {
  return code.status !== 'removed';
}

type Move =
  | { readonly to: Exclude<AccessCodeStatus, 'failed'> }
  | { readonly to: 'failed'; readonly reason: AccessCodeFailureReason; readonly detail?: string | undefined };

/** The code in its next status; throws IllegalTransitionError for a move the lifecycle does not allow. */
export function moveAccessCode({
  code,
  move,
  at,
}: {
  code: AccessCode;
  move: Move;
  at: IsoInstant;
}): AccessCode {
  accessCodeLifecycle.move(code.status, move.to);
  if (move.to === 'failed') {
    const during = code.status === 'removing' ? 'removing' : 'setting';
    return revise(
      code,
      { status: 'failed', failure: { reason: move.reason, during, at, detail: move.detail } },
      at,
    );
  }
  return revise(code, { status: move.to, failure: undefined }, at);
}

/**
 * The code once its grant is revoked or cancelled: a code never sent is simply dropped, one that is or may be
 * on the lock must be taken off. Unchanged when it is already on its way out.
 */
export function withdrawAccessCode({ code, at }: { code: AccessCode; at: IsoInstant }): AccessCode {
  switch (code.status) {
    case 'scheduled':
      return moveAccessCode({ code, move: { to: 'removed' }, at });
    case 'setting':
    case 'set':
    case 'failed':
      return moveAccessCode({ code, move: { to: 'removing' }, at });
    case 'removing':
    case 'removed':
      return code;
  }
}

/**
 * The code with its grant's new window. A code already on (or going to) the lock must be sent again with it;
 * one still scheduled just goes later with the new window. A code on its way out keeps its old window.
 */
export function rescheduleAccessCode({
  code,
  window,
  at,
}: {
  code: AccessCode;
  window: GrantWindow;
  at: IsoInstant;
}): AccessCode {
  switch (code.status) {
    case 'scheduled':
    case 'setting':
      return revise(code, { window }, at);
    case 'set':
    case 'failed':
      return { ...moveAccessCode({ code, move: { to: 'setting' }, at }), window };
    case 'removing':
    case 'removed':
      return code;
  }
}
