/**
 * Offline codes that outlive a cancellation or a shortened stay. A lock derives offline codes itself from its
 * device key and the window (docs/device-contract.md, section 9): the cloud cannot withdraw one from a lock,
 * least of all from a Bluetooth lock that is never online. So when a grant is cancelled or revoked, or its window
 * moves, every offline code it was given that still opens a lock outside what the grant now allows is named to
 * the host: in the API's answer (`stillValidOfflineCodes`, `warnings`), and, the first time, by an
 * `alert.offline-code-still-valid` audit event per lock and an email to the owners.
 *
 * The codes must be read before the change's follow-up work runs: a moved window's codes are replaced by the
 * next issue, and the record of the old one goes with it.
 */
import { offlineCodeWindowFor } from '#shared/devices/offline-codes.ts';
import { type AuditActor, auditTrail } from '#shared/domain/audit.ts';
import { newEntityId } from '#shared/domain/entity.ts';
import type { Grant } from '#shared/domain/grant.ts';
import { epochOf, type IsoInstant, instantOf } from '#shared/domain/local-time.ts';
import type { LockConnectivity } from '#shared/domain/lock.ts';
import type { DomainPorts } from '#shared/domain/ports/domain-ports.ts';
import {
  isCurrentFor,
  type OfflineCode,
  type OfflineCodePurpose,
  type OfflineCodeReader,
} from './offline-code-issuance.ts';

/** An offline code that keeps opening a lock after the change that should have ended it. */
export interface StillValidOfflineCode {
  readonly offlineCodeId: string;
  readonly lockId: string;
  readonly lockName: string;
  readonly connectivity: LockConnectivity;
  readonly purpose: OfflineCodePurpose;
  /** Until when the lock admits it (the end of its grid window). */
  readonly validUntil: IsoInstant;
}

export interface OfflineCodeWarnings {
  readonly stillValidOfflineCodes: readonly StillValidOfflineCode[];
  /** One plain sentence per code, for the host. */
  readonly warnings: readonly string[];
}

const secondsOf = (instant: IsoInstant) => Math.floor(epochOf(instant) / 1000);

/**
 * Whether the code opens the lock at some moment from now on that the grant no longer allows: any moment for a
 * revoked grant; for a moved window, one outside the grid window a code for the new window would have.
 */
function outlivesGrant({ code, grant, now }: { code: OfflineCode; grant: Grant; now: Date }): boolean {
  if (epochOf(code.validUntil) <= now.getTime()) return false;
  if (grant.revocation) return true;
  if (isCurrentFor({ code, grant })) return false;
  if (grant.window.endsAt === null) return false;
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const to = secondsOf(grant.window.endsAt);
  const from = Math.max(secondsOf(grant.window.startsAt), nowSeconds);
  if (to <= from) return true;
  let allowedFrom = secondsOf(grant.window.startsAt);
  let allowedUntil = to;
  try {
    const grid = offlineCodeWindowFor({ from, to });
    allowedFrom = Math.min(allowedFrom, grid.validFrom);
    allowedUntil = grid.validUntil;
  } catch {
    // Longer than any grid window: the grant's own window is what it allows.
  }
  const opensFrom = Math.max(secondsOf(code.validFrom), nowSeconds);
  return secondsOf(code.validUntil) > allowedUntil || opensFrom < allowedFrom;
}

function sentenceOf(code: StillValidOfflineCode): string {
  const until = `${code.validUntil.slice(0, 16).replace('T', ' ')} UTC`;
  return code.connectivity === 'bluetooth'
    ? `${code.lockName}: the offline code given for this access keeps opening the lock until ${until}. The lock is never online, so Lockstay cannot withdraw it.`
    : `${code.lockName}: the offline code given as the fallback for this access keeps opening the lock until ${until}. Locks check offline codes on their own, so Lockstay cannot withdraw it.`;
}

/** The grant's offline codes that outlive it as it now is, with the sentences that say so. */
export async function offlineCodeWarningsFor({
  ports,
  grant,
}: {
  ports: Pick<DomainPorts, 'clock' | 'locks'> & { readonly offlineCodes: OfflineCodeReader };
  grant: Grant;
}): Promise<OfflineCodeWarnings> {
  const now = ports.clock.now();
  const issued = await ports.offlineCodes.listByGrant({ tenantId: grant.tenantId, grantId: grant.id });
  const outliving = issued.filter((code) => outlivesGrant({ code, grant, now }));
  const stillValidOfflineCodes: StillValidOfflineCode[] = [];
  for (const code of outliving) {
    const lock = await ports.locks.get({ tenantId: grant.tenantId, lockId: code.lockId });
    stillValidOfflineCodes.push({
      offlineCodeId: code.id,
      lockId: code.lockId,
      lockName: lock?.name ?? code.lockId,
      connectivity: lock?.connectivity ?? 'bluetooth',
      purpose: code.purpose,
      validUntil: code.validUntil,
    });
  }
  return { stillValidOfflineCodes, warnings: stillValidOfflineCodes.map(sentenceOf) };
}

