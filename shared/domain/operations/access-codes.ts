/**
 * Codes for a grant's locks, and committing them with PINs no other live code on the lock has.
 *
 * A grant gets one PIN for all its locks of the same PIN length, so a guest has one code for the front door
 * and the flat door alike. The PIN is unique per lock where it is stored: when the commit answers that a PIN is
 * taken on some lock, a new candidate is drawn for that grant's locks of that length, avoiding every PIN found
 * taken so far, and the commit is tried again, a bounded number of times.
 */
import { type AccessCode, withdrawAccessCode } from '../access-code.ts';
import type { AuditTrail } from '../audit.ts';
import { ConflictError } from '../errors.ts';
import type { Grant } from '../grant.ts';
import type { IsoInstant } from '../local-time.ts';
import { acceptsPushedCodes, type Lock } from '../lock.ts';
import { nextPinCandidate } from '../pin.ts';
import type { ChangeCommitter, ChangeSet, CommitOutcome, EntityWrite } from '../ports/change-set.ts';
import type { RandomSource } from '../ports/random-source.ts';

/**
 * New codes for the grant on each of `locks` that takes pushed codes (Bluetooth-only locks are opened with
 * offline codes instead), each `scheduled` until its push time.
 */
export function allocateAccessCodes({
  grant,
  locks,
  random,
  newId,
  at,
}: {
  grant: Grant;
  locks: readonly Lock[];
  random: RandomSource;
  newId: () => string;
  at: IsoInstant;
}): AccessCode[] {
  const pinByLength = new Map<number, string>();
  return locks.filter(acceptsPushedCodes).map((lock) => {
    const length = lock.codeConstraints.pinLength;
    const pin = pinByLength.get(length) ?? nextPinCandidate({ random, length });
    pinByLength.set(length, pin);
    return {
      tenantId: grant.tenantId,
      id: newId(),
      grantId: grant.id,
      lockId: lock.id,
      propertyId: grant.propertyId,
      pin,
      status: 'scheduled',
      window: grant.window,
      singleUse: grant.singleUse,
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
  });
}

/** Audits a new grant: what kind, for whom, when, which locks. */
export function recordGrantIssued({ audit, grant }: { audit: AuditTrail; grant: Grant }): void {
  audit.record({
    action: 'grant.issued',
    target: { kind: 'grant', id: grant.id },
    propertyId: grant.propertyId,
    details: { kind: grant.kind, subject: grant.subject, window: grant.window, lockIds: grant.lockIds },
  });
}

/** Audits each new code on its lock, without its PIN. */
export function recordAllocations({
  audit,
  codes,
}: {
  audit: AuditTrail;
  codes: readonly AccessCode[];
}): void {
  for (const code of codes) {
    audit.record({
      action: 'access-code.allocated',
      target: { kind: 'access-code', id: code.id },
      propertyId: code.propertyId,
      lockId: code.lockId,
      details: { grantId: code.grantId, window: code.window, status: code.status },
    });
  }
}

/** Withdraws every code of a revoked grant and audits the ones that changed. */
export function withdrawAll({
  codes,
  audit,
  at,
}: {
  codes: readonly AccessCode[];
  audit: AuditTrail;
  at: IsoInstant;
}): AccessCode[] {
  return codes.map((code) => {
    const withdrawn = withdrawAccessCode({ code, at });
    if (withdrawn !== code) {
      audit.record({
        action: 'access-code.withdrawn',
        target: { kind: 'access-code', id: code.id },
        propertyId: code.propertyId,
        lockId: code.lockId,
        details: { grantId: code.grantId, from: code.status, to: withdrawn.status },
      });
    }
    return withdrawn;
  });
}

export const maxPinAttempts = 8;

/**
 * Commits `changes`, drawing new PINs for created codes whose PIN is taken on their lock. Returns the outcome of
 * the last attempt together with the change set that was committed; any conflict other than a taken PIN is
 * returned as it is for the caller to answer.
 */
export async function commitWithUniquePins({
  changes,
  committer,
  random,
  maxAttempts = maxPinAttempts,
}: {
  changes: ChangeSet;
  committer: ChangeCommitter;
  random: RandomSource;
  maxAttempts?: number;
}): Promise<{ outcome: CommitOutcome; committed: ChangeSet }> {
  let attempt = changes;
  const takenByLock = new Map<string, Set<string>>();
  for (let tries = 1; ; tries += 1) {
    const outcome = await committer.commit(attempt);
    if (outcome.ok || outcome.conflict.kind !== 'pin-taken') return { outcome, committed: attempt };
    const { lockId, accessCodeId } = outcome.conflict;
    if (tries >= maxAttempts) {
      throw new ConflictError(`No free PIN could be found on lock ${lockId}; it may hold too many codes`);
    }
    attempt = withFreshPin({ changes: attempt, accessCodeId, takenByLock, random });
  }
}

function createdCodes(changes: ChangeSet): AccessCode[] {
  return changes.writes.flatMap((write) =>
    write.entity === 'accessCode' && write.op === 'create' ? [write.value] : [],
  );
}

function withFreshPin({
  changes,
  accessCodeId,
  takenByLock,
  random,
}: {
  changes: ChangeSet;
  accessCodeId: string;
  takenByLock: Map<string, Set<string>>;
  random: RandomSource;
}): ChangeSet {
  const codes = createdCodes(changes);
  const taken = codes.find((code) => code.id === accessCodeId);
  if (!taken)
    throw new Error(
      `The store reported a taken PIN for code ${accessCodeId}, which this commit did not create`,
    );
  const siblings = codes.filter((code) => code.grantId === taken.grantId && code.pin === taken.pin);
  const takenOnLock = takenByLock.get(taken.lockId) ?? new Set<string>();
  takenOnLock.add(taken.pin);
  takenByLock.set(taken.lockId, takenOnLock);
  // The new PIN must avoid what was found taken on any of the locks it is going to.
  const excluded = new Set(siblings.flatMap((code) => [...(takenByLock.get(code.lockId) ?? [])]));
  const pin = nextPinCandidate({ random, length: taken.pin.length, excluded });
  const siblingIds = new Set(siblings.map((code) => code.id));
  const writes = changes.writes.map(
    (write): EntityWrite =>
      write.entity === 'accessCode' && write.op === 'create' && siblingIds.has(write.value.id)
        ? { ...write, value: { ...write.value, pin } }
        : write,
  );
  return { ...changes, writes };
}

/** The access codes as committed, by id, for results. */
export function accessCodesIn({ changes }: { changes: ChangeSet }): AccessCode[] {
  return changes.writes.flatMap((write) => (write.entity === 'accessCode' ? [write.value] : []));
}
