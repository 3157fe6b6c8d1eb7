/**
 * The demo tenant of the local cloud: an owner with a password and TOTP already enrolled, and one property.
 * Seeding is idempotent: a second run finds the user enrolled and leaves everything as it is. The password and
 * TOTP secret are kept in the data folder, so they go when the data goes.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AssociateSoftwareTokenCommand,
  type CognitoIdentityProviderClient,
  SetUserMFAPreferenceCommand,
  UserNotFoundException,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { customClaim } from '../user-pool-definition.ts';
import type { DemoHost } from './endpoints.ts';
import { signIn, totpFor } from './sign-in.ts';

const demoTenantId = 'tenant-demo';
const demoPropertyId = 'property-demo';
const demoUsername = 'owner@demo.lockstay.localhost';

export async function seedDemoTenant(options: {
  cognito: CognitoIdentityProviderClient;
  userPoolId: string;
  clientId: string;
  dataDir: string;
}): Promise<DemoHost> {
  const { cognito, userPoolId, clientId, dataDir } = options;
  const file = join(dataDir, 'demo-host.json');
  const saved = await readFile(file, 'utf8').then(
    (text) => JSON.parse(text) as DemoHost,
    () => undefined,
  );
  const existing = await cognito
    .send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: demoUsername }))
    .catch((error: unknown) => {
      if (error instanceof UserNotFoundException) return undefined;
      throw error;
    });
  if (saved && existing?.UserMFASettingList?.includes('SOFTWARE_TOKEN_MFA')) return saved;

  const password = saved?.password ?? `Demo-${crypto.randomUUID().slice(0, 8)}-Lock!1`;
  if (!existing) {
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: demoUsername,
        MessageAction: 'SUPPRESS',
        TemporaryPassword: password,
        UserAttributes: [
          { Name: 'email', Value: demoUsername },
          { Name: 'email_verified', Value: 'true' },
          { Name: customClaim('tenantId'), Value: demoTenantId },
          { Name: customClaim('role'), Value: 'owner' },
        ],
      }),
    );
  }
  await cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: userPoolId,
      Username: demoUsername,
      Password: password,
      Permanent: true,
    }),
  );
  const { AccessToken } = await signIn({ cognito, clientId, username: demoUsername, password });
  const { SecretCode } = await cognito.send(new AssociateSoftwareTokenCommand({ AccessToken }));
  if (!SecretCode) throw new Error('cognito-local returned no TOTP secret');
  const totp = totpFor(SecretCode);
  await cognito.send(
    new VerifySoftwareTokenCommand({
      AccessToken,
      UserCode: totp.generate(),
      FriendlyDeviceName: 'Demo authenticator',
    }),
  );
  await cognito.send(
    new SetUserMFAPreferenceCommand({
      AccessToken,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    }),
  );
  totp.issuer = 'Lockstay (local)';
  totp.label = demoUsername;
  const demo: DemoHost = {
    tenantId: demoTenantId,
    username: demoUsername,
    password,
    totpSecret: SecretCode,
    otpauthUrl: totp.toString(),
    propertyId: demoPropertyId,
  };
  await writeFile(file, JSON.stringify(demo, null, 2));
  return demo;
}
