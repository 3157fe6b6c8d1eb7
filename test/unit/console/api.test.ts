import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, createApiClient } from '../../../web/console/src/api.ts';
import { CognitoError } from '../../../web/console/src/cognito.ts';
import { createSession } from '../../../web/console/src/session.ts';
import { asCognitoClient, fakeUserPool, memoryStorage, tokensExpiringAt } from './fakes.ts';

const apiUrl = 'https://api.lockstay.example';
const authorizationOf = (init: RequestInit | undefined) =>
  new Headers(init?.headers as Record<string, string>).get('authorization');

const problem = (status: number, body: Record<string, unknown>) =>
  new Response(JSON.stringify({ type: 'about:blank', status, ...body }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });

describe('calls to the Lockstay API from the console', () => {
  let pool: ReturnType<typeof fakeUserPool>;
  let fetch: ReturnType<typeof vi.fn<typeof globalThis.fetch>>;
  beforeEach(() => {
    pool = fakeUserPool();
    fetch = vi.fn<typeof globalThis.fetch>();
    vi.stubGlobal('fetch', fetch);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const signedIn = () => {
    const session = createSession({ cognito: asCognitoClient(pool), storage: memoryStorage() });
    session.start(tokensExpiringAt(Date.now() + 3_600_000));
    return session;
  };

  it('sends the ID token as bearer', async () => {
    const session = signedIn();
    fetch.mockResolvedValue(Response.json({ userId: 'host-1' }));

    const me = await createApiClient({ apiUrl, session }).get('/me');

    expect(me).toEqual({ userId: 'host-1' });
    const [url, init] = fetch.mock.calls[0] ?? [];
    expect(url).toBe(`${apiUrl}/me`);
    expect(authorizationOf(init)).toBe(`Bearer ${session.current()?.idToken}`);
  });

  it('refreshes a refused token once and retries with the new one', async () => {
    const session = signedIn();
    const fresh = tokensExpiringAt(Date.now() + 3_600_000, 'fresh');
    pool.refresh.mockResolvedValue(fresh);
    fetch
      .mockResolvedValueOnce(problem(401, { title: 'Not authenticated', detail: 'expired' }))
      .mockResolvedValueOnce(Response.json({ userId: 'host-1' }));

    await createApiClient({ apiUrl, session }).get('/me');

    expect(pool.refresh).toHaveBeenCalledTimes(1);
    const [, retry] = fetch.mock.calls[1] ?? [];
    expect(authorizationOf(retry)).toBe(`Bearer ${fresh.idToken}`);
  });

  it('ends the session with the API explanation when the refreshed token is refused too', async () => {
    const session = signedIn();
    pool.refresh.mockResolvedValue(tokensExpiringAt(Date.now() + 3_600_000, 'fresh'));
    const detail = 'Multi-factor authentication is required: enrol an authenticator app, then sign in again.';
    fetch.mockImplementation(async () => problem(401, { title: 'Not authenticated', detail }));

    await expect(createApiClient({ apiUrl, session }).get('/me')).rejects.toMatchObject({ status: 401 });

    expect(session.current()).toBeUndefined();
    expect(session.notice()).toEqual({ message: detail, tone: 'warning' });
  });

  it('ends the session when the refresh is refused, without a second request', async () => {
    const session = signedIn();
    pool.refresh.mockRejectedValue(
      new CognitoError('NotAuthorizedException', 'Refresh Token has been revoked'),
    );
    fetch.mockResolvedValue(problem(401, { title: 'Not authenticated', detail: 'expired' }));

    await expect(createApiClient({ apiUrl, session }).get('/me')).rejects.toBeInstanceOf(ApiError);

    expect(fetch).toHaveBeenCalledTimes(1);
    expect(session.current()).toBeUndefined();
  });

  it('turns a problem answer into an error with its title, detail and field problems', async () => {
    const session = signedIn();
    fetch.mockResolvedValue(
      problem(400, {
        title: 'Invalid input',
        detail: 'The booking is not valid.',
        errors: [{ field: 'body.arrival', message: 'must be a date' }],
      }),
    );

    const refusal = await createApiClient({ apiUrl, session })
      .get('/bookings')
      .catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(ApiError);
    expect(refusal).toMatchObject({
      status: 400,
      title: 'Invalid input',
      message: 'The booking is not valid.',
      fieldProblems: [{ field: 'body.arrival', message: 'must be a date' }],
    });
    expect(session.current()).toBeDefined();
  });

  it('says the API could not be reached when the request fails', async () => {
    const session = signedIn();
    fetch.mockRejectedValue(new TypeError('Failed to fetch'));

    await expect(createApiClient({ apiUrl, session }).get('/me')).rejects.toMatchObject({
      status: 0,
      message: 'Lockstay could not be reached. Check your connection and try again.',
    });
  });
});
