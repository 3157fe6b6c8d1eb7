/**
 * Codes onto locks: brings a lock's `access-codes` shadow in line with the codes the cloud holds for it.
 *
 * Only codes that are live or start within the property's push lead time go to the lock, as keyed hashes with
 * their windows (never a PIN), so the document stays under its limit; removals go first. A code that does not
 * fit (the lock's capacity, or the shadow's size) is marked `failed` with an audit event and the owners are
 * alerted: nothing is dropped silently. A code whose window is over is taken off. Bluetooth locks get nothing
 * pushed: they verify offline codes.
 *
 * Statuses move in the table first, then the shadow is written: should the write fail, the codes are `setting`
 * or `removing` already and the next push sends them again (a desired entry that matches is not rewritten).
 * Pushes to one lock may run side by side (several bookings changing its codes at once): the one whose commit
 * finds a code changed meanwhile reads the lock's codes again and works from what the other did, a few times
 * at most, before failing for its task's retry.
 */

import {
  type AccessCodesDesired,
  type AccessCodesReported,
  accessCodesDesiredSchema,
  accessCodesDesiredUpdate,
  accessCodesReportedSchema,
  type CodePut,
  codePut,
  type DesiredAccessCode,
  fitsAccessCodesShadow,
  orderCodeChanges,
} from '#shared/devices/codes.ts';
import { epochSecondsOf, lockShadows } from '#shared/devices/contract.ts';
import type { DeviceKey } from '#shared/devices/device-key.ts';
import { type AccessCode, moveAccessCode, withdrawAccessCode } from '#shared/domain/access-code.ts';
import { type AuditTrail, auditTrail } from '#shared/domain/audit.ts';
import { newEntityId, revise } from '#shared/domain/entity.ts';
import { addHours, type IsoInstant, instantOf, isBefore } from '#shared/domain/local-time.ts';
import { acceptsPushedCodes, type Lock } from '#shared/domain/lock.ts';
import type { EntityWrite } from '#shared/domain/ports/change-set.ts';
import type { DomainPorts } from '#shared/domain/ports/domain-ports.ts';
import { signingKeyVersion } from './credential-rotation.ts';
import { alertOwners } from './lock-alerts.ts';
import type { DeviceKeys, IotShadowGateway, LockConditionStore } from './ports.ts';

export type CodeSyncPorts = Pick<
  DomainPorts,
  'clock' | 'ids' | 'locks' | 'properties' | 'accessCodes' | 'changes' | 'notifier' | 'team'
> & {
  readonly shadows: IotShadowGateway;
  readonly deviceKeys: DeviceKeys;
  /** The key versions the lock reports holding: codes are hashed with one it holds (after a rotation, too). */
  readonly conditions?: Pick<LockConditionStore, 'get'>;
};

export interface CodeSyncResult {
  readonly pushed: readonly string[];
  readonly removed: readonly string[];
  readonly failed: readonly string[];
  readonly skipped?: 'lock-not-found' | 'bluetooth';
}

const syncActor = { kind: 'system', process: 'code-sync' } as const;

