/**
 * What locks tell the cloud, through the IoT rules of infra/iot-rules.ts: shadow documents (`access-codes`
 * outcomes, `state` reports, `commands` results), presence events and lock events. Each payload is read against
 * the device contract first; one that does not follow it is logged and ignored, and nothing stored changes.
 *
 * - `access-codes`: an outcome answering the code's current revision moves it (`setting` → `set`, `removing` →
 *   `removed`, which releases its PIN, or `failed` with the lock's reason); then the answered desired entries are
 *   cleared. An outcome already recorded, or answering an older revision, changes nothing.
 * - `state`: the lock's condition (bolt, door, battery, firmware, keypad lockout), newest shadow version wins.
 * - presence: online/offline since the event's time; an older event than the one recorded changes nothing. A lock
 *   that comes back gets its codes pushed again, removals first; one that goes offline shortly before a guest's
 *   access starts is reported (lock-alerts.ts).
 * - `state` also: firmware older than the tenant's minimum is reported, once per version (lock-alerts.ts), and a
 *   lock reporting the key version of its latest rotation has the replaced certificate and keys retired
 *   (credential-rotation.ts), and its codes sent again hashed with the new key (code-sync.ts).
 * - lock events: each id once, as audit entries with their attribution; low battery and keypad lockouts alert
 *   the owners.
 */
import { z } from 'zod';
import { accessCodesDesiredUpdate } from '#shared/devices/codes.ts';
import { lockShadows, thingNameSchema } from '#shared/devices/contract.ts';
import { type LockShadowDocuments, readLockEvents, readShadowDocuments } from '#shared/devices/documents.ts';
import type { LockEvent } from '#shared/devices/events.ts';
import {
  type AccessCode,
  type AccessCodeFailureReason,
  moveAccessCode,
  withdrawAccessCode,
} from '#shared/domain/access-code.ts';
import { type AuditDetails, type AuditEvent, auditTrail } from '#shared/domain/audit.ts';
import { newEntityId } from '#shared/domain/entity.ts';
import { instantOf, toIsoInstant } from '#shared/domain/local-time.ts';
import type { Lock } from '#shared/domain/lock.ts';
import type { EntityWrite } from '#shared/domain/ports/change-set.ts';
import { type CodeSyncPorts, listAllLiveCodes, pushCodesToLock, rehashCodesOnLock } from './code-sync.ts';
import { retireReplacedCredentials } from './credential-rotation.ts';
import { alertIfFirmwareOutdated, alertIfOfflineBeforeArrival, alertOwners } from './lock-alerts.ts';
import { grantOfOfflineUnlock, type OfflineCodeStore } from './offline-code-issuance.ts';
import type { LockConditionStore, ThingDirectory } from './ports.ts';
import { settingsOf, type TenantSettingsStore } from './tenant-settings.ts';
import { applyCommandResults, isCommandsDocument } from './unlock-commands.ts';

export type DeviceEventPorts = CodeSyncPorts &
  Pick<
    import('#shared/domain/ports/domain-ports.ts').DomainPorts,
    'unlockCommands' | 'grants' | 'devices'
  > & {
    readonly things: ThingDirectory;
    readonly conditions: LockConditionStore;
    /** The tenant's lock settings (firmware minimum, offline alert horizon). */
    readonly settings: Pick<TenantSettingsStore, 'get'>;
    /** The offline codes the cloud issued, to name the grant whose offline code opened a lock. */
    readonly offlineCodes?: Pick<OfflineCodeStore, 'listByLock'> | undefined;
  };

export interface DeviceEventLog {
  info(message: string, details: Record<string, unknown>): void;
  warn(message: string, details: Record<string, unknown>): void;
}

/** What handling one payload did, for logs and tests. */
export type DeviceEventOutcome =
  | { readonly kind: 'ignored'; readonly reason: string }
  | { readonly kind: 'access-codes'; readonly moved: readonly string[]; readonly cleared: readonly string[] }
  | { readonly kind: 'state'; readonly recorded: boolean }
  | { readonly kind: 'commands'; readonly settled: number }
  | { readonly kind: 'presence'; readonly recorded: boolean; readonly online: boolean }
  | { readonly kind: 'lock-events'; readonly recorded: number; readonly duplicates: number };

/** `$aws/events/presence/{connected|disconnected}/{clientId}`: the client id is the thing name. */
const presenceEventSchema = z.object({
  clientId: thingNameSchema,
  timestamp: z.int().min(0),
  eventType: z.enum(['connected', 'disconnected']),
});

