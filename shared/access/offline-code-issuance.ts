/**
 * Offline codes issued by the cloud: for each `bluetooth` lock of a grant (which gets no pushed code: its
 * offline code is the way in), and as the readiness fallback on an online lock whose PIN was not confirmed in
 * time. The code is derived from the lock's device key and the grant's window exactly as the lock checks it
 * (shared/devices/offline-codes.ts, docs/device-contract.md section 9), and kept with the grant, one record per
 * grant and lock, so the host's grant view and the guest's email show it without opening the key again.
 *
 * Rules:
 * - Only keypads of 6 digits or more: shorter ones would make a guess far too likely (the contract refuses them).
 * - A single-use grant (a delivery) gets a single-use code, which the lock admits once (contract 9.5), for a
 *   window of at most 24 hours.
 * - The window is the grid window covering the grant's (from now, for a grant already open, so that its first
 *   use is still possible); a grant with no end, or longer than the grid's longest window, gets none.
 * - A code equal to a PIN live on the lock, or to another grant's offline code there, is avoided by starting
 *   the window an hour earlier, as the contract advises.
 * - Issuing again for the same window changes nothing; a moved window replaces the record (the old code still
 *   opens a lock that is never online until its window ends: it cannot be revoked there).
 *
 * The code is never logged and never put in an audit event; the audit event names the window and key version.
 */
import type { DeviceKey } from '#shared/devices/device-key.ts';
import {
  type DerivedOfflineCode,
  deriveOfflineCode,
  offlineCodeDurationsHours,
  offlineCodeRules,
} from '#shared/devices/offline-codes.ts';
import type { AccessCode } from '#shared/domain/access-code.ts';
import { holdsPin } from '#shared/domain/access-code.ts';
import { type AuditActor, type AuditEvent, auditTrail } from '#shared/domain/audit.ts';
import { newEntityId } from '#shared/domain/entity.ts';
import type { Grant, GrantWindow } from '#shared/domain/grant.ts';
import { stayMilestones } from '#shared/domain/grant-window.ts';
import { epochOf, type IsoInstant, instantOf, toIsoInstant } from '#shared/domain/local-time.ts';
import { acceptsPushedCodes, type Lock } from '#shared/domain/lock.ts';
import type { DomainPorts } from '#shared/domain/ports/domain-ports.ts';
import { listAllLiveCodes } from './code-sync.ts';
import { signingKeyVersion } from './credential-rotation.ts';
import type { DeviceKeys, LockConditionStore } from './ports.ts';

export const offlineCodePurposes = ['bluetooth-lock', 'readiness-fallback'] as const;
/** `bluetooth-lock`: the lock's everyday way in; `readiness-fallback`: the PIN was not confirmed in time. */
export type OfflineCodePurpose = (typeof offlineCodePurposes)[number];

/** One grant's offline code on one lock. */
export interface OfflineCode {
  readonly tenantId: string;
  /** `ofc_<grantId>_<lockId>`: one per grant and lock, so issuing twice meets the first. */
  readonly id: string;
  readonly grantId: string;
  readonly lockId: string;
  readonly propertyId: string;
  /** The digits; shown to those who may see the grant's codes, never logged. */
  readonly code: string;
  readonly purpose: OfflineCodePurpose;
  readonly keyVersion: number;
  /** The grid window the lock checks (contract 9.1). */
  readonly startHour: number;
  readonly durationClass: number;
  readonly validFrom: IsoInstant;
  readonly validUntil: IsoInstant;
  /** The code must be entered a first time before this instant. */
  readonly firstUseBefore: IsoInstant;
  /** The grant's window it was issued for: once the grant moves, it is no longer the guest's code. */
  readonly grantWindow: GrantWindow;
  /** A single-use grant's code (a delivery's): the lock admits it once (contract 9.5). */
  readonly singleUse?: true | undefined;
  readonly version: number;
  readonly createdAt: IsoInstant;
  readonly updatedAt: IsoInstant;
}

/** Where offline codes are kept (beside their grant). */
export interface OfflineCodeStore {
  listByGrant(options: { tenantId: string; grantId: string }): Promise<readonly OfflineCode[]>;
  /** The lock's offline codes whose window ends after `after`. */
  listByLock(options: {
    tenantId: string;
    lockId: string;
    after: IsoInstant;
  }): Promise<readonly OfflineCode[]>;
  /**
   * Writes the code with its audit events, together: created when its version is 1, else replacing the version
   * before. False (nothing written) when another write got there first.
   */
  save(options: { code: OfflineCode; auditEvents: readonly AuditEvent[] }): Promise<boolean>;
}

export type OfflineCodeReader = Pick<OfflineCodeStore, 'listByGrant'>;

