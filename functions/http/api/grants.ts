/** Grants: reading them with their codes, issuing ad-hoc ones (delivery, turnover, emergency, permanent), revoking. */
import { z } from 'zod';
import type { HostRoutes } from '#functions/commons/host-api.ts';
import type { CodeWork } from '#shared/access/code-schedule.ts';
import { lockCodeChoices } from '#shared/access/guest-codes.ts';
import { isCurrentFor, type OfflineCodeReader } from '#shared/access/offline-code-issuance.ts';
import { withOfflineCodeWarnings } from '#shared/access/offline-code-warnings.ts';
import type { AccessCode } from '#shared/domain/access-code.ts';
import { actorOf } from '#shared/domain/audit.ts';
import { issueAdHocGrant, revokeGrant } from '#shared/domain/operations/grants.ts';
import { type GrantView, getGrant, listGrants, readStayTimeline } from '#shared/domain/operations/queries.ts';
import { json } from '#shared/http/middleware.ts';
import { grantListQuerySchema, grantPathSchema } from '#shared/http/parameters.ts';
import { parseJsonBody, parsePathParameters, parseQuery } from '#shared/http/request.ts';
import { logger } from '#shared/observability.ts';

export function grantRoutesWith({
  codeWork,
  offlineCodes,
}: {
  /** Schedules the pushes of the grant's codes after each committed change. */
  codeWork?: CodeWork | undefined;
  /** Where the grants' offline codes are kept; shown (with the code to use per lock) to those who see codes. */
  offlineCodes?: OfflineCodeReader | undefined;
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
      const view = await getGrant({ ports, principal, grantId });
      const { grant } = view;
      const timeline = await readStayTimeline({
        ports,
        principal,
        stay: {
          ...grant,
          grantId: grant.id,
          ...(grant.bookingId === undefined ? {} : { bookingId: grant.bookingId }),
        },
      });
      const withTimeline = timeline === undefined ? {} : { timeline };
      if (view.accessCodes === undefined || offlineCodes === undefined)
        return json(200, { ...view, ...withTimeline });
      return json(200, {
        ...(await withOfflineCodes({ view, accessCodes: view.accessCodes, offlineCodes })),
        ...withTimeline,
      });
    },

    'POST /grants/{grantId}/revoke': async ({ event, principal, ports }) => {
      const { grantId } = parsePathParameters(event, grantPathSchema);
      const input = event.body ? parseJsonBody(event, z.unknown()) : {};
      const { grant, accessCodes, changed } = await revokeGrant({ ports, principal, grantId, input });
      const work = async () => codeWork?.afterGrantChange({ grant, accessCodes });
      // Offline codes cannot be withdrawn from a lock: those that outlive the revocation are named.
      const warnings =
        offlineCodes === undefined
          ? await work().then(() => undefined)
          : await withOfflineCodeWarnings({
              ports: { ...ports, offlineCodes },
              grant,
              change: 'revoked',
              changed,
              actor: actorOf(principal),
              log: logger,
              followUp: work,
            });
      return json(200, { grant, accessCodes, ...warnings });
    },
  };
}

/** The grant view with its offline codes and the code the guest should use on each lock. */
async function withOfflineCodes({
  view,
  accessCodes,
  offlineCodes,
}: {
  view: GrantView;
  accessCodes: readonly AccessCode[];
  offlineCodes: OfflineCodeReader;
}) {
  const { grant } = view;
  const issued = await offlineCodes.listByGrant({ tenantId: grant.tenantId, grantId: grant.id });
  const current = new Map(
    issued.filter((code) => isCurrentFor({ code, grant })).map((code) => [code.lockId, code] as const),
  );
  return {
    ...view,
    offlineCodes: issued.map((code) => ({
      id: code.id,
      lockId: code.lockId,
      code: code.code,
      purpose: code.purpose,
      keyVersion: code.keyVersion,
      validFrom: code.validFrom,
      validUntil: code.validUntil,
      firstUseBefore: code.firstUseBefore,
      singleUse: code.singleUse === true,
      current: isCurrentFor({ code, grant }),
    })),
    guestCodes: lockCodeChoices({ grant, accessCodes, offlineCodes: current }),
  };
}

export const grantRoutes: HostRoutes = grantRoutesWith({});