const deviceActor = (lockId: string) => ({ kind: 'device', lockId }) as const;

export async function handleDeviceEvent({
  ports,
  payload,
  log,
}: {
  ports: DeviceEventPorts;
  payload: unknown;
  log: DeviceEventLog;
}): Promise<DeviceEventOutcome> {
  const ignore = (reason: string, details: Record<string, unknown> = {}): DeviceEventOutcome => {
    log.warn('Device event ignored', { reason, ...details });
    return { kind: 'ignored', reason };
  };
  if (typeof payload !== 'object' || payload === null) return ignore('not-an-object');
  const fields = payload as Record<string, unknown>;

  if ('eventType' in fields) {
    const presence = presenceEventSchema.safeParse(payload);
    if (!presence.success) return ignore('malformed-presence', { problems: presence.error.issues });
    const lock = await lockOf({ ports, thingName: presence.data.clientId });
    if (lock === undefined) return ignore('unknown-thing', { thingName: presence.data.clientId });
    return onPresence({ ports, lock, ...presence.data, log });
  }
  if ('events' in fields) {
    const reading = readLockEvents(payload);
    if (!reading.ok) return ignore('malformed-lock-events', { problems: reading.problems });
    const lock = await lockOf({ ports, thingName: reading.value.thingName });
    if (lock === undefined) return ignore('unknown-thing', { thingName: reading.value.thingName });
    return onLockEvents({ ports, lock, events: reading.value.events });
  }
  if (!('shadowName' in fields)) return ignore('not-a-named-shadow');
  const reading = readShadowDocuments(payload);
  if (!reading.ok) return ignore('malformed-shadow-documents', { problems: reading.problems });
  const documents = reading.value;
  const lock = await lockOf({ ports, thingName: documents.thingName });
  if (lock === undefined) return ignore('unknown-thing', { thingName: documents.thingName });
  if (isCommandsDocument(documents)) {
    const results = await applyCommandResults({ ports, lock, document: documents });
    return { kind: 'commands', settled: results.settled.length };
  }
  if (documents.shadow === lockShadows.state) return onStateReport({ ports, lock, documents });
  return onAccessCodesDocument({ ports, lock, documents, log });
}

async function lockOf({
  ports,
  thingName,
}: {
  ports: DeviceEventPorts;
  thingName: string;
}): Promise<Lock | undefined> {
  const found = await ports.things.findLock({ thingName });
  if (found === undefined) return undefined;
  const lock = await ports.locks.get(found);
  return lock?.thingName === thingName ? lock : undefined;
}

async function onPresence({
  ports,
  lock,
  timestamp,
  eventType,
  log,
}: {
  ports: DeviceEventPorts;
  lock: Lock;
  timestamp: number;
  eventType: 'connected' | 'disconnected';
  log: DeviceEventLog;
}): Promise<DeviceEventOutcome> {
  const online = eventType === 'connected';
  const recorded = await ports.conditions.recordConnection({
    tenantId: lock.tenantId,
    lockId: lock.id,
    online,
    since: toIsoInstant(timestamp),
  });
  if (recorded && online) {
    // Back online: everything it missed goes again, removals first (orderCodeChanges on both sides).
    const pushed = await pushCodesToLock({ ports, tenantId: lock.tenantId, lockId: lock.id });
    log.info('Codes pushed again to a lock that reconnected', { lockId: lock.id, ...pushed });
  }
  if (recorded && !online) {
    await alertIfOfflineBeforeArrival({ ports, lock, offlineSince: toIsoInstant(timestamp) });
  }
  return { kind: 'presence', recorded, online };
}

async function onStateReport({
  ports,
  lock,
  documents,
}: {
  ports: DeviceEventPorts;
  lock: Lock;
  documents: Extract<LockShadowDocuments, { shadow: 'state' }>;
}): Promise<DeviceEventOutcome> {
  const reported = documents.current.reported;
  if (reported === undefined) return { kind: 'state', recorded: false };
  const settings = settingsOf({ settings: ports.settings, tenantId: lock.tenantId });
  settings.catch(() => undefined); // awaited below, only once the report is recorded
  const recorded = await ports.conditions.recordState({
    tenantId: lock.tenantId,
    lockId: lock.id,
    reportedAt: toIsoInstant(documents.timestamp * 1000),
    shadowVersion: documents.current.version,
    state: {
      bolt: reported.bolt,
      door: reported.door,
      battery: reported.battery,
      firmware: reported.firmware,
      keypadLockedOutUntil:
        reported.keypad.lockedOutUntil > 0 ? toIsoInstant(reported.keypad.lockedOutUntil * 1000) : null,
      keyVersions: reported.keyVersions,
    },
  });
  if (recorded) {
    const { minimumFirmwareVersion } = await settings;
    await alertIfFirmwareOutdated({ ports, lock, firmware: reported.firmware, minimumFirmwareVersion });
    await retireReplacedCredentials({
      ports,
      lock,
      keyVersions: reported.keyVersions,
      // The codes on the lock were hashed with a key now retired: they go again with the new one.
      beforeRecording: () => rehashCodesOnLock({ ports, lock }),
    });
  }
  return { kind: 'state', recorded };
}

