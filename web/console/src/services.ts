/**
 * The console's services, built once from the runtime config: the user pool client, the session and the API
 * client. Components receive them as props, so tests and future pages can see what each one depends on.
 */
import { type ApiClient, createApiClient } from './api.ts';
import { type CognitoClient, createCognitoClient } from './cognito.ts';
import type { ConsoleConfig } from './config.ts';
import { createSession, type Session } from './session.ts';

export interface ConsoleServices {
  readonly config: ConsoleConfig;
  readonly cognito: CognitoClient;
  readonly session: Session;
  readonly api: ApiClient;
  /** The name authenticator apps show beside the code. */
  readonly authenticatorIssuer: string;
}

function tabStorage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    // Storage disabled: the session lives in memory only and ends on reload.
    return undefined;
  }
}

export function createServices(config: ConsoleConfig): ConsoleServices {
  const cognito = createCognitoClient({
    endpoint: config.cognito.endpoint,
    clientId: config.cognito.clientId,
  });
  const session = createSession({ cognito, storage: tabStorage() });
  return {
    config,
    cognito,
    session,
    api: createApiClient({ apiUrl: config.apiUrl, session }),
    authenticatorIssuer: config.environmentName ? `Lockstay (${config.environmentName})` : 'Lockstay',
  };
}
