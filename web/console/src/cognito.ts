/**
 * The few Cognito user pool calls the console makes, as plain `fetch` requests to the pool's public JSON API
 * (`x-amz-target` names the operation; these calls are authorised by their tokens or sessions, not by AWS
 * signatures). The AWS SDK's client would add tens of kilobytes to a page that needs eleven POSTs; its types
 * are reused here at no cost, since type imports vanish from the bundle.
 */
import type {
  AssociateSoftwareTokenRequest,
  AssociateSoftwareTokenResponse,
  AuthenticationResultType,
  ConfirmForgotPasswordRequest,
  ForgotPasswordRequest,
  ForgotPasswordResponse,
  GetUserRequest,
  GetUserResponse,
  GlobalSignOutRequest,
  InitiateAuthRequest,
  InitiateAuthResponse,
  RespondToAuthChallengeRequest,
  RespondToAuthChallengeResponse,
  RevokeTokenRequest,
  SetUserMFAPreferenceRequest,
  VerifySoftwareTokenRequest,
  VerifySoftwareTokenResponse,
} from '@aws-sdk/client-cognito-identity-provider';

/** A refusal from the user pool; `type` is Cognito's exception name, e.g. `CodeMismatchException`. */
export class CognitoError extends Error {
  override name = 'CognitoError';
  readonly type: string;
  constructor(type: string, message: string) {
    super(message);
    this.type = type;
  }
}

/** The pool asked for a sign-in step the console does not offer (e.g. SMS codes, custom challenges). */
export class UnsupportedChallengeError extends Error {
  override name = 'UnsupportedChallengeError';
}

/** What a finished sign-in yields; the pool omits the refresh token when it refreshes. */
export interface Tokens {
  readonly idToken: string;
  readonly accessToken: string;
  readonly refreshToken: string;
}

/** Where a sign-in stands after a call: done, or a challenge to answer within `session`. */
export type SignInStep =
  | { readonly kind: 'signed-in'; readonly tokens: Tokens }
  | {
      readonly kind: 'challenge';
      readonly challenge: string;
      readonly session: string;
      readonly parameters: Readonly<Record<string, string>>;
    };

/** `Foo#NotAuthorizedException` or `NotAuthorizedException:http://...` -> `NotAuthorizedException`. */
const exceptionName = (raw: string): string => raw.split(':')[0]?.split('#').pop() || 'UnknownError';

