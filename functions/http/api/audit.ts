/** The audit log of the tenant, a property or a lock, newest first. */

import type { HostRoutes } from '#functions/commons/host-api.ts';
import { readAuditLog } from '#shared/domain/operations/queries.ts';
import { json } from '#shared/http/middleware.ts';
import { auditQuerySchema } from '#shared/http/parameters.ts';
import { parseQuery } from '#shared/http/request.ts';

export const auditRoutes: HostRoutes = {
  'GET /audit': async ({ event, principal, ports }) => {
    const { propertyId, lockId, cursor, limit } = parseQuery(event, auditQuerySchema);
    const scope =
      propertyId !== undefined
        ? { kind: 'property' as const, propertyId }
        : lockId !== undefined
          ? { kind: 'lock' as const, lockId }
          : { kind: 'tenant' as const };
    return json(200, await readAuditLog({ ports, principal, scope, page: { cursor, limit } }));
  },
};
