/**
 * Rotating locks' credentials, and retiring what a rotation replaced.
 *
 * A rotation (`rotateLockCredentials`) gives a lock a new certificate and device key version while the previous
 * ones stay valid, so the lock is never cut off before its installer loads the new bundle. Once the lock reports
 * holding the new key version (`state.keyVersions`, which it reports after restarting with the new bundle, over
 * a connection made with the new certificate), the cloud retires the rest: every other certificate of the thing
 * is revoked and the older key versions are deleted, once, with a `lock.credentials-retired` audit event.
 *
 * Until then the cloud keeps signing with a version the lock holds (`signingKeyVersion`), so remote unlock goes
 * on working between a rotation and the installer's visit.
 *
 * Fleet rotation (`rotateFleetCredentials`, owners): every online-capable lock of the business or of one
 * property whose credentials were issued before a given instant is rotated, a few at a time and at most
 * `fleetRotationBatch` per call; calling again with the same `issuedBefore` carries on where the last call
 * stopped, since a rotated lock's credentials are newer. Each lock's new bundle is in the answer, shown once.
 */
import { z } from 'zod';
import { auditTrail } from '#shared/domain/audit.ts';
import { newEntityId } from '#shared/domain/entity.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { instantOf, isBefore } from '#shared/domain/local-time.ts';
import { acceptsPushedCodes, type Lock } from '#shared/domain/lock.ts';
import { rotateLockCredentials } from '#shared/domain/operations/locks.ts';
import { getProperty } from '#shared/domain/operations/queries.ts';
import { assertMayAttempt, authorize } from '#shared/domain/permissions.ts';
import type { InstallerBundle } from '#shared/domain/ports/device-provisioner.ts';
import type { DomainPorts } from '#shared/domain/ports/domain-ports.ts';
import type { Principal } from '#shared/domain/team.ts';
import { parseInput } from '#shared/domain/validation.ts';
import type { LockCondition, LockConditionStore } from './ports.ts';

/**
 * The key version to sign and hash with for this lock: its current one once it reports holding it (or when it
 * never reported its keys), else the newest version it reports holding that the cloud issued.
 */
export function signingKeyVersion({
  lock,
  condition,
}: {
  lock: Pick<Lock, 'credentials'>;
  condition: Pick<LockCondition, 'keyVersions'> | undefined;
}): number {
  const current = lock.credentials.keyVersion;
  const held = condition?.keyVersions;
  if (held === undefined || held.length === 0 || held.includes(current)) return current;
  const usable = held.filter((version) => version < current);
  return usable.length === 0 ? current : Math.max(...usable);
}

export type CredentialRetirementPorts = Pick<DomainPorts, 'clock' | 'ids' | 'devices'> & {
  readonly conditions: Pick<LockConditionStore, 'hasEvent' | 'recordEventOnce'>;
};

/**
 * The lock reported the key versions it holds: when that includes its current version and a rotation is behind
 * it, what the rotation replaced is retired (once; a repeated or late report finds it done).
 */
export async function retireReplacedCredentials({
  ports,
  lock,
  keyVersions,
  beforeRecording,
}: {
  ports: CredentialRetirementPorts;
  lock: Lock;
  keyVersions: readonly number[];
  /**
   * Work that must follow the retirement (codes rehashed with the new key): run before the retirement is
   * recorded, so that a failure leaves it to the next report too.
   */
  beforeRecording?: () => Promise<unknown>;
}): Promise<{ retired: boolean }> {
  const current = lock.credentials.keyVersion;
  if (current <= 1 || !keyVersions.includes(current)) return { retired: false };
  const marker = { tenantId: lock.tenantId, lockId: lock.id, eventId: `credentials-retired-v${current}` };
  if (await ports.conditions.hasEvent(marker)) return { retired: false };
  // Retiring is idempotent, so it goes first: a failure leaves no marker and the next report tries again.
  const { retiredCertificateIds, retiredKeyVersions } = await ports.devices.retire({
    tenantId: lock.tenantId,
    lockId: lock.id,
    thingName: lock.thingName,
    keepCertificateId: lock.credentials.certificateId,
    keepKeyVersion: current,
  });
  await beforeRecording?.();
  const audit = auditTrail({
    tenantId: lock.tenantId,
    actor: { kind: 'device', lockId: lock.id },
    at: instantOf(ports.clock.now()),
    newId: () => newEntityId({ ids: ports.ids, kind: 'auditEvent' }),
  });
  audit.record({
    action: 'lock.credentials-retired',
    target: { kind: 'lock', id: lock.id },
    propertyId: lock.propertyId,
    lockId: lock.id,
    details: {
      keyVersion: current,
      certificateId: lock.credentials.certificateId,
      retiredCertificateIds: retiredCertificateIds.join(','),
      retiredKeyVersions: retiredKeyVersions.join(','),
    },
  });
  const first = await ports.conditions.recordEventOnce({ ...marker, auditEvents: audit.events });
  return { retired: first };
}

/** At most this many locks are rotated per call (each takes a few IoT and KMS calls). */
export const fleetRotationBatch = 20;
const rotationsInFlight = 4;

