/**
 * The guest API: public routes a guest's page calls with the link's token. GETs only read. Every refusal is
 * answered as problem+json without an `instance`, since the path holds the token, and nothing here logs the
 * path; the source IP and a prefix of the token's hash are all the rate limit keeps.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { DomainError, TooManyRequestsError } from '#shared/domain/errors.ts';
import { type GuestStayPorts, readGuestStay } from '#shared/guests/guest-stay.ts';
import { type LookupLimiter, lookupKeyOf } from '#shared/guests/lookup-limit.ts';
import { type HttpResult, json, problemResponse } from '#shared/http/middleware.ts';
import { problemFromDomainError } from '#shared/http/problem.ts';

export const guestStayPathSchema = z.object({
  token: z.string().describe('The guest link token, as the page reads it from its URL fragment'),
});

export interface GuestApiServices {
  readonly ports: GuestStayPorts;
  readonly limiter: LookupLimiter;
  readonly now: () => Date;
}

export type GuestRoute = (request: {
  event: APIGatewayProxyEventV2;
  services: GuestApiServices;
}) => Promise<HttpResult>;

/** Headers of every guest answer: never cached, never referred on. */
export const guestHeaders = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } as const;

async function admitted({ event, services }: { event: APIGatewayProxyEventV2; services: GuestApiServices }) {
  const token = event.pathParameters?.token ?? '';
  const sourceIp = event.requestContext?.http?.sourceIp ?? 'unknown';
  const allowance = await services.limiter.take({
    key: lookupKeyOf({ sourceIp, token }),
    now: services.now(),
  });
  if (!allowance.allowed) {
    throw new TooManyRequestsError(
      `Too many attempts from here; try again in ${allowance.retryAfterSeconds} seconds`,
      allowance.retryAfterSeconds,
    );
  }
  return token;
}

export const guestRoutes: Readonly<Record<string, GuestRoute>> = {
  'GET /guest/stays/{token}': async ({ event, services }) => {
    const token = await admitted({ event, services });
    return json(
      200,
      await readGuestStay({ ports: services.ports, token, now: services.now() }),
      guestHeaders,
    );
  },
};

/** Answers a guest request by its route key; domain errors become problem+json with the friendly text. */
export async function answerGuest({
  event,
  services,
  routes = guestRoutes,
}: {
  event: APIGatewayProxyEventV2;
  services: GuestApiServices;
  routes?: Readonly<Record<string, GuestRoute>>;
}): Promise<HttpResult> {
  const route = routes[event.routeKey];
  if (!route) throw new Error(`No guest handler for ${event.routeKey}`);
  try {
    return await route({ event, services });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const answer = problemResponse(problemFromDomainError(error));
    return { ...answer, headers: { ...answer.headers, ...guestHeaders } };
  }
}
