/**
 * Alerts about a lock that the device events raise beside the lock's own events (low battery and keypad lockouts
 * are lock events, audited as such and emailed from device-events.ts):
 * - `lock-offline`: the lock went offline while a guest's access on it starts within the tenant's horizon
 *   (24 hours by default): once per lock and stay, however often the lock drops off;
 * - `firmware-outdated`: the lock reports (or, when an owner raises the minimum, is found with) firmware older
 *   than the tenant's minimum: once per lock and firmware version.
 * Each is an audit event of the `alert.` family (`alert.lock-offline`, `alert.firmware-outdated`), recorded once
 * under a marker with the lock's event ids, and an email to the owners. Duplicate or late events find the marker
 * and change nothing twice.
 * `alertOwners` is that email, the one every alert about a lock sends (a full lock, a low battery and a keypad
 * lockout too).
 */
import { type AuditDetails, auditTrail } from '#shared/domain/audit.ts';
import { newEntityId } from '#shared/domain/entity.ts';
import type { Grant } from '#shared/domain/grant.ts';
import { addHours, epochOf, type IsoInstant, instantOf, isBefore } from '#shared/domain/local-time.ts';
import type { Lock } from '#shared/domain/lock.ts';
import type { DomainPorts } from '#shared/domain/ports/domain-ports.ts';
import type { LockAlertNotice } from '#shared/domain/ports/host-notifier.ts';
import type { LockConditionStore } from './ports.ts';
import { firmwareBelowMinimum, settingsOf, type TenantSettingsStore } from './tenant-settings.ts';

export type LockAlertPorts = Pick<DomainPorts, 'clock' | 'ids' | 'team' | 'notifier'> & {
  readonly conditions: Pick<LockConditionStore, 'recordEventOnce'>;
};

const alertActor = { kind: 'system', process: 'lock-alerts' } as const;

/** The owners of the tenant, told about a lock that needs a person. */
export async function alertOwners({
  ports,
  lock,
  alert,
  details,
}: {
  ports: Pick<DomainPorts, 'team' | 'notifier'>;
  lock: Lock;
  alert: LockAlertNotice['alert'];
  details: Record<string, string | number>;
}): Promise<void> {
  const owners = await ports.team.listByRole({ tenantId: lock.tenantId, role: 'owner' });
  await ports.notifier.notify({
    tenantId: lock.tenantId,
    recipients: owners.map(({ userId, email, name }) => ({ userId, email, name })),
    notice: {
      kind: 'lock-alert',
      alert,
      lockId: lock.id,
      lockName: lock.name,
      propertyId: lock.propertyId,
      details,
    },
  });
}

/**
 * Records the alert once under `onceKey` (per lock) and emails the owners; false (and nobody told) when it was
 * raised before.
 */
export async function raiseLockAlert({
  ports,
  lock,
  alert,
  onceKey,
  details,
}: {
  ports: LockAlertPorts;
  lock: Lock;
  alert: Extract<LockAlertNotice['alert'], 'lock-offline' | 'firmware-outdated'>;
  onceKey: string;
  details: Record<string, string | number>;
}): Promise<boolean> {
  const trail = auditTrail({
    tenantId: lock.tenantId,
    actor: alertActor,
    at: instantOf(ports.clock.now()),
    newId: () => newEntityId({ ids: ports.ids, kind: 'auditEvent' }),
  });
  trail.record({
    action: `alert.${alert}`,
    target: { kind: 'lock', id: lock.id },
    propertyId: lock.propertyId,
    lockId: lock.id,
    details: details as AuditDetails,
  });
  const first = await ports.conditions.recordEventOnce({
    tenantId: lock.tenantId,
    lockId: lock.id,
    eventId: `alert-${onceKey}`,
    auditEvents: trail.events,
  });
  if (!first) return false;
  await alertOwners({ ports, lock, alert, details });
  return true;
}

