/**
 * Who may open a lock remotely, now. Checked in this order, each with its own answer:
 * 1. the requester may open this lock now: a host by role (a cleaner only inside a grant of their own that is
 *    active and covers this lock), a guest only with an active grant that covers this lock;
 * 2. the lock can be opened remotely at all (a Bluetooth-only lock never can: use the code);
 * 3. the lock is online (an offline lock cannot hear the command: use the code).
 * Whoever passes gets the attribution the unlock command and its audit event carry.
 */
import { type AuditActor, actorOf } from './audit.ts';
import { ConflictError, GoneError, NotFoundError, NotPermittedError } from './errors.ts';
import { type Grant, grantStatus, holderUserIdOf } from './grant.ts';
import { canUnlockRemotely, type Lock } from './lock.ts';
import { authorize, isPermitted } from './permissions.ts';
import type { Principal } from './team.ts';

/** The lock cannot take a remote command (Bluetooth-only, or offline); the person should use their code. */
export class LockUnreachableError extends ConflictError {
  readonly reason: 'bluetooth-only' | 'offline';
  constructor(reason: 'bluetooth-only' | 'offline') {
    super(
      reason === 'bluetooth-only'
        ? 'This lock works over Bluetooth only and cannot be opened remotely; use the code on its keypad'
        : 'The lock is offline and cannot be opened remotely right now; use the code on its keypad',
    );
    this.reason = reason;
  }
}

export type UnlockRequester =
  | { readonly kind: 'host'; readonly principal: Principal }
  /** A guest or holder acting through their grant's link. */
  | { readonly kind: 'grant-holder'; readonly grant: Grant };

export interface RemoteUnlockClearance {
  readonly requestedBy: AuditActor;
  /** The grant the unlock happens under, when it is a grant holder's or a cleaner's. */
  readonly grantId?: string | undefined;
}

const covers = (grant: Grant, lock: Lock, now: Date) =>
  grant.tenantId === lock.tenantId &&
  grant.lockIds.includes(lock.id) &&
  grantStatus({ grant, now }) === 'active';

export function clearRemoteUnlock({
  requester,
  lock,
  grantsOnLock,
  online,
  now,
}: {
  requester: UnlockRequester;
  lock: Lock;
  /** Grants covering the lock held by team members (needed only for a host requester). */
  grantsOnLock: readonly Grant[];
  online: boolean;
  now: Date;
}): RemoteUnlockClearance {
  const clearance = clearRequester({ requester, lock, grantsOnLock, now });
  if (!canUnlockRemotely(lock)) throw new LockUnreachableError('bluetooth-only');
  if (!online) throw new LockUnreachableError('offline');
  return clearance;
}

function clearRequester({
  requester,
  lock,
  grantsOnLock,
  now,
}: {
  requester: UnlockRequester;
  lock: Lock;
  grantsOnLock: readonly Grant[];
  now: Date;
}): RemoteUnlockClearance {
  if (requester.kind === 'grant-holder') {
    const { grant } = requester;
    if (grant.tenantId !== lock.tenantId || !grant.lockIds.includes(lock.id)) {
      throw new NotFoundError(`Lock ${lock.id} not found`);
    }
    const status = grantStatus({ grant, now });
    if (status === 'revoked' || status === 'expired') throw new GoneError('This access has ended');
    if (status === 'upcoming') throw new NotPermittedError('This access has not started yet');
    return { requestedBy: { kind: 'guest', grantId: grant.id }, grantId: grant.id };
  }
  const { principal } = requester;
  const { ownActive, resource } = hostUnlockScope({ principal, lock, grantsOnLock, now });
  authorize({ principal, action: 'lock.unlockRemotely', resource });
  const underGrant = principal.kind === 'member' && principal.role === 'staff' ? ownActive[0]?.id : undefined;
  return { requestedBy: actorOf(principal), grantId: underGrant };
}

/** What a host's remote unlock is judged on: the lock's property, and the grants on it the host holds and that are active now. */
function hostUnlockScope({
  principal,
  lock,
  grantsOnLock,
  now,
}: {
  principal: Principal;
  lock: Lock;
  grantsOnLock: readonly Grant[];
  now: Date;
}) {
  const ownActive = grantsOnLock.filter(
    (grant) =>
      covers(grant, lock, now) && principal.kind === 'member' && holderUserIdOf(grant) === principal.userId,
  );
  return {
    ownActive,
    resource: {
      tenantId: lock.tenantId,
      propertyId: lock.propertyId,
      activeGrantHolderUserIds: ownActive.map((grant) => holderUserIdOf(grant) ?? ''),
    },
  };
}

/**
 * Whether the host may ask for this lock to be opened remotely now (their role; for a cleaner, a grant of their
 * own on it that is active now), judged as a request would be. Whether the lock can hear a command (its kind,
 * its connection) is not part of it: the request answers that with the reason.
 */
export function mayUnlockRemotelyNow(options: {
  principal: Principal;
  lock: Lock;
  /** The live grants of the lock's property (needed for a cleaner only). */
  grantsOnLock: readonly Grant[];
  now: Date;
}): boolean {
  const { principal } = options;
  return isPermitted({
    principal,
    action: 'lock.unlockRemotely',
    resource: hostUnlockScope(options).resource,
  });
}
