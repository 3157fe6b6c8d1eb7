/**
 * Registering a lock on a property and rotating its device credentials. Registration provisions the lock's
 * device identity first and records the lock after; if recording fails the identity is released again, so no
 * thing is left without a lock.
 *
 * A booking's grant covers every lock of its property, including locks added after the booking: a new lock
 * joins the live booking grants of its property, each grant in its own commit (a property may have many
 * bookings ahead, more than one transaction holds). `syncLockWithGrants` does that and can be run again: it
 * skips grants that already cover the lock.
 */

import { holdsPin } from '../access-code.ts';
import type { AuditEvent } from '../audit.ts';
import { revise } from '../entity.ts';
import type { Grant } from '../grant.ts';
import { instantOf } from '../local-time.ts';
import { type Lock, type RegisterLockInput, registerLockInputSchema } from '../lock.ts';
import { assertMayAttempt, authorize } from '../permissions.ts';
import type { EntityWrite } from '../ports/change-set.ts';
import type { InstallerBundle } from '../ports/device-provisioner.ts';
import type { DomainPorts } from '../ports/domain-ports.ts';
import type { Principal } from '../team.ts';
import { parseInput } from '../validation.ts';
import { allocateAccessCodes, commitWithUniquePins, recordAllocations } from './access-codes.ts';
import { beginOperation, conflictError, found, type OperationResult } from './operation.ts';

export interface LockResult extends OperationResult {
  readonly lock: Lock;
  /** Certificate, key and device key for the installer: shown once, stored nowhere by the domain. */
  readonly installerBundle: InstallerBundle;
}

export interface RegisterLockResult extends LockResult {
  /** Live booking grants that now cover the new lock, and those that could not be extended (run the sync again). */
  readonly grantSync: GrantSyncResult;
}

export interface GrantSyncResult extends OperationResult {
  readonly extendedGrantIds: readonly string[];
  readonly failedGrantIds: readonly string[];
  /** False when some grants may not have been looked at (e.g. storage failed): run the sync again. */
  readonly complete: boolean;
}

/** The IoT thing name of a lock: unique, stable, and free of anything a tenant typed. */
export function thingNameOf(lockId: string): string {
  return `lockstay-${lockId}`;
}

