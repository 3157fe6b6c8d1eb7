/** Grants: reading them with their codes, issuing ad-hoc ones (delivery, turnover, emergency, permanent), revoking. */
import { z } from 'zod';
import type { HostRoutes } from '#functions/commons/host-api.ts';
import type { CodeWork } from '#shared/access/code-schedule.ts';
import { issueAdHocGrant, revokeGrant } from '#shared/domain/operations/grants.ts';
import { getGrant, listGrants } from '#shared/domain/operations/queries.ts';
import { json } from '#shared/http/middleware.ts';
import { grantListQuerySchema, grantPathSchema } from '#shared/http/parameters.ts';
import { parseJsonBody, parsePathParameters, parseQuery } from '#shared/http/request.ts';

export function grantRoutesWith({
  codeWork,
}: {
  /** Schedules the pushes of the grant's codes after each committed change. */
  codeWork?: CodeWork | undefined;
}): HostRoutes {
  return {
    'GET /grants': async ({ event, principal, ports }) => {
      const { propertyId, cursor, limit } = parseQuery(event, grantListQuerySchema);
      return json(200, await listGrants({ ports, principal, propertyId, page: { cursor, limit } }));
    },

    'POST /grants': async ({ event, principal, ports, createOnce }) => {
      const input = parseJsonBody(event, z.unknown());
      return createOnce(async () => {
        const { grant, accessCodes, ownersNotified } = await issueAdHocGrant({ ports, principal, input });
        await codeWork?.afterGrantChange({ grant, accessCodes });
        return json(201, { grant, accessCodes, ownersNotified }, { location: `/grants/${grant.id}` });
      });
    },

    'GET /grants/{grantId}': async ({ event, principal, ports }) => {
      const { grantId } = parsePathParameters(event, grantPathSchema);
      return json(200, await getGrant({ ports, principal, grantId }));
    },

    'POST /grants/{grantId}/revoke': async ({ event, principal, ports }) => {
      const { grantId } = parsePathParameters(event, grantPathSchema);
      const input = event.body ? parseJsonBody(event, z.unknown()) : {};
      const { grant, accessCodes } = await revokeGrant({ ports, principal, grantId, input });
      await codeWork?.afterGrantChange({ grant, accessCodes });
      return json(200, { grant, accessCodes });
    },
  };
}

export const grantRoutes: HostRoutes = grantRoutesWith({});