export const fleetRotationInputSchema = z
  .strictObject({
    propertyId: z.string().min(1).max(64).optional().describe('Only this property’s locks; all when absent'),
    issuedBefore: z.iso
      .datetime()
      .optional()
      .describe(
        'Rotate only credentials issued before this instant (default: now). Send the answer’s value again to carry on.',
      ),
  })
  .meta({ id: 'FleetRotationRequest' });

export type FleetRotationItem =
  | {
      readonly lockId: string;
      readonly name: string;
      readonly propertyId: string;
      readonly status: 'rotated';
      readonly keyVersion: number;
      readonly installerBundle: InstallerBundle;
    }
  | {
      readonly lockId: string;
      readonly name: string;
      readonly propertyId: string;
      readonly status: 'failed' | 'skipped';
      readonly reason: string;
    };

export interface FleetRotationResult {
  readonly issuedBefore: string;
  readonly items: readonly FleetRotationItem[];
  /** Locks still due after this call: call again with the same `issuedBefore`. */
  readonly remaining: number;
}

async function locksOf({
  ports,
  principal,
  propertyId,
}: {
  ports: Pick<DomainPorts, 'properties' | 'locks'>;
  principal: Principal;
  propertyId: string | undefined;
}): Promise<Lock[]> {
  const tenantId = principal.tenantId;
  if (propertyId !== undefined) {
    await getProperty({ ports, principal, propertyId });
    return [...(await ports.locks.listByProperty({ tenantId, propertyId }))];
  }
  const locks: Lock[] = [];
  let cursor: string | undefined;
  do {
    const page = await ports.properties.list({
      tenantId,
      page: { limit: 100, ...(cursor ? { cursor } : {}) },
    });
    for (const property of page.items)
      locks.push(...(await ports.locks.listByProperty({ tenantId, propertyId: property.id })));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return locks;
}

/**
 * Rotates the credentials of every lock of the business (or of one property) issued before `issuedBefore`,
 * `fleetRotationBatch` at most per call. Bluetooth-only locks are listed as skipped: they never connect, so they
 * could not report the new key, and their installer rotates them one by one.
 */
export async function rotateFleetCredentials({
  ports,
  principal,
  input,
}: {
  ports: Pick<DomainPorts, 'clock' | 'ids' | 'properties' | 'locks' | 'devices' | 'changes'>;
  principal: Principal;
  input: unknown;
}): Promise<FleetRotationResult> {
  assertMayAttempt({ principal, action: 'lock.rotateFleet' });
  authorize({ principal, action: 'lock.rotateFleet', resource: { tenantId: principal.tenantId } });
  const { propertyId, issuedBefore: requested } = parseInput({
    schema: fleetRotationInputSchema,
    input: input ?? {},
    what: 'fleet rotation',
  });
  const issuedBefore =
    requested === undefined ? instantOf(ports.clock.now()) : instantOf(new Date(requested));
  const locks = await locksOf({ ports, principal, propertyId });
  const items: FleetRotationItem[] = [];
  const due: Lock[] = [];
  for (const lock of locks) {
    if (!isBefore(lock.credentials.issuedAt, issuedBefore)) continue;
    if (!acceptsPushedCodes(lock)) {
      items.push({
        lockId: lock.id,
        name: lock.name,
        propertyId: lock.propertyId,
        status: 'skipped',
        reason: 'A Bluetooth-only lock never connects: rotate it on its own with its installer',
      });
    } else due.push(lock);
  }
  const batch = due.slice(0, fleetRotationBatch);
  let next = 0;
  const worker = async () => {
    while (next < batch.length) {
      const lock = batch[next] as Lock;
      next += 1;
      try {
        const rotated = await rotateLockCredentials({ ports, principal, lockId: lock.id });
        items.push({
          lockId: lock.id,
          name: lock.name,
          propertyId: lock.propertyId,
          status: 'rotated',
          keyVersion: rotated.lock.credentials.keyVersion,
          installerBundle: rotated.installerBundle,
        });
      } catch (error) {
        items.push({
          lockId: lock.id,
          name: lock.name,
          propertyId: lock.propertyId,
          status: 'failed',
          reason: error instanceof DomainError ? error.message : 'The rotation failed; try again',
        });
      }
    }
  };
  await Promise.all(Array.from({ length: rotationsInFlight }, worker));
  const failed = items.filter((item) => item.status === 'failed').length;
  return { issuedBefore, items, remaining: due.length - batch.length + failed };
}

const installerBundleShape = z.object({
  thingName: z.string(),
  certificatePem: z.string(),
  privateKeyPem: z.string(),
  caCertificatePem: z.string(),
  endpoint: z.string(),
  deviceKey: z.string(),
});

export const fleetRotationResultSchema = z
  .object({
    issuedBefore: z.string(),
    items: z.array(
      z.object({
        lockId: z.string(),
        name: z.string(),
        propertyId: z.string(),
        status: z.enum(['rotated', 'failed', 'skipped']),
        keyVersion: z.int().optional(),
        installerBundle: installerBundleShape.optional().meta({ description: 'The new bundle, shown once' }),
        reason: z.string().optional(),
      }),
    ),
    remaining: z.int().meta({ description: 'Locks still due: call again with the same issuedBefore' }),
  })
  .meta({ id: 'FleetRotationResult' });