/** The guest's access on this lock that starts soonest after `at` and no later than `horizon`. */
function nextArrival({
  grants,
  lock,
  at,
  horizon,
}: {
  grants: readonly Grant[];
  lock: Lock;
  at: IsoInstant;
  horizon: IsoInstant;
}) {
  return grants
    .filter(
      (grant) =>
        grant.subject.kind === 'booking-guest' &&
        grant.revocation === undefined &&
        grant.lockIds.includes(lock.id) &&
        isBefore(at, grant.window.startsAt) &&
        !isBefore(horizon, grant.window.startsAt),
    )
    .sort((a, b) => epochOf(a.window.startsAt) - epochOf(b.window.startsAt))[0];
}

/** A lock just went offline: alert when a guest's access on it starts within the tenant's horizon. */
export async function alertIfOfflineBeforeArrival({
  ports,
  lock,
  offlineSince,
}: {
  ports: LockAlertPorts &
    Pick<DomainPorts, 'grants'> & { readonly settings: Pick<TenantSettingsStore, 'get'> };
  lock: Lock;
  offlineSince: IsoInstant;
}): Promise<boolean> {
  const at = instantOf(ports.clock.now());
  const [settings, grants] = await Promise.all([
    settingsOf({ settings: ports.settings, tenantId: lock.tenantId }),
    ports.grants.listLiveByProperty({ tenantId: lock.tenantId, propertyId: lock.propertyId, at }),
  ]);
  const arrival = nextArrival({ grants, lock, at, horizon: addHours(at, settings.offlineAlertHours) });
  if (arrival === undefined) return false;
  return raiseLockAlert({
    ports,
    lock,
    alert: 'lock-offline',
    onceKey: `lock-offline-${arrival.id}`,
    details: {
      offlineSince,
      grantId: arrival.id,
      accessStartsAt: arrival.window.startsAt,
      ...(arrival.bookingId === undefined ? {} : { bookingId: arrival.bookingId }),
    },
  });
}

/** The lock's firmware against the tenant's minimum: alert once per lock and firmware version. */
export async function alertIfFirmwareOutdated({
  ports,
  lock,
  firmware,
  minimumFirmwareVersion,
}: {
  ports: LockAlertPorts;
  lock: Lock;
  firmware: string | undefined;
  minimumFirmwareVersion: string | null;
}): Promise<boolean> {
  if (firmware === undefined || !firmwareBelowMinimum({ firmware, minimum: minimumFirmwareVersion }))
    return false;
  return raiseLockAlert({
    ports,
    lock,
    alert: 'firmware-outdated',
    onceKey: `firmware-outdated-${firmware}`,
    details: { firmware, minimumFirmwareVersion: minimumFirmwareVersion ?? '' },
  });
}

/**
 * After an owner sets or raises the minimum: every lock of the tenant already known to run older firmware is
 * reported (each once per version, as when it reports).
 */
export async function alertLocksWithOutdatedFirmware({
  ports,
  tenantId,
  minimumFirmwareVersion,
}: {
  ports: LockAlertPorts &
    Pick<DomainPorts, 'properties' | 'locks'> & { readonly conditions: Pick<LockConditionStore, 'get'> };
  tenantId: string;
  minimumFirmwareVersion: string | null;
}): Promise<{ alerted: string[] }> {
  const alerted: string[] = [];
  if (minimumFirmwareVersion === null) return { alerted };
  let cursor: string | undefined;
  do {
    const page = await ports.properties.list({
      tenantId,
      page: { limit: 100, ...(cursor ? { cursor } : {}) },
    });
    for (const property of page.items) {
      const locks = await ports.locks.listByProperty({ tenantId, propertyId: property.id });
      for (const lock of locks) {
        const condition = await ports.conditions.get({ tenantId, lockId: lock.id });
        if (
          await alertIfFirmwareOutdated({
            ports,
            lock,
            firmware: condition?.firmware,
            minimumFirmwareVersion,
          })
        )
          alerted.push(lock.id);
      }
    }
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return { alerted };
}
