import { afterEach, describe, expect, it, vi } from 'vitest';
import { CognitoError, createCognitoClient, hasAuthenticatorApp } from '../../../web/console/src/cognito.ts';

const endpoint = 'https://cognito-idp.eu-west-1.amazonaws.com/';
const clientId = 'console-client';

function answering(status: number, body: unknown, headers: Record<string, string> = {}) {
  const fetch = vi.fn(
    async (_url: string | URL | Request, _init?: RequestInit) =>
      new Response(JSON.stringify(body), { status, headers }),
  );
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

const sent = (fetch: ReturnType<typeof answering>) => {
  const [url, init] = fetch.mock.calls[0] ?? [];
  return {
    url,
    headers: init?.headers as Record<string, string>,
    body: JSON.parse(String(init?.body)) as Record<string, unknown>,
  };
};

describe('the console user pool client', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('calls the pool JSON API with the operation named in x-amz-target and no signature', async () => {
    const fetch = answering(200, {
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: 's-1',
      ChallengeParameters: {},
    });

    await createCognitoClient({ endpoint, clientId }).signInWithPassword({
      username: 'host@example.com',
      password: 'secret',
    });

    const request = sent(fetch);
    expect(request.url).toBe(endpoint);
    expect(request.headers).toEqual({
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
    });
    expect(request.body).toEqual({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'host@example.com', PASSWORD: 'secret' },
    });
  });

  it('reports a challenge with its session and parameters', async () => {
    answering(200, {
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: 's-2',
      ChallengeParameters: { USER_ID_FOR_SRP: 'user-7' },
    });

    const step = await createCognitoClient({ endpoint, clientId }).signInWithPassword({
      username: 'new@example.com',
      password: 'temporary',
    });

    expect(step).toEqual({
      kind: 'challenge',
      challenge: 'NEW_PASSWORD_REQUIRED',
      session: 's-2',
      parameters: { USER_ID_FOR_SRP: 'user-7' },
    });
  });

  it('reports finished sign-ins with the three tokens', async () => {
    answering(200, {
      AuthenticationResult: { IdToken: 'id', AccessToken: 'access', RefreshToken: 'refresh' },
    });

    const step = await createCognitoClient({ endpoint, clientId }).answerChallenge({
      challenge: 'SOFTWARE_TOKEN_MFA',
      session: 's-1',
      responses: { USERNAME: 'user-7', SOFTWARE_TOKEN_MFA_CODE: '123456' },
    });

    expect(step).toEqual({
      kind: 'signed-in',
      tokens: { idToken: 'id', accessToken: 'access', refreshToken: 'refresh' },
    });
  });

  it('keeps the refresh token when refreshing, since the pool does not send it again', async () => {
    const fetch = answering(200, { AuthenticationResult: { IdToken: 'id-2', AccessToken: 'access-2' } });

    const tokens = await createCognitoClient({ endpoint, clientId }).refresh('refresh-1');

    expect(sent(fetch).body).toEqual({
      ClientId: clientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: 'refresh-1' },
    });
    expect(tokens).toEqual({ idToken: 'id-2', accessToken: 'access-2', refreshToken: 'refresh-1' });
  });

  it.each([
    ['the body', {}, { __type: 'CodeMismatchException', message: 'Invalid code' }],
    [
      'the x-amzn-errortype header',
      { 'x-amzn-errortype': 'CodeMismatchException:http://internal.amazon.com/' },
      { message: 'Invalid code' },
    ],
    [
      'a namespaced body type',
      {},
      { __type: 'com.amazonaws#CodeMismatchException', message: 'Invalid code' },
    ],
  ])('reads the refusal named in %s', async (_where, headers, body) => {
    answering(400, body, headers);

    const refusal = await createCognitoClient({ endpoint, clientId })
      .verifySoftwareToken({ proof: { accessToken: 'a' }, code: '000000', deviceName: 'Phone' })
      .catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(CognitoError);
    expect(refusal).toMatchObject({ type: 'CodeMismatchException', message: 'Invalid code' });
  });

  it('says the pool could not be reached when the request never got an answer', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));

    await expect(createCognitoClient({ endpoint, clientId }).getUser('a')).rejects.toMatchObject({
      type: 'NetworkError',
    });
  });

  it('enrols with a sign-in session when the pool asks for MFA setup during sign-in', async () => {
    const fetch = answering(200, { SecretCode: 'JBSWY3DPEHPK3PXP', Session: 's-3' });

    const secret = await createCognitoClient({ endpoint, clientId }).associateSoftwareToken({
      session: 's-2',
    });

    expect(sent(fetch).body).toEqual({ Session: 's-2' });
    expect(secret).toEqual({ secret: 'JBSWY3DPEHPK3PXP', session: 's-3' });
  });

  it('knows a user has an authenticator app only when the pool lists SOFTWARE_TOKEN_MFA', () => {
    expect(
      hasAuthenticatorApp({ Username: 'u', UserAttributes: [], UserMFASettingList: ['SOFTWARE_TOKEN_MFA'] }),
    ).toBe(true);
    expect(hasAuthenticatorApp({ Username: 'u', UserAttributes: [] })).toBe(false);
  });
});
