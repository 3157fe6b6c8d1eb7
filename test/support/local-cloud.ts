/** Helpers for tests that talk to the local cloud the integration setup started. */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { Endpoints } from '#infra/local/endpoints.ts';
import { signIn } from '#infra/local/sign-in.ts';

const fakeCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export function cognitoClient(endpoints: Endpoints): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint: endpoints.services.cognito,
    region: endpoints.region,
    credentials: fakeCredentials,
  });
}

/** The demo owner's ID token, obtained with password and TOTP like any host. */
export async function demoOwnerToken(endpoints: Endpoints): Promise<string> {
  const { demo } = endpoints;
  if (!demo) throw new Error('The local cloud was started without the demo tenant');
  const tokens = await signIn({
    cognito: cognitoClient(endpoints),
    clientId: endpoints.cognito.clientId,
    username: demo.username,
    password: demo.password,
    totpSecret: demo.totpSecret,
  });
  if (!tokens.IdToken) throw new Error('Sign-in returned no ID token');
  return tokens.IdToken;
}
