/**
 * Signing a host in with password and TOTP, as the console does: USER_PASSWORD_AUTH, then the
 * SOFTWARE_TOKEN_MFA challenge answered with the authenticator's current code. Used by the demo seed, the
 * tests and the benchmarks to obtain real tokens from the local user pool.
 */
import {
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Secret, TOTP } from 'otpauth';

export const totpFor = (secret: string): TOTP => new TOTP({ secret: Secret.fromBase32(secret) });

export async function signIn(options: {
  cognito: CognitoIdentityProviderClient;
  clientId: string;
  username: string;
  password: string;
  totpSecret?: string;
}): Promise<AuthenticationResultType> {
  const { cognito, clientId, username, password, totpSecret } = options;
  const started = await cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
  if (started.AuthenticationResult) return started.AuthenticationResult;
  if (started.ChallengeName !== 'SOFTWARE_TOKEN_MFA') {
    throw new Error(`Unexpected sign-in challenge ${started.ChallengeName ?? '(none)'}`);
  }
  if (!totpSecret) throw new Error('The user has MFA enrolled: a TOTP secret is needed to sign in');
  const answered = await cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: started.Session,
      ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: totpFor(totpSecret).generate() },
    }),
  );
  if (!answered.AuthenticationResult) throw new Error('Sign-in did not complete after the MFA code');
  return answered.AuthenticationResult;
}
