/**
 * Registering a lock on a property and rotating its device credentials. Registration provisions the lock's
 * device identity first and records the lock after; if recording fails the identity is released again, so no
 * thing is left without a lock.
 */

import { revise } from '../entity.ts';
import { type Lock, type RegisterLockInput, registerLockInputSchema } from '../lock.ts';
import { assertMayAttempt, authorize } from '../permissions.ts';
import type { InstallerBundle } from '../ports/device-provisioner.ts';
import type { DomainPorts } from '../ports/domain-ports.ts';
import type { Principal } from '../team.ts';
import { parseInput } from '../validation.ts';
import { beginOperation, conflictError, found, type OperationResult } from './operation.ts';

export interface LockResult extends OperationResult {
  readonly lock: Lock;
  /** Certificate, key and device key for the installer: shown once, stored nowhere by the domain. */
  readonly installerBundle: InstallerBundle;
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
  ports: Pick<DomainPorts, 'clock' | 'ids' | 'properties' | 'devices' | 'changes'>;
  principal: Principal;
  input: RegisterLockInput | unknown;
}): Promise<LockResult> {
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
  return { lock, installerBundle: device.installerBundle, events: audit.events };
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
