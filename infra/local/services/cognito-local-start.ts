/**
 * Starts cognito-local with one correction: cognito-local 5.3 stores a refresh token only when InitiateAuth
 * answers with tokens directly, never when they come from RespondToAuthChallenge (after the TOTP code or a
 * new password). Every host with MFA gets their tokens that way, so without this their sessions could not
 * be refreshed or revoked locally, as they can in Cognito.
 */
import { createRequire } from 'node:module';

interface ChallengeRequest {
  readonly ClientId: string;
  readonly ChallengeResponses?: Readonly<Record<string, string>>;
}
interface ChallengeAnswer {
  readonly AuthenticationResult?: { readonly RefreshToken?: string };
}
interface UserPool {
  getUserByUsername(context: unknown, username: string): Promise<object | null>;
  storeRefreshToken(context: unknown, refreshToken: string, user: object): Promise<void>;
}
interface Services {
  readonly cognito: { getUserPoolForClientId(context: unknown, clientId: string): Promise<UserPool> };
}
type Target = (
  services: Services,
) => (context: unknown, request: ChallengeRequest) => Promise<ChallengeAnswer>;

const require = createRequire(import.meta.url);
const { Targets } = require('cognito-local/lib/targets/targets.js') as { Targets: Record<string, Target> };
const respondToAuthChallenge = Targets.RespondToAuthChallenge;
if (!respondToAuthChallenge) throw new Error('cognito-local has no RespondToAuthChallenge target to correct');

Targets.RespondToAuthChallenge = (services) => {
  const respond = respondToAuthChallenge(services);
  return async (context, request) => {
    const answer = await respond(context, request);
    const refreshToken = answer.AuthenticationResult?.RefreshToken;
    const username = request.ChallengeResponses?.USERNAME;
    if (refreshToken && username) {
      const pool = await services.cognito.getUserPoolForClientId(context, request.ClientId);
      const user = await pool.getUserByUsername(context, username);
      if (user) await pool.storeRefreshToken(context, refreshToken, user);
    }
    return answer;
  };
};

require('cognito-local/lib/bin/start.js');
