/**
 * The guest API: public routes a guest's page calls with the link's token. GETs only read; the one action,
 * POST .../unlock, is taken only from our own page (its Origin) with a JSON body, which a mail scanner following
 * links or another site's form never sends. Every refusal is
 * answered as problem+json without an `instance`, since the path holds the token, and nothing here logs the
 * path; the caller's address (the viewer's, behind CloudFront: see viewer-address.ts) and a prefix of the
 * token's hash are all the rate limit keeps.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import {
  commandPathSchema,
  commandWaitQuerySchema,
  getGrantHolderUnlockCommand,
  requestUnlock,
  type UnlockCommandPorts,
  viewOfCommand,
} from '#shared/access/unlock-commands.ts';
import { DomainError, NotPermittedError, TooManyRequestsError } from '#shared/domain/errors.ts';
import type { Grant } from '#shared/domain/grant.ts';
import { type GuestStayPorts, honouredGuestLink, readGuestStay } from '#shared/guests/guest-stay.ts';
import { type LookupLimiter, lookupKeyOf } from '#shared/guests/lookup-limit.ts';
import {
  checkPhoneDigits,
  guestStayUnlockRequestSchema,
  phoneCheckPolicy,
} from '#shared/guests/phone-check.ts';
import { type HttpResult, json, problemResponse } from '#shared/http/middleware.ts';
import { problemFromDomainError } from '#shared/http/problem.ts';
import { parseJsonBody, parsePathParameters, parseQuery } from '#shared/http/request.ts';
import { viewerAddressOf } from '#shared/http/viewer-address.ts';

export const guestStayPathSchema = z.object({
  token: z.string().describe('The guest link token, as the page reads it from its URL fragment'),
});

export interface GuestApiServices {
  readonly ports: GuestStayPorts;
  readonly limiter: LookupLimiter;
  readonly now: () => Date;
  /** Remote unlock's ports; without them the unlock routes are not served. */
  readonly unlock?: UnlockCommandPorts | undefined;
  /** Origins besides the API's own that serve the guest page (a separate web host), e.g. `https://stay.example`. */
  readonly pageOrigins?: readonly string[] | undefined;
  /** The secret header value CloudFront sends with each request it passes on; unset, the source IP counts. */
  readonly edgeSecret?: string | undefined;
}

export type GuestRoute = (request: {
  event: APIGatewayProxyEventV2;
  services: GuestApiServices;
}) => Promise<HttpResult>;

/** Headers of every guest answer: never cached, never referred on. */
export const guestHeaders = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } as const;

/** Who the rate limit counts this request against: the viewer behind CloudFront, else the source address. */
const callerAddress = ({ event, services }: { event: APIGatewayProxyEventV2; services: GuestApiServices }) =>
  viewerAddressOf({
    headers: event.headers,
    sourceIp: event.requestContext?.http?.sourceIp,
    edgeSecret: services.edgeSecret,
  });

async function admitted({ event, services }: { event: APIGatewayProxyEventV2; services: GuestApiServices }) {
  const token = event.pathParameters?.token ?? '';
  const allowance = await services.limiter.take({
    key: lookupKeyOf({ sourceIp: callerAddress({ event, services }), token }),
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

/**
 * CSRF protection of the guest's one action: browsers always send Origin on a cross-site or fetch POST, and
 * only our own page's origin (the API's own host, or a configured page origin) is accepted.
 */
function requireOwnOrigin({
  event,
  services,
}: {
  event: APIGatewayProxyEventV2;
  services: GuestApiServices;
}) {
  const origin = event.headers?.origin;
  const refusal = new NotPermittedError('Unlock can only be asked for from the stay page');
  if (origin === undefined || origin === '' || origin === 'null') throw refusal;
  let sent: URL;
  try {
    sent = new URL(origin);
  } catch {
    throw refusal;
  }
  const ownHost = event.headers?.host ?? event.requestContext?.domainName;
  const ownOrigin =
    (sent.protocol === 'https:' || sent.protocol === 'http:') &&
    sent.host === ownHost &&
    origin === sent.origin;
  if (!ownOrigin && !(services.pageOrigins ?? []).includes(origin)) throw refusal;
}

/**
 * The property's second factor, where it asks for one: the last digits of the booking's phone. A wrong answer
 * costs the source a good part of its lookup limit, so that guessing soon meets 429.
 */
async function confirmPhone({
  event,
  services,
  grant,
  token,
  given,
}: {
  event: APIGatewayProxyEventV2;
  services: GuestApiServices;
  grant: Grant;
  token: string;
  given: string | undefined;
}) {
  const { tenantId } = grant;
  const [property, booking] = await Promise.all([
    services.ports.properties.get({ tenantId, propertyId: grant.propertyId }),
    grant.bookingId ? services.ports.bookings.get({ tenantId, bookingId: grant.bookingId }) : undefined,
  ]);
  if (!property) return;
  const check = checkPhoneDigits({ property, booking, given });
  if (check.confirmed) return;
  if (given !== undefined) {
    await services.limiter.take({
      key: lookupKeyOf({ sourceIp: callerAddress({ event, services }), token }),
      now: services.now(),
      weight: phoneCheckPolicy.lookupsPerWrongAnswer - 1,
    });
  }
  throw check.error;
}

function unlockPortsOf(services: GuestApiServices): UnlockCommandPorts {
  if (services.unlock === undefined) throw new Error('The guest API was started without remote unlock ports');
  return services.unlock;
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
  'POST /guest/stays/{token}/unlock': async ({ event, services }) => {
    requireOwnOrigin({ event, services });
    const { lockId, phoneDigits } = parseJsonBody(event, guestStayUnlockRequestSchema);
    const token = await admitted({ event, services });
    const ports = unlockPortsOf(services);
    const { grant } = await honouredGuestLink({ ports: services.ports, token, now: services.now() });
    await confirmPhone({ event, services, grant, token, given: phoneDigits });
    const { command } = await requestUnlock({ ports, grantHolder: grant, lockId });
    const view = viewOfCommand({ command, now: services.now() });
    return json(202, { id: view.id, status: view.status }, guestHeaders);
  },
  'GET /guest/stays/{token}/commands/{commandId}': async ({ event, services }) => {
    const token = await admitted({ event, services });
    const { commandId } = parsePathParameters(event, commandPathSchema);
    const { wait } = parseQuery(event, commandWaitQuerySchema);
    const { grant } = await honouredGuestLink({ ports: services.ports, token, now: services.now() });
    return json(
      200,
      await getGrantHolderUnlockCommand({
        ports: unlockPortsOf(services),
        grantHolder: grant,
        commandId,
        waitSeconds: wait,
      }),
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