/** Why the grant's access ended or shrank. */
export type AccessChange = 'cancelled' | 'revoked' | 'moved';

/**
 * Tells the owners about each lock whose offline code outlives the change: one `alert.offline-code-still-valid`
 * audit event per lock, then an email. Called once per change (a repeated cancellation changes nothing).
 */
export async function alertOwnersOfStillValidOfflineCodes({
  ports,
  grant,
  stillValid,
  change,
  actor,
}: {
  ports: Pick<DomainPorts, 'clock' | 'ids' | 'changes' | 'team' | 'notifier'>;
  grant: Grant;
  stillValid: readonly StillValidOfflineCode[];
  change: AccessChange;
  actor: AuditActor;
}): Promise<void> {
  if (stillValid.length === 0) return;
  const { tenantId } = grant;
  const at = instantOf(ports.clock.now());
  const audit = auditTrail({
    tenantId,
    actor,
    at,
    newId: () => newEntityId({ ids: ports.ids, kind: 'auditEvent' }),
  });
  for (const code of stillValid) {
    audit.record({
      action: 'alert.offline-code-still-valid',
      target: { kind: 'grant', id: grant.id },
      propertyId: grant.propertyId,
      lockId: code.lockId,
      details: {
        grantId: grant.id,
        ...(grant.bookingId === undefined ? {} : { bookingId: grant.bookingId }),
        change,
        offlineCodeId: code.offlineCodeId,
        purpose: code.purpose,
        validUntil: code.validUntil,
      },
    });
  }
  const outcome = await ports.changes.commit({ writes: [], auditEvents: audit.events });
  if (!outcome.ok) throw new Error(`The offline code alert of grant ${grant.id} was not recorded`);
  const owners = await ports.team.listByRole({ tenantId, role: 'owner' });
  for (const code of stillValid) {
    await ports.notifier.notify({
      tenantId,
      recipients: owners.map(({ userId, email, name }) => ({ userId, email, name })),
      notice: {
        kind: 'lock-alert',
        alert: 'offline-code-still-valid',
        lockId: code.lockId,
        lockName: code.lockName,
        propertyId: grant.propertyId,
        details: {
          change,
          validUntil: code.validUntil,
          connectivity: code.connectivity,
          grantId: grant.id,
          ...(grant.bookingId === undefined ? {} : { bookingId: grant.bookingId }),
        },
      },
    });
  }
}

export interface WarningLog {
  error(message: string, details: Record<string, unknown>): void;
}

/**
 * Both steps around a change's follow-up work: the warnings are read first (`followUp` may replace a moved window's
 * codes), then `followUp` runs, then the owners are alerted when the change is new. Reading or alerting failing is
 * logged and never fails the change, which is committed already: its follow-up work must run all the same.
 */
export async function withOfflineCodeWarnings({
  ports,
  grant,
  change,
  actor,
  changed,
  log,
  followUp,
}: {
  ports: Pick<DomainPorts, 'clock' | 'ids' | 'changes' | 'team' | 'notifier' | 'locks'> & {
    readonly offlineCodes: OfflineCodeReader;
  };
  grant: Grant;
  change: AccessChange;
  actor: AuditActor;
  /** False for a repeat that changed nothing: the answer still warns, nobody is alerted again. */
  changed: boolean;
  log: WarningLog;
  followUp: () => Promise<unknown>;
}): Promise<OfflineCodeWarnings | undefined> {
  let found: OfflineCodeWarnings | undefined;
  try {
    found = await offlineCodeWarningsFor({ ports, grant });
  } catch (error) {
    log.error('Could not read the offline codes that outlive a change', { grantId: grant.id, error });
  }
  await followUp();
  if (changed && found !== undefined) {
    try {
      await alertOwnersOfStillValidOfflineCodes({
        ports,
        grant,
        stillValid: found.stillValidOfflineCodes,
        change,
        actor,
      });
    } catch (error) {
      log.error('Could not alert the owners about offline codes that outlive a change', {
        grantId: grant.id,
        error,
      });
    }
  }
  return found;
}