/** Asks for the booking's guest email to go out again now, because the code to use changed. */
export interface GuestEmailRequests {
  codesChanged(options: { tenantId: string; bookingId: string; occasion: string }): Promise<void>;
}

export type OfflineCodePorts = Pick<DomainPorts, 'clock' | 'ids' | 'grants' | 'locks' | 'accessCodes'> & {
  readonly deviceKeys: DeviceKeys;
  readonly offlineCodes: OfflineCodeStore;
  /** The key versions an online lock reports holding: between a rotation and its installer's visit, the old one. */
  readonly conditions?: Pick<LockConditionStore, 'get'> | undefined;
};

export type OfflineCodeRefusal =
  | 'keypad-too-short'
  | 'no-window-end'
  | 'window-too-long'
  | 'no-device-key'
  | 'no-distinct-code'
  | 'grant-over';

export type OfflineCodeIssue =
  | {
      readonly lockId: string;
      readonly outcome: 'issued' | 'replaced' | 'unchanged';
      readonly offlineCode: OfflineCode;
    }
  | { readonly lockId: string; readonly outcome: 'refused'; readonly reason: OfflineCodeRefusal };

export const offlineCodeMinPinLength = 6;

/** How many hours earlier a window may start to avoid a code already in use on the lock. */
const maxShiftHours = 12;

export function offlineCodeIdOf({ grantId, lockId }: { grantId: string; lockId: string }): string {
  return `ofc_${grantId}_${lockId}`;
}

/** Whether the lock verifies offline codes: every lock of the contract with a keypad of 6 digits or more. */
export function verifiesOfflineCodes(lock: Pick<Lock, 'codeConstraints'>): boolean {
  return lock.codeConstraints.pinLength >= offlineCodeMinPinLength;
}

/** Whether the offline code was issued for the grant's window as it is now (not a window since moved). */
export function isCurrentFor({ code, grant }: { code: OfflineCode; grant: Pick<Grant, 'window'> }): boolean {
  return (
    code.grantWindow.startsAt === grant.window.startsAt && code.grantWindow.endsAt === grant.window.endsAt
  );
}

const secondsOf = (instant: IsoInstant) => Math.floor(epochOf(instant) / 1000);
const instantOfSeconds = (seconds: number) => toIsoInstant(seconds * 1000);

/** Whether an access from `from` to `to` (epoch seconds) fits one window of the grid (a single-use one's). */
function fitsGrid({ from, to, singleUse }: { from: number; to: number; singleUse: boolean }): boolean {
  const longestHours = singleUse
    ? offlineCodeRules.singleUseMaxHours
    : (offlineCodeDurationsHours.at(-1) ?? 0);
  return to > from && to - Math.floor(from / 3600) * 3600 <= longestHours * 3600;
}

/**
 * The derived code for the lock and the access from `from` to `to`, avoiding `taken` codes by starting the
 * window up to `maxShiftHours` earlier (as long as the window still fits the grid); undefined when every such
 * start gives a taken code (practically never: about 1 in 10^6 each).
 */
function deriveAvoiding({
  key,
  lock,
  from,
  to,
  taken,
  singleUse,
}: {
  key: DeviceKey;
  lock: Lock;
  from: number;
  to: number;
  taken: ReadonlySet<string>;
  singleUse: boolean;
}): DerivedOfflineCode | undefined {
  for (
    let shift = 0;
    shift <= maxShiftHours && fitsGrid({ from: from - shift * 3600, to, singleUse });
    shift += 1
  ) {
    const derived = deriveOfflineCode({
      key,
      thingName: lock.thingName,
      pinLength: lock.codeConstraints.pinLength,
      from: from - shift * 3600,
      to,
      singleUse,
    });
    if (!taken.has(derived.code)) return derived;
  }
  return undefined;
}

/**
 * Issues (or confirms) the grant's offline code on each of `lockIds` for `purpose`. Locks not in the grant are
 * ignored. A lock's existing record keeps its purpose (a Bluetooth lock's code stays its everyday code).
 */
export async function issueOfflineCodes({
  ports,
  tenantId,
  grantId,
  lockIds,
  purpose,
  actor = { kind: 'system', process: 'offline-codes' },
}: {
  ports: OfflineCodePorts;
  tenantId: string;
  grantId: string;
  lockIds: readonly string[];
  purpose: OfflineCodePurpose;
  actor?: AuditActor;
}): Promise<OfflineCodeIssue[]> {
  const grant = await ports.grants.get({ tenantId, grantId });
  if (grant === undefined || grant.revocation) return [];
  const now = ports.clock.now();
  const at = instantOf(now);
  const existing = new Map(
    (await ports.offlineCodes.listByGrant({ tenantId, grantId })).map((code) => [code.lockId, code]),
  );
  const issues: OfflineCodeIssue[] = [];
  for (const lockId of lockIds.filter((id) => grant.lockIds.includes(id))) {
    const lock = await ports.locks.get({ tenantId, lockId });
    if (lock === undefined) continue;
    issues.push(
      await issueOne({ ports, grant, lock, purpose, actor, now, at, existing: existing.get(lockId) }),
    );
  }
  return issues;
}

