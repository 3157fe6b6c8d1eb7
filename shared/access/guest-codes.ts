/**
 * The codes a guest should use, lock by lock, in the shape the guest emails and the guest page show them: the
 * grant's PIN on each lock that takes pushed codes, and the offline code on a Bluetooth lock (which gets no
 * pushed code) or on a lock where the PIN was not confirmed in time and an offline code was issued as the
 * fallback (shared/access/readiness.ts): there the fallback is the code to use, since the PIN may never have
 * reached the lock. Only offline codes issued for the grant's current window count. Locks that end up needing
 * the same code share one entry (one code for the front door and the flat door alike); the lock names are given
 * only when the grant opens more than one lock, where they are worth saying.
 *
 * A grant that is revoked gives no codes; a code on its way off its lock (withdrawn, removed) is not shown.
 */
import { type AccessCode, holdsPin } from '#shared/domain/access-code.ts';
import { NotFoundError } from '#shared/domain/errors.ts';
import type { Grant } from '#shared/domain/grant.ts';
import type { IsoInstant } from '#shared/domain/local-time.ts';
import type { Lock } from '#shared/domain/lock.ts';
import type { DomainPorts } from '#shared/domain/ports/domain-ports.ts';
import { currentOfflineCodes, type OfflineCode, type OfflineCodeReader } from './offline-code-issuance.ts';

/** One code and the doors it opens; the same shape as the guest emails' `DoorCode`. */
export interface GuestDoorCode {
  readonly code: string;
  /** `pin`: loaded onto the lock; `offline`: verified by the lock itself with no network. */
  readonly kind: 'pin' | 'offline';
  /** Present when the grant opens more than one lock. */
  readonly lockNames?: readonly string[] | undefined;
  /** An offline code must be entered a first time before this instant. */
  readonly firstUseBefore?: IsoInstant | undefined;
}

export type GuestCodesPorts = Pick<DomainPorts, 'grants' | 'locks' | 'accessCodes'> & {
  readonly offlineCodes: OfflineCodeReader;
};

/** The code the guest uses on one lock, before codes shared by several locks are put together. */
export interface LockCodeChoice {
  readonly lockId: string;
  readonly code: string;
  readonly kind: 'pin' | 'offline';
  readonly firstUseBefore?: IsoInstant | undefined;
}

/** Whether the PIN of this code is (or will be) the way in: not on its way off its lock. */
function usablePin(code: AccessCode): boolean {
  return holdsPin(code) && code.status !== 'removing';
}

const offlineChoice = (code: OfflineCode): LockCodeChoice => ({
  lockId: code.lockId,
  code: code.code,
  kind: 'offline',
  firstUseBefore: code.firstUseBefore,
});

/**
 * The code for each of the grant's locks that has one, in the grant's lock order: a fallback offline code
 * before the PIN, the PIN, else the lock's offline code. `offlineCodes` are those for the grant's current window.
 */
export function lockCodeChoices({
  grant,
  accessCodes,
  offlineCodes = new Map(),
}: {
  grant: Grant;
  accessCodes: readonly AccessCode[];
  offlineCodes?: ReadonlyMap<string, OfflineCode>;
}): LockCodeChoice[] {
  if (grant.revocation) return [];
  const choices: LockCodeChoice[] = [];
  for (const lockId of grant.lockIds) {
    const offline = offlineCodes.get(lockId);
    const pin = accessCodes.find((code) => code.lockId === lockId && usablePin(code));
    if (offline?.purpose === 'readiness-fallback') choices.push(offlineChoice(offline));
    else if (pin) choices.push({ lockId, code: pin.pin, kind: 'pin' });
    else if (offline) choices.push(offlineChoice(offline));
  }
  return choices;
}

/** Puts locks with the same code together, naming them when the grant opens more than one lock. */
export function groupDoorCodes({
  choices,
  locks,
  grantLockCount,
}: {
  choices: readonly LockCodeChoice[];
  locks: readonly Pick<Lock, 'id' | 'name'>[];
  grantLockCount: number;
}): GuestDoorCode[] {
  const nameOf = new Map(locks.map((lock) => [lock.id, lock.name]));
  const groups = new Map<string, { choice: LockCodeChoice; names: string[] }>();
  for (const choice of choices) {
    const key = `${choice.kind}\u0000${choice.code}\u0000${choice.firstUseBefore ?? ''}`;
    const group = groups.get(key) ?? { choice, names: [] };
    group.names.push(nameOf.get(choice.lockId) ?? choice.lockId);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ choice, names }) => ({
    code: choice.code,
    kind: choice.kind,
    ...(grantLockCount > 1 ? { lockNames: names } : {}),
    ...(choice.firstUseBefore === undefined ? {} : { firstUseBefore: choice.firstUseBefore }),
  }));
}

/** The codes the guest of this grant should use; NotFoundError when the tenant has no such grant. */
export async function codesForGuest({
  ports,
  tenantId,
  grantId,
}: {
  ports: GuestCodesPorts;
  tenantId: string;
  grantId: string;
}): Promise<GuestDoorCode[]> {
  const grant = await ports.grants.get({ tenantId, grantId });
  if (grant === undefined) throw new NotFoundError(`No grant ${grantId}`);
  if (grant.revocation) return [];
  const [accessCodes, offlineCodes, locks] = await Promise.all([
    ports.accessCodes.listByGrant({ tenantId, grantId }),
    currentOfflineCodes({ ports, grant }),
    ports.locks.listByProperty({ tenantId, propertyId: grant.propertyId }),
  ]);
  return groupDoorCodes({
    choices: lockCodeChoices({ grant, accessCodes, offlineCodes }),
    locks,
    grantLockCount: grant.lockIds.length,
  });
}
