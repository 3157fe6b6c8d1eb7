/**
 * cognito-local with the project's user pool and app client, built from the same pool definition as the CDK
 * stack. One difference, forced by the emulator: it has no MFA_SETUP challenge, so the local pool's MFA is
 * OPTIONAL and the local gateway refuses tokens of users who have not enrolled TOTP (in AWS the pool's MFA is
 * REQUIRED). The pool's ids are kept in the data folder so tokens and users survive restarts.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { userPoolDefinition } from '../../user-pool-definition.ts';
import { type ManagedProcess, startProcess, waitUntilReady } from '../child-process.ts';

export interface LocalUserPool {
  readonly process: ManagedProcess;
  readonly endpoint: string;
  readonly userPoolId: string;
  readonly clientId: string;
  readonly issuer: string;
  readonly jwksUri: string;
  readonly client: CognitoIdentityProviderClient;
  hasEnrolledMfa(username: string): Promise<boolean>;
}

const poolName = 'lockstay-hosts';

async function ensurePool(client: CognitoIdentityProviderClient, idsFile: string) {
  try {
    const saved = JSON.parse(await readFile(idsFile, 'utf8')) as { userPoolId: string; clientId: string };
    await client.send(new DescribeUserPoolCommand({ UserPoolId: saved.userPoolId }));
    return saved;
  } catch {
    // Not created yet, or the data folder was wiped: create both.
  }
  const { passwordPolicy, customAttributes, tokenValidity } = userPoolDefinition;
  const { UserPool } = await client.send(
    new CreateUserPoolCommand({
      PoolName: poolName,
      MfaConfiguration: 'OPTIONAL',
      UsernameAttributes: ['email'],
      Policies: {
        PasswordPolicy: {
          MinimumLength: passwordPolicy.minimumLength,
          RequireLowercase: passwordPolicy.requireLowercase,
          RequireUppercase: passwordPolicy.requireUppercase,
          RequireNumbers: passwordPolicy.requireDigits,
          RequireSymbols: passwordPolicy.requireSymbols,
          TemporaryPasswordValidityDays: passwordPolicy.temporaryPasswordValidityDays,
        },
      },
      Schema: Object.entries(customAttributes).map(([name, limits]) => ({
        Name: name,
        AttributeDataType: 'String',
        Mutable: true,
        StringAttributeConstraints: {
          MinLength: String(limits.minLength),
          MaxLength: String(limits.maxLength),
        },
      })),
    }),
  );
  const userPoolId = UserPool?.Id;
  if (!userPoolId) throw new Error('cognito-local created a pool without an id');
  const { UserPoolClient } = await client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: 'lockstay-console',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AccessTokenValidity: tokenValidity.accessTokenMinutes,
      IdTokenValidity: tokenValidity.idTokenMinutes,
      RefreshTokenValidity: tokenValidity.refreshTokenDays,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
    }),
  );
  const clientId = UserPoolClient?.ClientId;
  if (!clientId) throw new Error('cognito-local created a client without an id');
  const ids = { userPoolId, clientId };
  await writeFile(idsFile, JSON.stringify(ids, null, 2));
  return ids;
}

export async function startLocalUserPool(options: {
  port: number;
  dataDir: string;
  logFile: string;
}): Promise<LocalUserPool> {
  const { port, dataDir, logFile } = options;
  await mkdir(dataDir, { recursive: true });
  const process = startProcess({
    name: 'cognito-local',
    command: globalThis.process.execPath,
    args: [fileURLToPath(new URL('./cognito-local-start.ts', import.meta.url))],
    // cognito-local keeps its state in `.cognito/` under its working directory.
    cwd: dataDir,
    env: { PORT: String(port), HOST: '127.0.0.1' },
    logFile,
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new CognitoIdentityProviderClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await waitUntilReady(
    process,
    async () => (await client.send(new ListUserPoolsCommand({ MaxResults: 1 }))) !== undefined,
    {
      logFile,
    },
  );
  const { userPoolId, clientId } = await ensurePool(client, join(dataDir, 'lockstay-pool.json'));
  const issuer = `${endpoint}/${userPoolId}`;

  // Only a yes is kept (for 30 s): a host who enrols is let in at once, not after a remembered no expires.
  const enrolled = new Map<string, number>();
  return {
    process,
    endpoint,
    userPoolId,
    clientId,
    issuer,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    client,
    async hasEnrolledMfa(username) {
      if ((enrolled.get(username) ?? 0) > Date.now()) return true;
      const user = await client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
      const value = (user.UserMFASettingList ?? []).includes('SOFTWARE_TOKEN_MFA');
      if (value) enrolled.set(username, Date.now() + 30_000);
      else enrolled.delete(username);
      return value;
    },
  };
}