async function issueOne({
  ports,
  grant,
  lock,
  purpose,
  actor,
  now,
  at,
  existing,
}: {
  ports: OfflineCodePorts;
  grant: Grant;
  lock: Lock;
  purpose: OfflineCodePurpose;
  actor: AuditActor;
  now: Date;
  at: IsoInstant;
  existing: OfflineCode | undefined;
}): Promise<OfflineCodeIssue> {
  const lockId = lock.id;
  const refused = (reason: OfflineCodeRefusal): OfflineCodeIssue => ({ lockId, outcome: 'refused', reason });
  if (existing && isCurrentFor({ code: existing, grant })) {
    return { lockId, outcome: 'unchanged', offlineCode: existing };
  }
  if (!verifiesOfflineCodes(lock)) return refused('keypad-too-short');
  if (grant.window.endsAt === null) return refused('no-window-end');
  const to = secondsOf(grant.window.endsAt);
  const from = Math.max(secondsOf(grant.window.startsAt), Math.floor(now.getTime() / 1000));
  if (to <= from) return refused('grant-over');

  // The grid's longest window is 14 days (a single-use code's, 24 hours): a longer access has no offline code.
  const singleUse = grant.singleUse;
  if (!fitsGrid({ from, to, singleUse })) return refused('window-too-long');

  // A rotated lock whose installer has not loaded the new bundle yet derives with the key it holds.
  const key = await ports.deviceKeys.load({
    tenantId: grant.tenantId,
    lockId,
    keyVersion: signingKeyVersion({
      lock,
      condition: await ports.conditions?.get({ tenantId: grant.tenantId, lockId }),
    }),
  });
  if (key === undefined) return refused('no-device-key');

  const taken = await codesInUse({ ports, lock, grant, at });
  const derived = deriveAvoiding({ key, lock, from, to, taken, singleUse });
  if (derived === undefined) return refused('no-distinct-code');

  const offlineCode: OfflineCode = {
    tenantId: grant.tenantId,
    id: offlineCodeIdOf({ grantId: grant.id, lockId }),
    grantId: grant.id,
    lockId,
    propertyId: grant.propertyId,
    code: derived.code,
    purpose: existing?.purpose === 'bluetooth-lock' ? 'bluetooth-lock' : purpose,
    keyVersion: derived.keyVersion,
    startHour: derived.startHour,
    durationClass: derived.durationClass,
    validFrom: instantOfSeconds(derived.validFrom),
    validUntil: instantOfSeconds(derived.validUntil),
    firstUseBefore: instantOfSeconds(derived.firstUseBefore),
    grantWindow: grant.window,
    ...(derived.singleUse ? { singleUse: true as const } : {}),
    version: (existing?.version ?? 0) + 1,
    createdAt: existing?.createdAt ?? at,
    updatedAt: at,
  };
  const audit = auditTrail({
    tenantId: grant.tenantId,
    actor,
    at,
    newId: () => newEntityId({ ids: ports.ids, kind: 'auditEvent' }),
  });
  audit.record({
    action: existing ? 'offline-code.replaced' : 'offline-code.issued',
    target: { kind: 'grant', id: grant.id },
    propertyId: grant.propertyId,
    lockId,
    details: {
      offlineCodeId: offlineCode.id,
      purpose: offlineCode.purpose,
      keyVersion: offlineCode.keyVersion,
      startHour: offlineCode.startHour,
      durationClass: offlineCode.durationClass,
      validFrom: offlineCode.validFrom,
      validUntil: offlineCode.validUntil,
      firstUseBefore: offlineCode.firstUseBefore,
      singleUse: derived.singleUse,
    },
  });
  const saved = await ports.offlineCodes.save({ code: offlineCode, auditEvents: audit.events });
  if (!saved) {
    // Another run issued it meanwhile: theirs stands.
    const theirs = (
      await ports.offlineCodes.listByGrant({ tenantId: grant.tenantId, grantId: grant.id })
    ).find((code) => code.lockId === lockId);
    if (theirs) return { lockId, outcome: 'unchanged', offlineCode: theirs };
    throw new Error(`The offline code of grant ${grant.id} on lock ${lockId} could not be saved`);
  }
  return { lockId, outcome: existing ? 'replaced' : 'issued', offlineCode };
}

