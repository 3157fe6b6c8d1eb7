import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { hostApiHandler } from '#functions/commons/host-api.ts';
import { commandRoutes } from '#functions/http/api/commands.ts';
import type { HttpResult } from '#shared/http/middleware.ts';
import { addTeamMember, tenantA } from '../domain/fakes.ts';
import { documented, InMemoryIdempotencyStore, routeOf } from '../http/host-api-harness.ts';
import { unlockWorld } from './remote-unlock-fakes.ts';

const lambdaContext = {
  functionName: 'commands',
  awsRequestId: 'request-1',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

/** The commands function as API Gateway calls it, over remote unlock's fakes and an in-memory idempotency store. */
function commandsApi() {
  const world = unlockWorld();
  addTeamMember(world.store, { role: 'owner' });
  addTeamMember(world.store, { role: 'staff', userId: 'usr_cleaner', assignedPropertyIds: ['prp_loft'] });
  const records = new Map();
  const handler = hostApiHandler({
    routes: commandRoutes({ unlockPorts: () => world.unlockPorts }),
    services: { ports: world.ports, idempotency: () => new InMemoryIdempotencyStore(records) },
  });
  const call = async (
    key: string,
    {
      as = 'usr_owner',
      path = {},
      query,
      body,
      headers = {},
    }: {
      as?: string;
      path?: Record<string, string>;
      query?: Record<string, string>;
      body?: unknown;
      headers?: Record<string, string>;
    } = {},
  ) => {
    const route = routeOf(key);
    const event = {
      version: '2.0',
      routeKey: key,
      rawPath: route.path,
      rawQueryString: new URLSearchParams(query ?? {}).toString(),
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      isBase64Encoded: false,
      requestContext: {
        http: { method: route.method, path: route.path },
        routeKey: key,
        authorizer: {
          jwt: { claims: { sub: as, 'custom:tenantId': tenantA, 'custom:role': 'owner' }, scopes: null },
        },
      },
      pathParameters: path,
      ...(query ? { queryStringParameters: query } : {}),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
    const result = (await handler(event, lambdaContext)) as HttpResult;
    return {
      status: result.statusCode ?? 200,
      headers: (result.headers ?? {}) as Record<string, string>,
      body: result.body ? JSON.parse(String(result.body)) : undefined,
    };
  };
  return { ...world, call };
}

describe('POST /locks/{lockId}/unlock', () => {
  it('answers 202 with the command and its Location, as documented', async () => {
    const api = commandsApi();
    const answer = await api.call('POST /locks/{lockId}/unlock', { path: { lockId: 'lck_front' } });

    expect(answer.status).toBe(202);
    expect(documented('POST /locks/{lockId}/unlock', answer)).toEqual({
      id: expect.any(String),
      status: 'pending',
    });
    expect(answer.headers.location).toBe(`/commands/${answer.body.id}`);
    const read = await api.call('GET /commands/{commandId}', { path: { commandId: answer.body.id } });
    expect(documented('GET /commands/{commandId}', read)).toMatchObject({
      status: 'pending',
      lockId: 'lck_front',
    });
  });

  it('never makes two commands for one Idempotency-Key, and refuses the key with another body', async () => {
    const api = commandsApi();
    const headers = { 'idempotency-key': 'open-front-door-1' };
    const first = await api.call('POST /locks/{lockId}/unlock', { path: { lockId: 'lck_front' }, headers });
    const again = await api.call('POST /locks/{lockId}/unlock', { path: { lockId: 'lck_front' }, headers });
    const otherBody = await api.call('POST /locks/{lockId}/unlock', {
      path: { lockId: 'lck_front' },
      headers,
      body: { note: 'plumber' },
    });

    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(otherBody.status).toBe(409);
    expect(api.store.tables.unlockCommand.size).toBe(1);
    expect(api.shadows.updates).toHaveLength(1);
  });

  it('refuses a cleaner without a grant (403) and a Bluetooth lock (409), writing nothing to a shadow', async () => {
    const api = commandsApi();
    const cleaner = await api.call('POST /locks/{lockId}/unlock', {
      as: 'usr_cleaner',
      path: { lockId: 'lck_front' },
    });
    const bluetooth = await api.call('POST /locks/{lockId}/unlock', { path: { lockId: 'lck_shed' } });
    const unknown = await api.call('POST /locks/{lockId}/unlock', { path: { lockId: 'lck_nowhere' } });

    expect(cleaner.status).toBe(403);
    expect(bluetooth.status).toBe(409);
    expect(bluetooth.body.detail).toMatch(/use the code/);
    expect(unknown.status).toBe(404);
    expect(api.shadows.updates).toEqual([]);
  });
});

describe('GET /commands/{commandId}', () => {
  it('refuses a wait beyond 10 s', async () => {
    const api = commandsApi();
    const answer = await api.call('GET /commands/{commandId}', {
      path: { commandId: 'cmd_x' },
      query: { wait: '30' },
    });
    expect(answer.status).toBe(400);
  });
});
