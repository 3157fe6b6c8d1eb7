/**
 * The HTTP API's route table. The CDK stack adds exactly these routes to the HTTP API, the local gateway serves
 * exactly these, and the OpenAPI document at `/openapi.json` is generated from them, so a route cannot exist in
 * one and not the others. Each route documents its inputs and answers with the zod schemas its handler parses
 * and returns.
 */
import type { ZodType } from 'zod';
import { healthReportSchema } from '#shared/health.ts';
import { callerSchema } from '#shared/http/caller.ts';
import type { FunctionName } from './functions.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** `public`: anyone; `host`: a signed-in host whose token the JWT authorizer verified. */
export type RouteAuth = 'public' | 'host';

export interface RouteResponse {
  readonly description: string;
  /** JSON body; absent for an empty answer. */
  readonly body?: ZodType;
}

export interface RouteDocs {
  readonly summary: string;
  readonly tag: string;
  readonly path?: ZodType;
  readonly query?: ZodType;
  readonly body?: ZodType;
  /** The answers a caller should expect besides the problems every route may answer. */
  readonly responses: Readonly<Record<number, RouteResponse>>;
}

export interface RouteDefinition {
  readonly method: HttpMethod;
  /** API Gateway path syntax: `/locks/{lockId}`, `/static/{proxy+}`. */
  readonly path: string;
  readonly function: FunctionName;
  readonly auth: RouteAuth;
  readonly docs: RouteDocs;
}

export const routes: readonly RouteDefinition[] = [
  {
    method: 'GET',
    path: '/health',
    function: 'health',
    auth: 'public',
    docs: {
      summary: 'Whether each service the platform depends on answers',
      tag: 'Operations',
      responses: {
        200: { description: 'Every service is up', body: healthReportSchema },
        503: { description: 'At least one service is down', body: healthReportSchema },
      },
    },
  },
  {
    method: 'GET',
    path: '/openapi.json',
    function: 'openApi',
    auth: 'public',
    docs: {
      summary: 'This document',
      tag: 'Operations',
      responses: { 200: { description: 'The OpenAPI 3.1 document of the API' } },
    },
  },
  {
    method: 'GET',
    path: '/me',
    function: 'whoAmI',
    auth: 'host',
    docs: {
      summary: 'The signed-in host, their tenant and role',
      tag: 'Team',
      responses: { 200: { description: 'The caller', body: callerSchema } },
    },
  },
];

/** `GET /locks/{lockId}` as API Gateway names it in `routeKey`. */
export const routeKey = (route: Pick<RouteDefinition, 'method' | 'path'>): string =>
  `${route.method} ${route.path}`;