export function createCognitoClient(options: { endpoint: string; clientId: string }) {
  const { endpoint, clientId } = options;

  async function call<Request, Response>(operation: string, request: Request): Promise<Response> {
    let response: globalThis.Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
        },
        body: JSON.stringify(request),
      });
    } catch {
      throw new CognitoError('NetworkError', 'The sign-in service could not be reached.');
    }
    const text = await response.text();
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      // A proxy's HTML error page: the status alone says what happened.
    }
    if (!response.ok) {
      const type = exceptionName(
        response.headers.get('x-amzn-errortype') ?? String(body.__type ?? `Http${response.status}`),
      );
      throw new CognitoError(type, String(body.message ?? body.Message ?? ''));
    }
    return body as Response;
  }

  const toStep = (
    answer: InitiateAuthResponse | RespondToAuthChallengeResponse,
    previousRefreshToken?: string,
  ): SignInStep => {
    const result: AuthenticationResultType | undefined = answer.AuthenticationResult;
    if (result?.IdToken && result.AccessToken) {
      const refreshToken = result.RefreshToken ?? previousRefreshToken;
      if (!refreshToken) throw new CognitoError('InvalidResponse', 'The user pool issued no refresh token.');
      return {
        kind: 'signed-in',
        tokens: { idToken: result.IdToken, accessToken: result.AccessToken, refreshToken },
      };
    }
    if (answer.ChallengeName && answer.Session) {
      return {
        kind: 'challenge',
        challenge: answer.ChallengeName,
        session: answer.Session,
        parameters: answer.ChallengeParameters ?? {},
      };
    }
    throw new CognitoError('InvalidResponse', 'The user pool answered neither tokens nor a challenge.');
  };

  return {
    async signInWithPassword({ username, password }: { username: string; password: string }) {
      const answer = await call<InitiateAuthRequest, InitiateAuthResponse>('InitiateAuth', {
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: password },
      });
      return toStep(answer);
    },

    async refresh(refreshToken: string): Promise<Tokens> {
      const answer = await call<InitiateAuthRequest, InitiateAuthResponse>('InitiateAuth', {
        ClientId: clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      });
      const step = toStep(answer, refreshToken);
      if (step.kind !== 'signed-in')
        throw new CognitoError('InvalidResponse', 'Refreshing asked for a challenge.');
      return step.tokens;
    },

    async answerChallenge(options: {
      challenge: string;
      session: string;
      responses: Record<string, string>;
    }): Promise<SignInStep> {
      const answer = await call<RespondToAuthChallengeRequest, RespondToAuthChallengeResponse>(
        'RespondToAuthChallenge',
        {
          ClientId: clientId,
          ChallengeName: options.challenge as RespondToAuthChallengeRequest['ChallengeName'],
          Session: options.session,
          ChallengeResponses: options.responses,
        },
      );
      return toStep(answer);
    },

    /** Starts enrolling an authenticator, with a signed-in user's access token or a sign-in's MFA_SETUP session. */
    async associateSoftwareToken(proof: { accessToken: string } | { session: string }) {
      const answer = await call<AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse>(
        'AssociateSoftwareToken',
        'accessToken' in proof ? { AccessToken: proof.accessToken } : { Session: proof.session },
      );
      if (!answer.SecretCode) throw new CognitoError('InvalidResponse', 'The user pool returned no secret.');
      return { secret: answer.SecretCode, session: answer.Session };
    },

    async verifySoftwareToken(options: {
      proof: { accessToken: string } | { session: string };
      code: string;
      deviceName: string;
    }) {
      const { proof, code, deviceName } = options;
      const answer = await call<VerifySoftwareTokenRequest, VerifySoftwareTokenResponse>(
        'VerifySoftwareToken',
        {
          ...('accessToken' in proof ? { AccessToken: proof.accessToken } : { Session: proof.session }),
          UserCode: code,
          FriendlyDeviceName: deviceName,
        },
      );
      if (answer.Status !== 'SUCCESS') throw new CognitoError('CodeMismatchException', '');
      return { session: answer.Session };
    },

    async preferAuthenticatorApp(accessToken: string): Promise<void> {
      await call<SetUserMFAPreferenceRequest, unknown>('SetUserMFAPreference', {
        AccessToken: accessToken,
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
      });
    },

    async getUser(accessToken: string) {
      return call<GetUserRequest, GetUserResponse>('GetUser', { AccessToken: accessToken });
    },

    /** Ends this session: the refresh token, and in AWS the access tokens it issued, stop working. */
    async revoke(refreshToken: string): Promise<void> {
      await call<RevokeTokenRequest, unknown>('RevokeToken', { ClientId: clientId, Token: refreshToken });
    },

    /** Ends every session of the user, on every device. */
    async signOutEverywhere(accessToken: string): Promise<void> {
      await call<GlobalSignOutRequest, unknown>('GlobalSignOut', { AccessToken: accessToken });
    },

    async forgotPassword(username: string) {
      const answer = await call<ForgotPasswordRequest, ForgotPasswordResponse>('ForgotPassword', {
        ClientId: clientId,
        Username: username,
      });
      return { destination: answer.CodeDeliveryDetails?.Destination };
    },

    async confirmForgotPassword(options: { username: string; code: string; password: string }) {
      await call<ConfirmForgotPasswordRequest, unknown>('ConfirmForgotPassword', {
        ClientId: clientId,
        Username: options.username,
        ConfirmationCode: options.code,
        Password: options.password,
      });
    },
  };
}

export type CognitoClient = ReturnType<typeof createCognitoClient>;

/** Whether the user has an authenticator app enrolled, as the pool reports it. */
export const hasAuthenticatorApp = (user: GetUserResponse): boolean =>
  (user.UserMFASettingList ?? []).includes('SOFTWARE_TOKEN_MFA');
