/**
 * The host API's functions share one shape: a function serves one resource area (properties, locks,
 * bookings...), and for each request it finds its route by API Gateway's `routeKey`, turns the verified token
 * into a principal (the stored team record decides role and properties, never the token), and hands the
 * route the principal, the domain ports and `createOnce` for Idempotency-Key. The shared middy stack maps
 * every domain error to problem+json.
 *
 * One function per area rather than per route: a dozen routes share their code and warm instances, so fewer
 * cold starts, while each area keeps its own IAM (the audit reader cannot write, only the team area reaches
 * Cognito's admin API, only locks reach IoT).
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { NotAuthenticatedError } from '#shared/domain/errors.ts';
import { activateTeamMember } from '#shared/domain/operations/team.ts';
import type { DomainPorts } from '#shared/domain/ports/domain-ports.ts';
import { type MemberPrincipal, memberPrincipal } from '#shared/domain/team.ts';
import { callerOf } from '#shared/http/caller.ts';
import { type HttpResult, httpHandler } from '#shared/http/middleware.ts';
import { createOnce, type IdempotencyStores } from './idempotency.ts';

export interface HostServices {
  readonly ports: DomainPorts;
  readonly idempotency: IdempotencyStores;
}

export interface HostRequest {
  readonly event: APIGatewayProxyEventV2WithJWTAuthorizer;
  readonly principal: MemberPrincipal;
  readonly ports: DomainPorts;
  /** Runs `create` at most once per Idempotency-Key of this tenant and route (see idempotency.ts). */
  createOnce(create: () => Promise<HttpResult>): Promise<HttpResult>;
}

export type HostRoute = (request: HostRequest) => Promise<HttpResult>;

/** Routes by `routeKey` as the route table spells it: `GET /properties/{propertyId}`. */
export type HostRoutes = Readonly<Record<string, HostRoute>>;

/**
 * The principal behind the verified token. An invited member who reaches the API has signed in with their
 * password and TOTP (the pool demands MFA, and the local gateway checks enrolment), which is what activation
 * waits for: their first request activates them.
 */
export async function principalOf({
  ports,
  event,
}: {
  ports: Pick<DomainPorts, 'clock' | 'ids' | 'team' | 'changes'>;
  event: APIGatewayProxyEventV2WithJWTAuthorizer;
}): Promise<MemberPrincipal> {
  const { tenantId, userId } = callerOf(event);
  let member = await ports.team.get({ tenantId, userId });
  if (member?.status === 'invited') ({ member } = await activateTeamMember({ ports, tenantId, userId }));
  const principal = memberPrincipal({ tenantId, userId, member });
  if (!principal) throw new NotAuthenticatedError('Not an active member of this business');
  return principal;
}

export function hostApiHandler({ routes, services }: { routes: HostRoutes; services: HostServices }) {
  const { ports, idempotency } = services;
  return httpHandler<APIGatewayProxyEventV2WithJWTAuthorizer>(async (event, context: Context) => {
    const route = routes[event.routeKey];
    // The route table sent a route here that this function does not serve: a deployment mistake, not the caller's.
    if (!route) throw new Error(`No handler for ${event.routeKey}`);
    const principal = await principalOf({ ports, event });
    return route({
      event,
      principal,
      ports,
      createOnce: (create) =>
        createOnce({ event, context, tenantId: principal.tenantId, stores: idempotency, create }),
    });
  });
}
