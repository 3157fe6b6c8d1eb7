/**
 * The readiness check: some hours before a guest arrives (the property's `readinessCheckHours`), every code of
 * the stay must be `set` on its lock. Where one is not (the lock is offline, full, refused it, or simply has
 * not confirmed it), the owners are alerted by email and in the audit log (`alert.code-not-ready`, one event
 * per lock), and where the lock verifies offline codes (a keypad of 6 digits or more) an offline code is issued
 * as the fallback: from then on it is the code the guest should use on that lock (shared/access/guest-codes.ts),
 * and the guest is sent their email again with it. A Bluetooth lock is ready when it has its offline code
 * (issued here if it is still missing).
 *
 * Running the check again changes nothing twice: a fallback is issued once per grant, lock and window; the host
 * is alerted once per lock and window (the check's record says which locks were alerted); the guest email is
 * asked for with the same occasion, which the guest emails send only once. A moved stay is checked afresh.
 */
import { type AccessCode, holdsPin } from '#shared/domain/access-code.ts';
import { type AuditActor, type AuditEvent, auditTrail } from '#shared/domain/audit.ts';
import { newEntityId } from '#shared/domain/entity.ts';
import type { Grant } from '#shared/domain/grant.ts';
import { stayOf } from '#shared/domain/grant-window.ts';
import { epochOf, type IsoInstant, instantOf } from '#shared/domain/local-time.ts';
import { acceptsPushedCodes, type Lock } from '#shared/domain/lock.ts';
import type { DomainPorts } from '#shared/domain/ports/domain-ports.ts';
import type { CodeNotReadyProblem } from '#shared/domain/ports/host-notifier.ts';
import {
  currentOfflineCodes,
  type GuestEmailRequests,
  issueOfflineCodes,
  type OfflineCode,
  type OfflineCodePorts,
  type OfflineCodeRefusal,
  verifiesOfflineCodes,
} from './offline-code-issuance.ts';
import type { LockConditionStore } from './ports.ts';

export const readinessCheckTaskType = 'readiness-check';
export const readinessCheckTaskId = (grantId: string) => `readiness-check-${grantId}`;

/** What the check remembers of a grant: which window it checked and which locks it alerted about. */
export interface ReadinessCheckRecord {
  readonly tenantId: string;
  readonly grantId: string;
  /** The grant's window start when checked: a moved stay is checked (and alerted) afresh. */
  readonly windowStartsAt: IsoInstant;
  readonly alertedLockIds: readonly string[];
  readonly checkedAt: IsoInstant;
  readonly version: number;
}

export interface ReadinessCheckStore {
  get(options: { tenantId: string; grantId: string }): Promise<ReadinessCheckRecord | undefined>;
  /**
   * Writes the record with its audit events, together: created when its version is 1, else replacing the
   * version before. False (nothing written) when another check got there first.
   */
  save(options: { record: ReadinessCheckRecord; auditEvents: readonly AuditEvent[] }): Promise<boolean>;
}

export type ReadinessPorts = OfflineCodePorts &
  Pick<DomainPorts, 'properties' | 'bookings' | 'team' | 'notifier'> & {
    readonly conditions: Pick<LockConditionStore, 'get'>;
    readonly readinessChecks: ReadinessCheckStore;
    readonly guestEmails: GuestEmailRequests;
  };

export interface LockReadiness {
  readonly lockId: string;
  readonly lockName: string;
  readonly ready: boolean;
  readonly problem?: CodeNotReadyProblem | undefined;
  /** The offline code the guest uses on this lock instead of a PIN (a fallback, or a Bluetooth lock's code). */
  readonly offlineCode?: OfflineCode | undefined;
  /** Why no fallback could be issued for a lock that is not ready. */
  readonly noFallback?: OfflineCodeRefusal | undefined;
}

export type ReadinessOutcome =
  | { readonly outcome: 'skipped'; readonly why: 'no-grant' | 'revoked' | 'over' }
  | {
      readonly outcome: 'ready' | 'not-ready';
      readonly locks: readonly LockReadiness[];
      /** Locks the host was alerted about by this run (none when an earlier run did). */
      readonly alerted: readonly string[];
      readonly guestEmailRequested: boolean;
    };

const readinessActor: AuditActor = { kind: 'system', process: 'readiness-check' };