const failureOf = (reason: string): AccessCodeFailureReason =>
  reason === 'lock-full' ? 'lock-full' : 'rejected-by-lock';

async function onAccessCodesDocument({
  ports,
  lock,
  documents,
  log,
}: {
  ports: DeviceEventPorts;
  lock: Lock;
  documents: Extract<LockShadowDocuments, { shadow: 'access-codes' }>;
  log: DeviceEventLog;
}): Promise<DeviceEventOutcome> {
  const applied = documents.current.reported?.applied ?? {};
  const desired = documents.current.desired?.codes ?? {};
  if (Object.keys(applied).length === 0) return { kind: 'access-codes', moved: [], cleared: [] };
  const now = ports.clock.now();
  const at = instantOf(now);
  const audit = auditTrail({
    tenantId: lock.tenantId,
    actor: deviceActor(lock.id),
    at,
    newId: () => newEntityId({ ids: ports.ids, kind: 'auditEvent' }),
  });
  const codes = new Map(
    (await listAllLiveCodes({ ports, tenantId: lock.tenantId, lockId: lock.id })).map((code) => [
      code.id,
      code,
    ]),
  );
  const moved: AccessCode[] = [];
  const clear: string[] = [];
  let lockFull = 0;
  let withdrawn = 0;
  for (const [codeId, outcome] of Object.entries(applied)) {
    const entry = desired[codeId];
    if (entry !== undefined && entry !== null && entry.v <= outcome.v) clear.push(codeId);
    const code = codes.get(codeId);
    if (code === undefined) continue;
    // A single-use code the lock reports used is withdrawn (whichever report first says so), then taken off.
    const used = outcome.status === 'set' && outcome.used !== undefined && code.status === 'set';
    if (code.version !== outcome.v && !used) continue;
    let next: AccessCode | undefined;
    if (used) {
      next = withdrawAccessCode({ code, at });
      withdrawn += 1;
    } else if (code.status === 'setting' && outcome.status === 'set') {
      next = moveAccessCode({ code, move: { to: 'set' }, at });
    } else if (code.status === 'removing' && outcome.status === 'removed') {
      next = moveAccessCode({ code, move: { to: 'removed' }, at });
    } else if (code.status === 'setting' && outcome.status === 'failed') {
      next = moveAccessCode({
        code,
        move: { to: 'failed', reason: failureOf(outcome.reason), detail: outcome.reason },
        at,
      });
      if (outcome.reason === 'lock-full') lockFull += 1;
    }
    if (next === undefined) continue;
    moved.push(next);
    audit.record({
      action: `access-code.${next.status === 'failed' ? 'rejected-by-lock' : next.status === 'removing' ? 'used-once' : `${next.status}-on-lock`}`,
      target: { kind: 'access-code', id: code.id },
      propertyId: lock.propertyId,
      lockId: lock.id,
      details: {
        grantId: code.grantId,
        revision: outcome.v,
        ...(outcome.status === 'failed' ? { reason: outcome.reason } : {}),
      },
    });
  }
  if (moved.length > 0) {
    const writes = moved.map((value): EntityWrite => ({ entity: 'accessCode', op: 'update', value }));
    const result = await ports.changes.commit({ writes, auditEvents: audit.events });
    // Someone changed the code meanwhile (a modification sent it again): that change wins, and the lock answers
    // its revision in turn.
    if (!result.ok)
      log.warn('Code outcomes not recorded: the codes changed meanwhile', { ...result.conflict });
  }
  if (clear.length > 0) {
    await ports.shadows.updateShadow({
      thingName: lock.thingName,
      shadowName: lockShadows.accessCodes,
      document: accessCodesDesiredUpdate({ clear }),
    });
  }
  if (withdrawn > 0) await pushCodesToLock({ ports, tenantId: lock.tenantId, lockId: lock.id });
  if (lockFull > 0) {
    await alertOwners({
      ports,
      lock,
      alert: 'lock-full',
      details: { codes: lockFull, capacity: lock.codeConstraints.capacity },
    });
  }
  return { kind: 'access-codes', moved: moved.map(({ id }) => id), cleared: clear };
}

