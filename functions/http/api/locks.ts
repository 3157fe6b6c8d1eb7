/**
 * Locks: registering one provisions its IoT identity and device key and answers the installer bundle once;
 * rotating its credentials answers a new bundle, for one lock or (owners) a whole business or property at once.
 * Reading locks shows each with its reported condition. The bundle is never part of what Idempotency-Key stores: a
 * repeated registration answers the lock with `installerBundle: null`.
 */
import { z } from 'zod';
import type { HostRoutes } from '#functions/commons/host-api.ts';
import { rotateFleetCredentials } from '#shared/access/credential-rotation.ts';
import { type HostLockView, viewOfCondition, withConditions } from '#shared/access/lock-condition.ts';
import type { LockConditionStore } from '#shared/access/ports.ts';
import { mayUnlockRemotelyNow } from '#shared/domain/access-policy.ts';
import type { Grant } from '#shared/domain/grant.ts';
import { toIsoInstant } from '#shared/domain/local-time.ts';
import type { Lock } from '#shared/domain/lock.ts';
import { registerLock, rotateLockCredentials } from '#shared/domain/operations/locks.ts';
import { getLock, listLocks } from '#shared/domain/operations/queries.ts';
import type { InstallerBundle } from '#shared/domain/ports/device-provisioner.ts';
import type { DomainPorts } from '#shared/domain/ports/domain-ports.ts';
import type { Principal } from '#shared/domain/team.ts';
import { json } from '#shared/http/middleware.ts';
import { lockListQuerySchema, lockPathSchema } from '#shared/http/parameters.ts';
import { parseJsonBody, parsePathParameters, parseQuery } from '#shared/http/request.ts';

const noStore = { 'cache-control': 'no-store' };

/**
 * Adds to each lock whether the caller may open it remotely now, judged as an unlock request would be: a cleaner's
 * answer depends on the grants of their own active now, read once per property.
 */
async function withUnlockRight<T extends Lock>({
  ports,
  principal,
  locks,
}: {
  ports: DomainPorts;
  principal: Principal;
  locks: readonly T[];
}): Promise<(T & { mayUnlock: boolean })[]> {
  const now = ports.clock.now();
  const needsGrants = principal.kind === 'member' && principal.role === 'staff';
  const grantsByProperty = new Map<string, Promise<readonly Grant[]>>();
  const grantsOf = (lock: Lock): Promise<readonly Grant[]> => {
    if (!needsGrants) return Promise.resolve([]);
    let grants = grantsByProperty.get(lock.propertyId);
    if (!grants) {
      grants = ports.grants.listLiveByProperty({
        tenantId: lock.tenantId,
        propertyId: lock.propertyId,
        at: toIsoInstant(now.getTime()),
      });
      grantsByProperty.set(lock.propertyId, grants);
    }
    return grants;
  };
  return Promise.all(
    locks.map(async (lock) => ({
      ...lock,
      mayUnlock: mayUnlockRemotelyNow({ principal, lock, grantsOnLock: await grantsOf(lock), now }),
    })),
  );
}

export interface LockServices {
  /** The locks' reported condition, as device events record it. */
  readonly conditions: Pick<LockConditionStore, 'get'>;
}

export const lockRoutes = ({ services }: { services: () => LockServices }): HostRoutes => ({
  'GET /locks': async ({ event, principal, ports }) => {
    const { propertyId } = parseQuery(event, lockListQuerySchema);
    const locks = await listLocks({ ports, principal, propertyId });
    const { conditions } = services();
    const views = await withConditions({ conditions, locks, now: ports.clock.now() });
    const items: HostLockView[] = await withUnlockRight({ ports, principal, locks: views });
    return json(200, { items });
  },

  'POST /locks': async ({ event, principal, ports, createOnce }) => {
    const input = parseJsonBody(event, z.unknown());
    let installerBundle: InstallerBundle | undefined;
    const result = await createOnce(async () => {
      const registered = await registerLock({ ports, principal, input });
      installerBundle = registered.installerBundle;
      const { extendedGrantIds, failedGrantIds, complete } = registered.grantSync;
      return json(
        201,
        {
          lock: registered.lock,
          installerBundle: null,
          grantSync: { extendedGrantIds, failedGrantIds, complete },
        },
        { location: `/locks/${registered.lock.id}` },
      );
    });
    // Only the request that registered the lock sees its secrets; a replay answers from the stored copy.
    if (installerBundle === undefined) return result;
    const body = JSON.parse(String(result.body)) as Record<string, unknown>;
    return {
      ...result,
      headers: { ...result.headers, ...noStore },
      body: JSON.stringify({ ...body, installerBundle }),
    };
  },

  'GET /locks/{lockId}': async ({ event, principal, ports }) => {
    const { lockId } = parsePathParameters(event, lockPathSchema);
    const lock = await getLock({ ports, principal, lockId });
    const condition = await services().conditions.get({ tenantId: lock.tenantId, lockId: lock.id });
    const [view] = await withUnlockRight({
      ports,
      principal,
      locks: [{ ...lock, condition: viewOfCondition({ condition, now: ports.clock.now() }) }],
    });
    return json(200, view);
  },

  'POST /locks/{lockId}/rotate-credentials': async ({ event, principal, ports }) => {
    const { lockId } = parsePathParameters(event, lockPathSchema);
    const { lock, installerBundle } = await rotateLockCredentials({ ports, principal, lockId });
    return json(200, { lock, installerBundle }, noStore);
  },

  'POST /credential-rotations': async ({ event, principal, ports }) => {
    const input = event.body ? parseJsonBody(event, z.unknown()) : {};
    return json(200, await rotateFleetCredentials({ ports, principal, input }), noStore);
  },
});