/** Why an online lock's code is not `set`, or undefined when it is. */
function problemOf({
  code,
  online,
}: {
  code: AccessCode | undefined;
  online: boolean | undefined;
}): CodeNotReadyProblem | undefined {
  if (code?.status === 'set') return undefined;
  if (code?.status === 'failed' && code.failure) return code.failure.reason;
  return online === false ? 'lock-offline' : 'not-confirmed';
}

export async function checkReadiness({
  ports,
  tenantId,
  grantId,
}: {
  ports: ReadinessPorts;
  tenantId: string;
  grantId: string;
}): Promise<ReadinessOutcome> {
  const grant = await ports.grants.get({ tenantId, grantId });
  if (grant === undefined) return { outcome: 'skipped', why: 'no-grant' };
  if (grant.revocation) return { outcome: 'skipped', why: 'revoked' };
  const now = ports.clock.now();
  if (grant.window.endsAt !== null && epochOf(grant.window.endsAt) <= now.getTime()) {
    return { outcome: 'skipped', why: 'over' };
  }

  const [locks, accessCodes] = await Promise.all([
    ports.locks.listByProperty({ tenantId, propertyId: grant.propertyId }),
    ports.accessCodes.listByGrant({ tenantId, grantId }),
  ]);
  const grantLocks = grant.lockIds
    .map((lockId) => locks.find((lock) => lock.id === lockId))
    .filter((lock): lock is Lock => lock !== undefined);

  // First pass: which locks need an offline code (Bluetooth locks always, online locks whose PIN is not set).
  const offline = await currentOfflineCodes({ ports, grant });
  const problems = new Map<string, CodeNotReadyProblem>();
  for (const lock of grantLocks) {
    if (!acceptsPushedCodes(lock)) continue;
    const code = accessCodes.find((candidate) => candidate.lockId === lock.id && holdsPin(candidate));
    const condition = await ports.conditions.get({ tenantId, lockId: lock.id });
    const problem = problemOf({ code, online: condition?.connection?.online });
    if (problem !== undefined) problems.set(lock.id, problem);
  }
  const bluetoothMissing = grantLocks.filter((lock) => !acceptsPushedCodes(lock) && !offline.has(lock.id));
  const fallbackWanted = grantLocks.filter(
    (lock) => problems.has(lock.id) && !offline.has(lock.id) && verifiesOfflineCodes(lock),
  );
  const refusals = new Map<string, OfflineCodeRefusal>();
  for (const [purpose, wanted] of [
    ['bluetooth-lock', bluetoothMissing],
    ['readiness-fallback', fallbackWanted],
  ] as const) {
    if (wanted.length === 0) continue;
    const issues = await issueOfflineCodes({
      ports,
      tenantId,
      grantId,
      lockIds: wanted.map((lock) => lock.id),
      purpose,
      actor: readinessActor,
    });
    for (const issue of issues) {
      if (issue.outcome === 'refused') refusals.set(issue.lockId, issue.reason);
      else offline.set(issue.lockId, issue.offlineCode);
    }
  }

  const readiness: LockReadiness[] = grantLocks.map((lock) => {
    const offlineCode = offline.get(lock.id);
    if (!acceptsPushedCodes(lock)) {
      return offlineCode
        ? { lockId: lock.id, lockName: lock.name, ready: true, offlineCode }
        : {
            lockId: lock.id,
            lockName: lock.name,
            ready: false,
            problem: 'no-offline-code',
            noFallback: refusals.get(lock.id) ?? 'keypad-too-short',
          };
    }
    const problem = problems.get(lock.id);
    if (problem === undefined) return { lockId: lock.id, lockName: lock.name, ready: true };
    return {
      lockId: lock.id,
      lockName: lock.name,
      ready: false,
      problem,
      ...(offlineCode ? { offlineCode } : { noFallback: refusals.get(lock.id) ?? 'keypad-too-short' }),
    };
  });

  const alerted = await recordAndAlert({ ports, grant, readiness, at: instantOf(now) });
  const guestEmailRequested = await askForGuestEmail({ ports, grant, readiness });
  return {
    outcome: readiness.every((lock) => lock.ready) ? 'ready' : 'not-ready',
    locks: readiness,
    alerted,
    guestEmailRequested,
  };
}

/**
 * Records the check (once per window) with an alert event per lock not alerted about yet, then tells the
 * owners about those locks. Returns the locks alerted by this run.
 */