export async function listAllLiveCodes({
  ports,
  tenantId,
  lockId,
}: {
  ports: Pick<DomainPorts, 'accessCodes'>;
  tenantId: string;
  lockId: string;
}): Promise<AccessCode[]> {
  const codes: AccessCode[] = [];
  let cursor: string | undefined;
  do {
    const page = await ports.accessCodes.listLiveByLock({
      tenantId,
      lockId,
      page: { limit: 100, ...(cursor === undefined ? {} : { cursor }) },
    });
    codes.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return codes;
}

/** The desired and reported sections of an `access-codes` shadow, when they follow the contract. */
export async function readAccessCodesShadow({
  shadows,
  thingName,
}: {
  shadows: IotShadowGateway;
  thingName: string;
}): Promise<{ desired: AccessCodesDesired | undefined; reported: AccessCodesReported | undefined }> {
  const shadow = await shadows.getShadow({ thingName, shadowName: lockShadows.accessCodes });
  const desired = accessCodesDesiredSchema.safeParse(shadow?.state.desired ?? {});
  const reported = accessCodesReportedSchema.safeParse(shadow?.state.reported ?? {});
  return {
    desired: desired.success ? desired.data : undefined,
    reported: reported.success ? reported.data : undefined,
  };
}

const sameEntry = (a: DesiredAccessCode | undefined, b: DesiredAccessCode) =>
  a !== undefined && JSON.stringify(a) === JSON.stringify(b);

/** Attempts of one push when its commit meets another change to the lock's codes. */
export const maxPushAttempts = 4;

export async function pushCodesToLock(options: {
  ports: CodeSyncPorts;
  tenantId: string;
  lockId: string;
}): Promise<CodeSyncResult> {
  for (let attempt = 1; ; attempt += 1) {
    const pushed = await pushOnce(options);
    if (pushed.kind === 'pushed') return pushed.result;
    if (pushed.conflict !== 'stale' || attempt >= maxPushAttempts) {
      throw new Error(`Codes of lock ${options.lockId} changed while pushing: ${pushed.conflict}`);
    }
    // Full jitter, so that two pushes that met rarely meet again.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));
  }
}

async function pushOnce({
  ports,
  tenantId,
  lockId,
}: {
  ports: CodeSyncPorts;
  tenantId: string;
  lockId: string;
}): Promise<
  | { readonly kind: 'pushed'; readonly result: CodeSyncResult }
  | { readonly kind: 'conflict'; readonly conflict: string }
> {
  const skipped = (reason: CodeSyncResult['skipped']) =>
    ({ kind: 'pushed', result: { pushed: [], removed: [], failed: [], skipped: reason } }) as const;
  const lock = await ports.locks.get({ tenantId, lockId });
  if (lock === undefined) return skipped('lock-not-found');
  if (!acceptsPushedCodes(lock)) return skipped('bluetooth');
  const property = await ports.properties.get({ tenantId, propertyId: lock.propertyId });
  const leadHours = property?.codePushLeadHours ?? 48;
  const now = ports.clock.now();
  const at = instantOf(now);
  const horizon = addHours(at, leadHours);
  const audit = auditTrail({
    tenantId,
    actor: syncActor,
    at,
    newId: () => newEntityId({ ids: ports.ids, kind: 'auditEvent' }),
  });

  const codes = await listAllLiveCodes({ ports, tenantId, lockId });
  const ended = (code: AccessCode) => code.window.endsAt !== null && !isBefore(at, code.window.endsAt);
  const due = (code: AccessCode) => !isBefore(horizon, code.window.startsAt);

  // Each code in the status it goes to, and the change (if any) its lock must make.
  const next = new Map<string, AccessCode>();
  for (const code of codes) {
    let moved = code;
    if (ended(code) && code.status !== 'removing') moved = withdrawAccessCode({ code, at });
    else if (code.status === 'scheduled' && due(code))
      moved = moveAccessCode({ code, move: { to: 'setting' }, at });
    if (moved !== code) next.set(code.id, moved);
  }
  const current = codes.map((code) => next.get(code.id) ?? code);
  const keyVersion = signingKeyVersion({
    lock,
    condition: await ports.conditions?.get({ tenantId, lockId }),
  });
  const key = current.some((code) => code.status === 'setting')
    ? await ports.deviceKeys.load({ tenantId, lockId, keyVersion })
    : undefined;
  const wanted: Record<string, DesiredAccessCode> = {};
  for (const code of current) {
    if (code.status === 'removing') wanted[code.id] = { v: code.version, op: 'remove' };
    if (code.status === 'setting') {
      if (key === undefined) throw new Error(`No device key v${keyVersion} for lock ${lockId}`);
      wanted[code.id] = putOf({ code, lock, key });
    }
  }

  const shadow = await readAccessCodesShadow({ shadows: ports.shadows, thingName: lock.thingName });
  const desiredNow = shadow.desired?.codes ?? {};
  const reported = shadow.reported;

  // Removals first, then puts soonest first: what does not fit is the later codes.
  const accepted: Record<string, DesiredAccessCode> = {};
  const put: { codeId: string; entry: CodePut }[] = [];
  const remove: { codeId: string; revision: number }[] = [];
  const failed: AccessCode[] = [];
  const byId = new Map(codes.map((code) => [code.id, code]));
  let onLock = current.filter((code) => code.status === 'set').length;
  for (const { codeId, entry } of orderCodeChanges(wanted)) {
    const original = byId.get(codeId);
    if (original === undefined) continue;
    if (entry.op === 'remove') {
      accepted[codeId] = entry;
      if (!sameEntry(desiredNow[codeId], entry)) remove.push({ codeId, revision: entry.v });
      continue;
    }
    const fitsCapacity = onLock < lock.codeConstraints.capacity;
    const fitsShadow = fitsAccessCodesShadow({
      desired: { codes: { ...accepted, [codeId]: entry } },
      reported,
    });
    if (!fitsCapacity || !fitsShadow) {
      failed.push(failCode({ code: original, at, capacity: !fitsCapacity }));
      next.delete(codeId);
      continue;
    }
    onLock += 1;
    accepted[codeId] = entry;
    if (!sameEntry(desiredNow[codeId], entry)) put.push({ codeId, entry });
  }
  // Desired entries the cloud no longer recognises (codes removed or gone) are cleared.
  const clear = Object.keys(desiredNow).filter((codeId) => !(codeId in accepted));

  const writes: EntityWrite[] = [
    ...[...next.values()].map((value): EntityWrite => ({ entity: 'accessCode', op: 'update', value })),
    ...failed.map((value): EntityWrite => ({ entity: 'accessCode', op: 'update', value })),
  ];
  recordAudit({ audit, lock, next: [...next.values()], failed });
  if (writes.length > 0) {
    const outcome = await ports.changes.commit({ writes, auditEvents: audit.events });
    if (!outcome.ok) return { kind: 'conflict', conflict: outcome.conflict.kind };
  }
  if (put.length > 0 || remove.length > 0 || clear.length > 0) {
    await ports.shadows.updateShadow({
      thingName: lock.thingName,
      shadowName: lockShadows.accessCodes,
      document: accessCodesDesiredUpdate({ put, remove, clear: clear }),
    });
  }
  if (failed.length > 0) {
    await alertOwners({
      ports,
      lock,
      alert: 'lock-full',
      details: { codes: failed.length, capacity: lock.codeConstraints.capacity },
    });
  }
  return {
    kind: 'pushed',
    result: {
      pushed: put.map(({ codeId }) => codeId),
      removed: remove.map(({ codeId }) => codeId),
      failed: failed.map(({ id }) => id),
    },
  };
}

/**
 * Once a rotation is retired, the codes on the lock are hashed with a key version the cloud no longer holds and
 * the lock may drop: each code on (or on its way to) the lock is sent again as a new revision, hashed with the
 * key the lock now reports holding, so a guest's PIN keeps opening the door across the rotation. The lock
 * replaces each code under its id (a single-use code already used stays used).
 */
export async function rehashCodesOnLock({
  ports,
  lock,
}: {
  ports: CodeSyncPorts;
  lock: Lock;
}): Promise<CodeSyncResult & { readonly rehashed: readonly string[] }> {
  if (!acceptsPushedCodes(lock))
    return { pushed: [], removed: [], failed: [], rehashed: [], skipped: 'bluetooth' };
  const { tenantId } = lock;
  const at = instantOf(ports.clock.now());
  const codes = await listAllLiveCodes({ ports, tenantId, lockId: lock.id });
  const again = codes
    .filter((code) => code.status === 'set' || code.status === 'setting')
    .map((code) =>
      code.status === 'set' ? moveAccessCode({ code, move: { to: 'setting' }, at }) : revise(code, {}, at),
    );
  if (again.length > 0) {
    const audit = auditTrail({
      tenantId,
      actor: syncActor,
      at,
      newId: () => newEntityId({ ids: ports.ids, kind: 'auditEvent' }),
    });
    for (const code of again) {
      audit.record({
        action: 'access-code.rehashed-for-new-key',
        target: { kind: 'access-code', id: code.id },
        propertyId: lock.propertyId,
        lockId: lock.id,
        details: { grantId: code.grantId, keyVersion: lock.credentials.keyVersion, revision: code.version },
      });
    }
    const outcome = await ports.changes.commit({
      writes: again.map((value): EntityWrite => ({ entity: 'accessCode', op: 'update', value })),
      auditEvents: audit.events,
    });
    if (!outcome.ok)
      throw new Error(`Codes of lock ${lock.id} changed while rehashing: ${outcome.conflict.kind}`);
  }
  const pushed = await pushCodesToLock({ ports, tenantId, lockId: lock.id });
  return { ...pushed, rehashed: again.map(({ id }) => id) };
}

function putOf({ code, lock, key }: { code: AccessCode; lock: Lock; key: DeviceKey }): CodePut {
  return codePut({
    key,
    thingName: lock.thingName,
    pin: code.pin,
    revision: code.version,
    from: epochSecondsOf(code.window.startsAt),
    to: code.window.endsAt === null ? undefined : epochSecondsOf(code.window.endsAt),
    once: code.singleUse,
  });
}

/** A code that does not fit its lock: `failed`, in one revision from whatever status it had. */
function failCode({
  code,
  at,
  capacity,
}: {
  code: AccessCode;
  at: IsoInstant;
  capacity: boolean;
}): AccessCode {
  const setting = code.status === 'scheduled' ? moveAccessCode({ code, move: { to: 'setting' }, at }) : code;
  const failed = moveAccessCode({
    code: setting,
    move: {
      to: 'failed',
      reason: capacity ? 'lock-full' : 'too-many-codes-for-shadow',
      detail: capacity ? 'The lock holds as many codes as it can' : 'The shadow document would exceed 8 KB',
    },
    at,
  });
  return { ...failed, version: code.version + 1 };
}

function recordAudit({
  audit,
  lock,
  next,
  failed,
}: {
  audit: AuditTrail;
  lock: Lock;
  next: readonly AccessCode[];
  failed: readonly AccessCode[];
}): void {
  const base = { propertyId: lock.propertyId, lockId: lock.id };
  for (const code of next) {
    audit.record({
      ...base,
      action: code.status === 'setting' ? 'access-code.sent-to-lock' : 'access-code.withdrawn-after-window',
      target: { kind: 'access-code', id: code.id },
      details: { grantId: code.grantId, status: code.status },
    });
  }
  for (const code of failed) {
    audit.record({
      ...base,
      action: 'access-code.did-not-fit-lock',
      target: { kind: 'access-code', id: code.id },
      details: { grantId: code.grantId, reason: code.failure?.reason ?? 'lock-full' },
    });
  }
}
