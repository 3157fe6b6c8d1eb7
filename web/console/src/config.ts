/**
 * The console's runtime settings, read from `config.json` beside the built page when it loads. Written by the
 * local cloud at start and by the deployment in AWS, so the same build runs against any API and user pool.
 */

export interface ConsoleConfig {
  /** Base URL of the HTTP API, without a trailing slash. */
  readonly apiUrl: string;
  readonly region: string;
  readonly cognito: {
    /** The user pool's JSON API; in AWS `https://cognito-idp.<region>.amazonaws.com/`. */
    readonly endpoint: string;
    readonly userPoolId: string;
    readonly clientId: string;
  };
  /** Shown beside the product name and in authenticator apps, e.g. `local`; absent in production. */
  readonly environmentName?: string;
}

export const configFileName = 'config.json';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/** Checks what `config.json` holds, naming the first setting that is missing. */
export function parseConfig(value: unknown): ConsoleConfig {
  const record = (value ?? {}) as Record<string, unknown>;
  const cognito = (record.cognito ?? {}) as Record<string, unknown>;
  const required: [string, unknown][] = [
    ['apiUrl', record.apiUrl],
    ['region', record.region],
    ['cognito.endpoint', cognito.endpoint],
    ['cognito.userPoolId', cognito.userPoolId],
    ['cognito.clientId', cognito.clientId],
  ];
  const missing = required.find(([, setting]) => !isText(setting));
  if (missing) throw new ConfigError(`${configFileName} has no ${missing[0]}`);
  if (record.environmentName !== undefined && typeof record.environmentName !== 'string') {
    throw new ConfigError(`${configFileName}: environmentName must be text`);
  }
  return {
    apiUrl: String(record.apiUrl).replace(/\/+$/, ''),
    region: String(record.region),
    cognito: {
      endpoint: String(cognito.endpoint),
      userPoolId: String(cognito.userPoolId),
      clientId: String(cognito.clientId),
    },
    ...(record.environmentName ? { environmentName: record.environmentName as string } : {}),
  };
}

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch(configFileName, { cache: 'no-store' });
  if (!response.ok) throw new ConfigError(`${configFileName} answered ${response.status}`);
  return parseConfig(await response.json());
}