async function recordAndAlert({
  ports,
  grant,
  readiness,
  at,
}: {
  ports: ReadinessPorts;
  grant: Grant;
  readiness: readonly LockReadiness[];
  at: IsoInstant;
}): Promise<string[]> {
  const { tenantId } = grant;
  const held = await ports.readinessChecks.get({ tenantId, grantId: grant.id });
  const sameWindow = held?.windowStartsAt === grant.window.startsAt;
  const alertedBefore = new Set(sameWindow ? held.alertedLockIds : []);
  const toAlert = readiness.filter((lock) => !lock.ready && !alertedBefore.has(lock.lockId));
  if (sameWindow && toAlert.length === 0) return [];

  const booking =
    grant.bookingId === undefined
      ? undefined
      : await ports.bookings.get({ tenantId, bookingId: grant.bookingId });
  const property = await ports.properties.get({ tenantId, propertyId: grant.propertyId });
  const checkInAt = booking && property ? stayOf({ property, booking }).checkInAt : grant.window.startsAt;

  const audit = auditTrail({
    tenantId,
    actor: readinessActor,
    at,
    newId: () => newEntityId({ ids: ports.ids, kind: 'auditEvent' }),
  });
  for (const lock of toAlert) {
    audit.record({
      action: 'alert.code-not-ready',
      target: { kind: 'grant', id: grant.id },
      propertyId: grant.propertyId,
      lockId: lock.lockId,
      details: {
        grantId: grant.id,
        ...(grant.bookingId === undefined ? {} : { bookingId: grant.bookingId }),
        checkInAt,
        problem: lock.problem ?? 'not-confirmed',
        fallback: lock.offlineCode ? 'offline-code' : 'none',
        ...(lock.offlineCode ? { offlineCodeId: lock.offlineCode.id } : {}),
        ...(lock.noFallback === undefined ? {} : { noFallback: lock.noFallback }),
      },
    });
  }
  if (readiness.every((lock) => lock.ready)) {
    audit.record({
      action: 'grant.ready',
      target: { kind: 'grant', id: grant.id },
      propertyId: grant.propertyId,
      details: { checkInAt, locks: readiness.map((lock) => lock.lockId) },
    });
  }
  const record: ReadinessCheckRecord = {
    tenantId,
    grantId: grant.id,
    windowStartsAt: grant.window.startsAt,
    alertedLockIds: [...alertedBefore, ...toAlert.map((lock) => lock.lockId)],
    checkedAt: at,
    version: (held?.version ?? 0) + 1,
  };
  // Another check recorded first: it alerts, this one does not.
  if (!(await ports.readinessChecks.save({ record, auditEvents: audit.events }))) return [];
  if (toAlert.length === 0) return [];

  const owners = await ports.team.listByRole({ tenantId, role: 'owner' });
  await ports.notifier.notify({
    tenantId,
    recipients: owners.map(({ userId, email, name }) => ({ userId, email, name })),
    notice: {
      kind: 'code-not-ready',
      grantId: grant.id,
      propertyId: grant.propertyId,
      guestName: booking?.guest.name ?? 'Your guest',
      checkInAt,
      locks: toAlert.map((lock) => ({
        lockId: lock.lockId,
        lockName: lock.lockName,
        problem: lock.problem ?? 'not-confirmed',
        fallbackIssued: lock.offlineCode !== undefined,
      })),
    },
  });
  return toAlert.map((lock) => lock.lockId);
}

/**
 * The guest's email again, with the fallback codes, when there are any: the occasion names the fallbacks (and
 * their versions), so asking again for the same ones sends nothing more.
 */
async function askForGuestEmail({
  ports,
  grant,
  readiness,
}: {
  ports: ReadinessPorts;
  grant: Grant;
  readiness: readonly LockReadiness[];
}): Promise<boolean> {
  if (grant.bookingId === undefined) return false;
  const fallbacks = readiness
    .map((lock) => lock.offlineCode)
    .filter((code): code is OfflineCode => code?.purpose === 'readiness-fallback')
    .sort((a, b) => a.lockId.localeCompare(b.lockId));
  if (fallbacks.length === 0) return false;
  const occasion = `fallback-${fallbacks.map((code) => `${code.lockId}.${code.version}`).join('-')}`;
  await ports.guestEmails.codesChanged({ tenantId: grant.tenantId, bookingId: grant.bookingId, occasion });
  return true;
}