async function onLockEvents({
  ports,
  lock,
  events,
}: {
  ports: DeviceEventPorts;
  lock: Lock;
  events: readonly LockEvent[];
}): Promise<DeviceEventOutcome> {
  const codes = events.some((event) => 'codeId' in event && event.codeId !== undefined)
    ? new Map(
        (await listAllLiveCodes({ ports, tenantId: lock.tenantId, lockId: lock.id })).map((code) => [
          code.id,
          code,
        ]),
      )
    : new Map<string, AccessCode>();
  let recorded = 0;
  let duplicates = 0;
  for (const event of events) {
    const auditEvents = await auditOfLockEvent({ ports, lock, event, codes });
    const first = await ports.conditions.recordEventOnce({
      tenantId: lock.tenantId,
      lockId: lock.id,
      eventId: event.id,
      auditEvents,
    });
    if (!first) {
      duplicates += 1;
      continue;
    }
    recorded += 1;
    if (event.type === 'battery-low') {
      await alertOwners({ ports, lock, alert: 'low-battery', details: { percent: event.percent } });
    }
    if (event.type === 'keypad-locked-out') {
      await alertOwners({
        ports,
        lock,
        alert: 'keypad-locked-out',
        details: { until: toIsoInstant(event.until * 1000), lockouts: event.lockouts },
      });
    }
  }
  return { kind: 'lock-events', recorded, duplicates };
}

async function auditOfLockEvent({
  ports,
  lock,
  event,
  codes,
}: {
  ports: DeviceEventPorts;
  lock: Lock;
  event: LockEvent;
  codes: ReadonlyMap<string, AccessCode>;
}): Promise<AuditEvent[]> {
  const trail = auditTrail({
    tenantId: lock.tenantId,
    actor: deviceActor(lock.id),
    at: toIsoInstant(event.at * 1000),
    newId: () => newEntityId({ ids: ports.ids, kind: 'auditEvent' }),
  });
  const common = { eventId: event.id, seq: event.seq };
  const codeDetails = (codeId: string | undefined): AuditDetails => {
    if (codeId === undefined) return {};
    const grantId = codes.get(codeId)?.grantId;
    return { codeId, ...(grantId === undefined ? {} : { grantId }) };
  };
  let details: AuditDetails = common;
  switch (event.type) {
    case 'unlocked':
      switch (event.method) {
        case 'keypad':
          details = { ...common, method: event.method, ...codeDetails(event.codeId) };
          break;
        case 'offline-code': {
          const grantId = ports.offlineCodes
            ? await grantOfOfflineUnlock({
                offlineCodes: ports.offlineCodes,
                tenantId: lock.tenantId,
                lockId: lock.id,
                attribution: event.offlineCode,
                at: toIsoInstant(event.at * 1000),
              })
            : undefined;
          details = {
            ...common,
            method: event.method,
            offlineCode: event.offlineCode,
            ...(grantId === undefined ? {} : { grantId }),
          };
          break;
        }
        case 'fingerprint':
        case 'rfid':
        case 'face':
          details = { ...common, method: event.method, credentialId: event.credentialId };
          break;
        case 'key':
          details = { ...common, method: event.method };
          break;
        case 'remote': {
          const command = await ports.unlockCommands.get({
            tenantId: lock.tenantId,
            commandId: event.commandId,
          });
          details = {
            ...common,
            method: event.method,
            commandId: event.commandId,
            ...(command === undefined ? {} : { requestedBy: command.requestedBy }),
          };
          break;
        }
      }
      break;
    case 'access-denied':
      details = {
        ...common,
        method: event.method,
        reason: event.reason,
        ...codeDetails(event.codeId),
        ...(event.credentialId === undefined ? {} : { credentialId: event.credentialId }),
      };
      break;
    case 'locked':
      details = { ...common, reason: event.reason };
      break;
    case 'keypad-locked-out':
      details = { ...common, until: toIsoInstant(event.until * 1000), lockouts: event.lockouts };
      break;
    case 'tamper':
      details = { ...common, kind: event.kind };
      break;
    case 'battery-low':
      details = { ...common, percent: event.percent };
      break;
    case 'door':
      details = { ...common, door: event.door };
      break;
  }
  trail.record({
    action: `lock.${event.type}`,
    target: { kind: 'lock', id: lock.id },
    propertyId: lock.propertyId,
    lockId: lock.id,
    details,
  });
  return [...trail.events];
}