/** The codes the new one must differ from: live PINs and other grants' offline codes on the lock. */
async function codesInUse({
  ports,
  lock,
  grant,
  at,
}: {
  ports: OfflineCodePorts;
  lock: Lock;
  grant: Grant;
  at: IsoInstant;
}): Promise<Set<string>> {
  const [pins, offline] = await Promise.all([
    listAllLiveCodes({ ports, tenantId: grant.tenantId, lockId: lock.id }),
    ports.offlineCodes.listByLock({ tenantId: grant.tenantId, lockId: lock.id, after: at }),
  ]);
  return new Set([
    ...pins.filter((code: AccessCode) => holdsPin(code) && code.grantId !== grant.id).map((code) => code.pin),
    ...offline.filter((code) => code.grantId !== grant.id).map((code) => code.code),
  ]);
}

/** The grant's offline codes issued for its current window, by lock. */
export async function currentOfflineCodes({
  ports,
  grant,
}: {
  ports: { readonly offlineCodes: OfflineCodeReader };
  grant: Grant;
}): Promise<Map<string, OfflineCode>> {
  const codes = await ports.offlineCodes.listByGrant({ tenantId: grant.tenantId, grantId: grant.id });
  return new Map(
    codes
      .filter((code) => isCurrentFor({ code, grant }))
      .map((code): [string, OfflineCode] => [code.lockId, code]),
  );
}

export const issueOfflineCodesTaskType = 'issue-offline-codes';
export const issueOfflineCodesTaskId = (grantId: string) => `offline-codes-${grantId}`;

export type BluetoothOfflineCodePorts = OfflineCodePorts &
  Pick<DomainPorts, 'properties' | 'bookings'> & { readonly guestEmails: GuestEmailRequests };

/**
 * The offline code of each Bluetooth lock of the grant, issued (or moved with the grant's window) right after
 * the grant changes. When the guest's email is already due, the guest is sent it again with the new code: an
 * email that went out before the code existed could not show it.
 */
export async function issueBluetoothOfflineCodes({
  ports,
  tenantId,
  grantId,
}: {
  ports: BluetoothOfflineCodePorts;
  tenantId: string;
  grantId: string;
}): Promise<OfflineCodeIssue[]> {
  const grant = await ports.grants.get({ tenantId, grantId });
  if (grant === undefined || grant.revocation) return [];
  const locks = await ports.locks.listByProperty({ tenantId, propertyId: grant.propertyId });
  const bluetooth = locks.filter((lock) => grant.lockIds.includes(lock.id) && !acceptsPushedCodes(lock));
  if (bluetooth.length === 0) return [];
  const issues = await issueOfflineCodes({
    ports,
    tenantId,
    grantId,
    lockIds: bluetooth.map((lock) => lock.id),
    purpose: 'bluetooth-lock',
  });
  const changed = issues.filter((issue) => issue.outcome === 'issued' || issue.outcome === 'replaced');
  if (changed.length > 0 && grant.bookingId !== undefined) {
    const [booking, property] = await Promise.all([
      ports.bookings.get({ tenantId, bookingId: grant.bookingId }),
      ports.properties.get({ tenantId, propertyId: grant.propertyId }),
    ]);
    if (booking && property) {
      const { emailGuestAt } = stayMilestones({ property, booking, now: ports.clock.now() });
      if (epochOf(emailGuestAt) <= ports.clock.now().getTime()) {
        const occasion = `offline-${changed
          .flatMap((issue) =>
            issue.outcome === 'refused' ? [] : [`${issue.lockId}.${issue.offlineCode.version}`],
          )
          .sort()
          .join('-')}`;
        await ports.guestEmails.codesChanged({ tenantId, bookingId: booking.id, occasion });
      }
    }
  }
  return issues;
}

/**
 * The grant whose offline code a lock admitted, from the attribution of its `unlocked` event (key version, grid
 * start and class; never the digits): the codes of the lock still valid at the moment of the unlock are matched.
 */
export async function grantOfOfflineUnlock({
  offlineCodes,
  tenantId,
  lockId,
  attribution,
  at,
}: {
  offlineCodes: Pick<OfflineCodeStore, 'listByLock'>;
  tenantId: string;
  lockId: string;
  attribution: { readonly keyVersion: number; readonly startHour: number; readonly durationClass: number };
  /** When the lock opened. */
  at: IsoInstant;
}): Promise<string | undefined> {
  const codes = await offlineCodes.listByLock({ tenantId, lockId, after: at });
  return codes.find(
    (code) =>
      code.keyVersion === attribution.keyVersion &&
      code.startHour === attribution.startHour &&
      code.durationClass === attribution.durationClass,
  )?.grantId;
}
