/**
 * Drives the public webhook receiver (the Lambda handler) over in-memory integration services, as API Gateway
 * would: Hostaway and Guesty payloads from the recorded fixtures, Basic credentials and Svix signatures.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { webhookHandler } from '#functions/http/webhooks.ts';
import { createIntegration } from '#shared/integrations/manage.ts';
import { member } from '../domain/fakes.ts';
import { fixtureJson } from './fixtures.ts';
import type { IntegrationWorld } from './integration-fakes.ts';

const owner = member({ role: 'owner' });

export interface HostawayBody {
  event: string;
  data: Record<string, unknown>;
}
export interface GuestyBody {
  event: string;
  publishedAt?: string;
  reservation: Record<string, unknown>;
}

export function hostaway(change: (body: HostawayBody) => void = () => {}): HostawayBody {
  const body = fixtureJson<HostawayBody>('hostaway-reservation-created.json');
  change(body);
  return body;
}

export function guesty(change: (body: GuestyBody) => void = () => {}): GuestyBody {
  const body = fixtureJson<GuestyBody>('guesty-reservation-created-v2.json');
  change(body);
  return body;
}

export interface Answer {
  readonly statusCode: number;
  readonly body: Record<string, unknown>;
}

/** Posts a body to the receiver as API Gateway would hand it over. */
export async function post({
  world,
  integrationId,
  body,
  headers,
}: {
  world: IntegrationWorld;
  integrationId: string;
  body: string;
  headers: Record<string, string>;
}): Promise<Answer> {
  const handler = webhookHandler({ services: () => world.services });
  const event = {
    version: '2.0',
    routeKey: 'POST /webhooks/{integrationId}',
    rawPath: `/webhooks/${integrationId}`,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...headers },
    pathParameters: { integrationId },
    body,
    isBase64Encoded: false,
    requestContext: { http: { method: 'POST', path: `/webhooks/${integrationId}` } },
  } as unknown as APIGatewayProxyEventV2;
  const result = (await handler(event, { awsRequestId: 'req-1' } as Context)) as {
    statusCode: number;
    body?: string;
  };
  return { statusCode: result.statusCode, body: result.body ? JSON.parse(result.body) : {} };
}

export const basic = (credentials: { username: string; password: string }) =>
  `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;

/** Signs the way Svix does for Guesty: HMAC-SHA256 of `id.timestamp.body` with the whsec_ key. */
export function svixHeaders({
  secret,
  id,
  sentAt,
  body,
}: {
  secret: string;
  id: string;
  sentAt: Date;
  body: string;
}): Record<string, string> {
  const timestamp = String(Math.floor(sentAt.getTime() / 1000));
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'svix-id': id, 'svix-timestamp': timestamp, 'svix-signature': `v1,${signature}` };
}

export async function hostawayIntegration(
  world: IntegrationWorld,
  listings: Record<string, string> = { '218666': 'prp_loft' },
) {
  const created = await createIntegration({
    services: world.services,
    principal: owner,
    input: { kind: 'hostaway', name: 'Hostaway', listings },
  });
  if (!created.credentials) throw new Error('A Hostaway integration is given Basic credentials');
  return { integrationId: created.integration.id, credentials: created.credentials };
}

/** A secret the size Svix issues for Guesty's webhooks: `whsec_` and 24 bytes in base64. */
export const guestySecret = `whsec_${randomBytes(24).toString('base64')}`;

export async function guestyIntegration(world: IntegrationWorld) {
  const created = await createIntegration({
    services: world.services,
    principal: owner,
    input: {
      kind: 'guesty',
      name: 'Guesty',
      listings: { '64b7e2c1f0a9d3001245ef78': 'prp_loft' },
      secret: guestySecret,
    },
  });
  return { integrationId: created.integration.id };
}
