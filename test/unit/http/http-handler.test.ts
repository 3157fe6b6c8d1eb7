import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  InvalidInputError,
  NotAuthenticatedError,
  NotFoundError,
  NotPermittedError,
  TooManyRequestsError,
} from '#shared/domain/errors.ts';
import { callerOf } from '#shared/http/caller.ts';
import { httpHandler, json } from '#shared/http/middleware.ts';

const context = {
  functionName: 'test',
  awsRequestId: 'request-1',
  getRemainingTimeInMillis: () => 1000,
} as Context;
const event = {
  rawPath: '/bookings/b1',
  headers: {},
  requestContext: {},
} as unknown as APIGatewayProxyEventV2;

const failingWith = (error: unknown) =>
  httpHandler(async () => {
    throw error;
  });

describe('every API handler', () => {
  it('returns what the handler answers', async () => {
    const handler = httpHandler(async () => json(201, { id: 'p1' }));

    const response = await handler(event, context);

    expect(response).toEqual({
      statusCode: 201,
      headers: { 'content-type': 'application/json' },
      body: '{"id":"p1"}',
    });
  });

  it.each([
    [new InvalidInputError('Bad', [{ field: 'arrival', message: 'Required' }]), 400],
    [new NotAuthenticatedError('Who?'), 401],
    [new NotPermittedError('Staff may not unlock remotely'), 403],
    [new NotFoundError('No such booking'), 404],
    [new ConflictError('PIN taken'), 409],
    [new TooManyRequestsError('Slow down', 30), 429],
  ])('answers %s with status %i as problem+json', async (error, status) => {
    const response = await failingWith(error)(event, context);

    expect(response.statusCode).toBe(status);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(response.body ?? '')).toMatchObject({
      status,
      detail: error.message,
      instance: '/bookings/b1',
    });
  });

  it('names each failing field of invalid input', async () => {
    const response = await failingWith(
      new InvalidInputError('Bad', [{ field: 'guest.email', message: 'Invalid email' }]),
    )(event, context);

    expect(JSON.parse(response.body ?? '').errors).toEqual([
      { field: 'guest.email', message: 'Invalid email' },
    ]);
  });

  it('tells a throttled caller when to retry', async () => {
    const response = await failingWith(new TooManyRequestsError('Slow down', 30))(event, context);

    expect(response.headers?.['retry-after']).toBe('30');
  });

  it('never shows the internals of an unexpected failure', async () => {
    const response = await failingWith(new Error('connect ECONNREFUSED 10.0.0.1:443 at secret.ts:12'))(
      event,
      context,
    );

    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('ECONNREFUSED');
    expect(response.body).not.toContain('secret.ts');
  });
});

describe('the caller of a protected route', () => {
  const withClaims = (claims: Record<string, string>) =>
    ({
      requestContext: { authorizer: { jwt: { claims, scopes: null } } },
    }) as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;

  it('is read from the verified token claims', () => {
    const caller = callerOf(
      withClaims({ sub: 'u1', email: 'a@b.c', 'custom:tenantId': 't1', 'custom:role': 'manager' }),
    );

    expect(caller).toEqual({ userId: 'u1', email: 'a@b.c', tenantId: 't1', role: 'manager' });
  });

  it('is refused when the token names no tenant or an unknown role', () => {
    expect(() => callerOf(withClaims({ sub: 'u1' }))).toThrow(NotAuthenticatedError);
    expect(() =>
      callerOf(withClaims({ sub: 'u1', 'custom:tenantId': 't1', 'custom:role': 'admin' })),
    ).toThrow(NotAuthenticatedError);
  });
});
