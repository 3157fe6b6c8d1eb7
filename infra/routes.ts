/**
 * The HTTP API's route table. The CDK stack adds exactly these routes to the HTTP API and the local gateway
 * serves exactly these, so a route cannot exist in one and not the other.
 */
import type { FunctionName } from './functions.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** `public`: anyone; `host`: a signed-in host whose token the JWT authorizer verified. */
export type RouteAuth = 'public' | 'host';

export interface RouteDefinition {
  readonly method: HttpMethod;
  /** API Gateway path syntax: `/locks/{lockId}`, `/static/{proxy+}`. */
  readonly path: string;
  readonly function: FunctionName;
  readonly auth: RouteAuth;
}

export const routes = [
  { method: 'GET', path: '/health', function: 'health', auth: 'public' },
  { method: 'GET', path: '/me', function: 'whoAmI', auth: 'host' },
] as const satisfies readonly RouteDefinition[];

/** `GET /locks/{lockId}` as API Gateway names it in `routeKey`. */
export const routeKey = (route: Pick<RouteDefinition, 'method' | 'path'>): string =>
  `${route.method} ${route.path}`;