export async function registerLock({
  ports,
  principal,
  input,
}: {
  ports: Pick<
    DomainPorts,
    'clock' | 'ids' | 'random' | 'properties' | 'locks' | 'grants' | 'accessCodes' | 'devices' | 'changes'
  >;
  principal: Principal;
  input: RegisterLockInput | unknown;
}): Promise<RegisterLockResult> {
  assertMayAttempt({ principal, action: 'lock.register' });
  const details = parseInput({ schema: registerLockInputSchema, input, what: 'lock' });
  const { tenantId } = principal;
  const property = found(await ports.properties.get({ tenantId, propertyId: details.propertyId }), {
    entity: 'property',
    id: details.propertyId,
  });
  authorize({ principal, action: 'lock.register', resource: { tenantId, propertyId: property.id } });

  const { at, audit, newId } = beginOperation({ ports, principal });
  const lockId = newId('lock');
  const thingName = thingNameOf(lockId);
  const device = await ports.devices.provision({ tenantId, lockId, thingName });
  const lock: Lock = {
    tenantId,
    id: lockId,
    propertyId: property.id,
    name: details.name,
    connectivity: details.connectivity,
    codeConstraints: details.codeConstraints,
    manufacturer: details.manufacturer,
    model: details.model,
    thingName,
    credentials: { certificateId: device.certificateId, keyVersion: device.keyVersion, issuedAt: at },
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  audit.record({
    action: 'lock.registered',
    target: { kind: 'lock', id: lockId },
    propertyId: property.id,
    lockId,
    details: {
      name: lock.name,
      connectivity: lock.connectivity,
      codeConstraints: lock.codeConstraints,
      thingName,
      certificateId: device.certificateId,
    },
  });
  try {
    const outcome = await ports.changes.commit({
      writes: [{ entity: 'lock', op: 'create', value: lock }],
      auditEvents: audit.events,
    });
    if (!outcome.ok) throw conflictError(outcome.conflict);
  } catch (error) {
    await ports.devices.release({ tenantId, lockId, thingName });
    throw error;
  }
  // The installer bundle exists only in this answer: nothing after the commit may make the call fail.
  const grantSync = await extendLiveBookingGrants({ ports, principal, lock }).catch(
    (): GrantSyncResult => ({ extendedGrantIds: [], failedGrantIds: [], complete: false, events: [] }),
  );
  return {
    lock,
    installerBundle: device.installerBundle,
    grantSync,
    events: [...audit.events, ...grantSync.events],
  };
}

/** Makes every live booking grant of the lock's property cover the lock; safe to run again. */
export async function syncLockWithGrants({
  ports,
  principal,
  lockId,
}: {
  ports: Pick<DomainPorts, 'clock' | 'ids' | 'random' | 'locks' | 'grants' | 'accessCodes' | 'changes'>;
  principal: Principal;
  lockId: string;
}): Promise<GrantSyncResult> {
  assertMayAttempt({ principal, action: 'lock.update' });
  const lock = found(await ports.locks.get({ tenantId: principal.tenantId, lockId }), {
    entity: 'lock',
    id: lockId,
  });
  authorize({
    principal,
    action: 'lock.update',
    resource: { tenantId: lock.tenantId, propertyId: lock.propertyId },
  });
  return extendLiveBookingGrants({ ports, principal, lock });
}

const maxStaleRetries = 3;

async function extendLiveBookingGrants({
  ports,
  principal,
  lock,
}: {
  ports: Pick<DomainPorts, 'clock' | 'ids' | 'random' | 'grants' | 'accessCodes' | 'changes'>;
  principal: Principal;
  lock: Lock;
}): Promise<GrantSyncResult> {
  const { tenantId } = lock;
  const live = await ports.grants.listLiveByProperty({
    tenantId,
    propertyId: lock.propertyId,
    at: instantOf(ports.clock.now()),
  });
  const extendedGrantIds: string[] = [];
  const failedGrantIds: string[] = [];
  const events: AuditEvent[] = [];
  for (const candidate of live.filter(
    (grant) => grant.kind === 'booking' && !grant.lockIds.includes(lock.id),
  )) {
    let grant: Grant | undefined = candidate;
    for (let attempt = 1; grant && !grant.lockIds.includes(lock.id); attempt += 1) {
      const outcome = await extendGrant({ ports, principal, grant, lock });
      if (outcome.ok) {
        extendedGrantIds.push(grant.id);
        events.push(...outcome.events);
        break;
      }
      if (outcome.conflict !== 'stale' || attempt >= maxStaleRetries) {
        failedGrantIds.push(grant.id);
        break;
      }
      // Changed meanwhile (moved, revoked): decide again on its current version.
      grant = await ports.grants.get({ tenantId, grantId: grant.id });
      if (grant?.revocation) break;
    }
  }
  return { extendedGrantIds, failedGrantIds, complete: failedGrantIds.length === 0, events };
}

async function extendGrant({
  ports,
  principal,
  grant,
  lock,
}: {
  ports: Pick<DomainPorts, 'clock' | 'ids' | 'random' | 'accessCodes' | 'changes'>;
  principal: Principal;
  grant: Grant;
  lock: Lock;
}): Promise<{ ok: true; events: readonly AuditEvent[] } | { ok: false; conflict: string }> {
  const { at, audit, newId } = beginOperation({ ports, principal });
  const extended = revise(grant, { lockIds: [...grant.lockIds, lock.id] }, at);
  audit.record({
    action: 'grant.lock-added',
    target: { kind: 'grant', id: grant.id },
    propertyId: grant.propertyId,
    lockId: lock.id,
    details: { lockIds: extended.lockIds },
  });
  const siblings = await ports.accessCodes.listByGrant({ tenantId: grant.tenantId, grantId: grant.id });
  // The guest may know their PIN already: the new door gets the same one where its length allows.
  const samePin = siblings.find(
    (code) => holdsPin(code) && code.pin.length === lock.codeConstraints.pinLength,
  );
  const codes = allocateAccessCodes({
    grant: extended,
    locks: [lock],
    random: ports.random,
    newId: () => newId('accessCode'),
    at,
  }).map((code) => (samePin ? { ...code, pin: samePin.pin } : code));
  recordAllocations({ audit, codes });
  const { outcome } = await commitWithUniquePins({
    changes: {
      writes: [
        { entity: 'grant', op: 'update', value: extended },
        ...codes.map((value): EntityWrite => ({ entity: 'accessCode', op: 'create', value })),
      ],
      auditEvents: audit.events,
    },
    committer: ports.changes,
    random: ports.random,
  });
  return outcome.ok ? { ok: true, events: audit.events } : { ok: false, conflict: outcome.conflict.kind };
}

/** A new certificate and device key for a lock, e.g. after a suspected leak or as routine. */
export async function rotateLockCredentials({
  ports,
  principal,
  lockId,
}: {
  ports: Pick<DomainPorts, 'clock' | 'ids' | 'locks' | 'devices' | 'changes'>;
  principal: Principal;
  lockId: string;
}): Promise<LockResult> {
  assertMayAttempt({ principal, action: 'lock.rotateCredentials' });
  const lock = found(await ports.locks.get({ tenantId: principal.tenantId, lockId }), {
    entity: 'lock',
    id: lockId,
  });
  authorize({
    principal,
    action: 'lock.rotateCredentials',
    resource: { tenantId: lock.tenantId, propertyId: lock.propertyId },
  });
  const { at, audit } = beginOperation({ ports, principal });
  const device = await ports.devices.rotate({
    tenantId: lock.tenantId,
    lockId,
    thingName: lock.thingName,
    keyVersion: lock.credentials.keyVersion + 1,
  });
  const rotated = revise(
    lock,
    { credentials: { certificateId: device.certificateId, keyVersion: device.keyVersion, issuedAt: at } },
    at,
  );
  audit.record({
    action: 'lock.credentials-rotated',
    target: { kind: 'lock', id: lockId },
    propertyId: lock.propertyId,
    lockId,
    details: {
      previousCertificateId: lock.credentials.certificateId,
      certificateId: device.certificateId,
      keyVersion: device.keyVersion,
    },
  });
  const outcome = await ports.changes.commit({
    writes: [{ entity: 'lock', op: 'update', value: rotated }],
    auditEvents: audit.events,
  });
  if (!outcome.ok) throw conflictError(outcome.conflict);
  return { lock: rotated, installerBundle: device.installerBundle, events: audit.events };
}
