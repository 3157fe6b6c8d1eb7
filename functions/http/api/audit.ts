/**
 * The audit log of the tenant, a property or a lock, newest first, narrowed by time, person and method; as JSON
 * pages, or as one CSV file (`format=csv` or `Accept: text/csv`) read page by page on the server.
 */

import type { HostRoutes } from '#functions/commons/host-api.ts';
import { cachedNames, exportAuditLog } from '#shared/audit/audit-export.ts';
import { readAuditLog } from '#shared/domain/operations/queries.ts';
import { json } from '#shared/http/middleware.ts';
import { type AuditListQuery, auditQuerySchema } from '#shared/http/parameters.ts';
import { parseQuery } from '#shared/http/request.ts';

const scopeOf = ({ propertyId, lockId }: AuditListQuery) =>
  propertyId !== undefined
    ? { kind: 'property' as const, propertyId }
    : lockId !== undefined
      ? { kind: 'lock' as const, lockId }
      : { kind: 'tenant' as const };

const wantsCsv = (query: AuditListQuery, accept: string | undefined) =>
  query.format === 'csv' || (query.format === undefined && /(^|,)\s*text\/csv\b/i.test(accept ?? ''));

/** The same query again from `cursor`: where a long CSV export goes on. */
function nextPart(
  event: { rawPath: string; queryStringParameters?: Record<string, string | undefined> },
  cursor: string,
) {
  const parameters = new URLSearchParams();
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value !== undefined && name !== 'cursor') parameters.set(name, value);
  }
  parameters.set('format', 'csv');
  parameters.set('cursor', cursor);
  return `<${event.rawPath}?${parameters}>; rel="next"`;
}

export const auditRoutes: HostRoutes = {
  'GET /audit': async ({ event, principal, ports }) => {
    const query = parseQuery(event, auditQuerySchema);
    const { from, to, userId, method, cursor, limit } = query;
    const scope = scopeOf(query);
    const filter = { from, to, userId, method };
    if (!wantsCsv(query, event.headers?.accept)) {
      return json(200, await readAuditLog({ ports, principal, scope, filter, page: { cursor, limit } }));
    }
    const { tenantId } = principal;
    const exported = await exportAuditLog({
      cursor,
      readPage: (page) => readAuditLog({ ports, principal, scope, filter, page }),
      names: cachedNames({
        property: async (propertyId) => ports.properties.get({ tenantId, propertyId }),
        lock: async (lockId) => (await ports.locks.get({ tenantId, lockId }))?.name,
        person: async (memberId) => (await ports.team.get({ tenantId, userId: memberId }))?.email,
      }),
    });
    const day = ports.clock.now().toISOString().slice(0, 10);
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="lockstay-audit-${day}.csv"`,
        'cache-control': 'no-store',
        ...(exported.nextCursor === undefined ? {} : { link: nextPart(event, exported.nextCursor) }),
      },
      body: exported.csv,
    };
  },
};
