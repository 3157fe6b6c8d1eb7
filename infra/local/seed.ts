/**
 * The demo tenant of the local cloud: an owner with a password and TOTP already enrolled, on the business's
 * team, and one property, created through the same domain operations the API uses. Seeding is idempotent: a
 * second run finds everything in place and leaves it as it is. The password, TOTP secret and property id are
 * kept in the data folder, so they go when the data goes.
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
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoStorage } from '#shared/adapters/dynamo/index.ts';
import { randomIdGenerator } from '#shared/adapters/random-id-generator.ts';
import { systemClock } from '#shared/adapters/system-clock.ts';
import { enrolFoundingOwner } from '#shared/domain/operations/businesses.ts';
import { createProperty } from '#shared/domain/operations/properties.ts';
import { memberPrincipal } from '#shared/domain/team.ts';
import { customClaim } from '../user-pool-definition.ts';
import type { DemoHost } from './endpoints.ts';
import { signIn, totpFor } from './sign-in.ts';

const demoTenantId = 'tenant-demo';
const demoUsername = 'owner@demo.lockstay.localhost';

const demoProperty = {
  name: 'Casa Azul',
  address: { line1: 'Rua das Flores 12', city: 'Lisboa', postalCode: '1200-195', countryCode: 'PT' },
  timeZone: 'Europe/Lisbon',
};

export interface SeedOptions {
  readonly cognito: CognitoIdentityProviderClient;
  readonly userPoolId: string;
  readonly clientId: string;
  readonly dataDir: string;
  readonly database: { readonly endpoint: string; readonly region: string; readonly tableName: string };
}

export async function seedDemoTenant(options: SeedOptions): Promise<DemoHost> {
  const file = join(options.dataDir, 'demo-host.json');
  const saved = await readFile(file, 'utf8').then(
    (text) => JSON.parse(text) as DemoHost,
    () => undefined,
  );
  const owner = await seedDemoOwner({ ...options, saved });
  const propertyId = await seedDemoBusiness({ ...options, owner, savedPropertyId: saved?.propertyId });
  const demo: DemoHost = { ...owner, propertyId };
  await writeFile(file, JSON.stringify(demo, null, 2));
  return demo;
}

type DemoOwner = Omit<DemoHost, 'propertyId'> & { readonly userId: string };

/** The owner in the user pool, password set and authenticator enrolled. */
async function seedDemoOwner(options: SeedOptions & { saved: DemoHost | undefined }): Promise<DemoOwner> {
  const { cognito, userPoolId, clientId, saved } = options;
  const existing = await cognito
    .send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: demoUsername }))
    .catch((error: unknown) => {
      if (error instanceof UserNotFoundException) return undefined;
      throw error;
    });
  const userIdOf = (attributes: { Name?: string; Value?: string }[] | undefined) => {
    const userId = attributes?.find((attribute) => attribute.Name === 'sub')?.Value;
    if (!userId) throw new Error('The demo owner has no sub in the user pool');
    return userId;
  };
  if (saved && existing?.UserMFASettingList?.includes('SOFTWARE_TOKEN_MFA')) {
    const { propertyId: _property, ...owner } = saved;
    return { ...owner, userId: userIdOf(existing.UserAttributes) };
  }

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
  const user = await cognito.send(
    new AdminGetUserCommand({ UserPoolId: userPoolId, Username: demoUsername }),
  );
  return {
    tenantId: demoTenantId,
    username: demoUsername,
    password,
    totpSecret: SecretCode,
    otpauthUrl: totp.toString(),
    userId: userIdOf(user.UserAttributes),
  };
}

/** The owner on the business's team, and the demo property; returns the property's id. */
async function seedDemoBusiness(
  options: SeedOptions & { owner: DemoOwner; savedPropertyId: string | undefined },
): Promise<string> {
  const { database, owner, savedPropertyId } = options;
  const client = new DynamoDBClient({
    endpoint: database.endpoint,
    region: database.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const storage = createDynamoStorage({
      client: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
      tableName: database.tableName,
    });
    const ports = { ...storage, clock: systemClock, ids: randomIdGenerator };
    const { member } = await enrolFoundingOwner({
      ports,
      tenantId: owner.tenantId,
      owner: { userId: owner.userId, email: owner.username, name: 'Demo Owner' },
    });
    if (
      savedPropertyId &&
      (await storage.properties.get({ tenantId: owner.tenantId, propertyId: savedPropertyId }))
    ) {
      return savedPropertyId;
    }
    const principal = memberPrincipal({ tenantId: owner.tenantId, userId: owner.userId, member });
    if (!principal) throw new Error('The demo owner is not an active member of the demo business');
    const { property } = await createProperty({ ports, principal, input: demoProperty });
    return property.id;
  } finally {
    client.destroy();
  }
}
