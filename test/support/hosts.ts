/**
 * Hosts for tests against the running local cloud: Cognito users that finish their sign-in as a person would
 * (a permanent password, then an authenticator enrolled), team records for the first owner of a business (the
 * one member nobody invites), and a small client of the host API that signs its requests with an ID token.
 */
import { randomUUID } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AssociateSoftwareTokenCommand,
  type CognitoIdentityProviderClient,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Endpoints } from '#infra/local/endpoints.ts';
import { signIn, totpFor } from '#infra/local/sign-in.ts';
import { createDynamoStorage } from '#shared/adapters/dynamo/index.ts';
import type { HostRole, TeamMember } from '#shared/domain/team.ts';
import { cognitoClient } from './local-cloud.ts';

export interface HostCredentials {
  readonly email: string;
  readonly password: string;
  readonly totpSecret: string;
  readonly userId: string;
}

const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** The table, as the platform's own storage adapter sees it. */
export function storageOf(endpoints: Endpoints) {
  const client = new DynamoDBClient({
    endpoint: endpoints.services.dynamodb,
    region: endpoints.region,
    credentials: localCredentials,
  });
  return createDynamoStorage({
    client: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    tableName: endpoints.tableName,
  });
}

/** What a person does after the invitation email: choose a password, sign in, enrol an authenticator app. */
export async function finishSignUp({
  cognito,
  endpoints,
  email,
}: {
  cognito: CognitoIdentityProviderClient;
  endpoints: Endpoints;
  email: string;
}): Promise<HostCredentials> {
  const { userPoolId, clientId } = endpoints.cognito;
  const password = `Pw-${randomUUID().slice(0, 12)}-Aa1!`;
  await cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: userPoolId,
      Username: email,
      Password: password,
      Permanent: true,
    }),
  );
  const { AccessToken } = await signIn({ cognito, clientId, username: email, password });
  const { SecretCode } = await cognito.send(new AssociateSoftwareTokenCommand({ AccessToken }));
  if (!SecretCode) throw new Error('The user pool returned no TOTP secret');
  await cognito.send(
    new VerifySoftwareTokenCommand({
      AccessToken,
      UserCode: totpFor(SecretCode).generate(),
      FriendlyDeviceName: 'Test authenticator',
    }),
  );
  await cognito.send(
    new SetUserMFAPreferenceCommand({
      AccessToken,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    }),
  );
  const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: email }));
  const userId = user.UserAttributes?.find((attribute) => attribute.Name === 'sub')?.Value;
  if (!userId) throw new Error(`No sub for ${email}`);
  return { email, password, totpSecret: SecretCode, userId };
}

/** A fresh ID token for the host, after password and TOTP. */
export async function idTokenOf(endpoints: Endpoints, host: HostCredentials): Promise<string> {
  const { IdToken } = await signIn({
    cognito: cognitoClient(endpoints),
    clientId: endpoints.cognito.clientId,
    username: host.email,
    password: host.password,
    totpSecret: host.totpSecret,
  });
  if (!IdToken) throw new Error('Sign-in returned no ID token');
  return IdToken;
}

/**
 * A member of a business who can sign in, created directly (the first owner of a business, or a test's cast
 * of roles): the Cognito user with the platform's attributes, and the active team record.
 */
export async function createMember({
  endpoints,
  tenantId,
  role,
  email = `${role}-${randomUUID().slice(0, 8)}@${tenantId}.test`,
  assignedPropertyIds = [],
}: {
  endpoints: Endpoints;
  tenantId: string;
  role: HostRole;
  email?: string;
  assignedPropertyIds?: string[];
}): Promise<HostCredentials> {
  const cognito = cognitoClient(endpoints);
  await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: endpoints.cognito.userPoolId,
      Username: email,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'custom:tenantId', Value: tenantId },
        { Name: 'custom:role', Value: role },
      ],
    }),
  );
  const host = await finishSignUp({ cognito, endpoints, email });
  await putTeamMember({ endpoints, tenantId, userId: host.userId, email, role, assignedPropertyIds });
  return host;
}

/** The team record of a member (active unless said otherwise), written as the platform writes it. */
export async function putTeamMember({
  endpoints,
  tenantId,
  userId,
  email,
  role,
  assignedPropertyIds = [],
  status = 'active',
}: {
  endpoints: Endpoints;
  tenantId: string;
  userId: string;
  email: string;
  role: HostRole;
  assignedPropertyIds?: string[];
  /** `invited`: as an owner's invitation leaves it, until the member's first signed-in request. */
  status?: TeamMember['status'];
}): Promise<void> {
  const storage = storageOf(endpoints);
  if (await storage.team.get({ tenantId, userId })) return;
  const at = new Date().toISOString();
  const member: TeamMember = {
    tenantId,
    userId,
    email,
    name: email.split('@')[0] ?? email,
    role,
    assignedPropertyIds,
    status,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const outcome = await storage.changes.commit({
    writes: [{ entity: 'teamMember', op: 'create', value: member }],
    auditEvents: [],
  });
  // Test files running side by side may add the same member (the demo owner) at once: theirs stands.
  if (!outcome.ok && !(await storage.team.get({ tenantId, userId }))) {
    throw new Error(`Could not add ${email} to ${tenantId}: ${outcome.conflict.kind}`);
  }
}

/** The seeded demo owner, on the team of the demo business (the seed signs them in but keeps no team record). */
export async function demoOwner(endpoints: Endpoints): Promise<HostCredentials & { tenantId: string }> {
  const { demo } = endpoints;
  if (!demo) throw new Error('The local cloud was started without the demo tenant');
  const user = await cognitoClient(endpoints).send(
    new AdminGetUserCommand({ UserPoolId: endpoints.cognito.userPoolId, Username: demo.username }),
  );
  const userId = user.UserAttributes?.find((attribute) => attribute.Name === 'sub')?.Value;
  if (!userId) throw new Error('The demo owner has no sub');
  await putTeamMember({ endpoints, tenantId: demo.tenantId, userId, email: demo.username, role: 'owner' });
  return {
    email: demo.username,
    password: demo.password,
    totpSecret: demo.totpSecret,
    userId,
    tenantId: demo.tenantId,
  };
}

export interface ApiAnswer {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: answers are read as JSON by the specifications
  readonly body: any;
}

export interface HostApiClient {
  request(
    method: string,
    path: string,
    options?: { body?: unknown; query?: Record<string, string>; headers?: Record<string, string> },
  ): Promise<ApiAnswer>;
}

/** The host API as one signed-in host calls it. */
export function hostApiClient(endpoints: Endpoints, idToken: string): HostApiClient {
  return {
    async request(method, path, { body, query, headers } = {}) {
      const url = new URL(`${endpoints.api}${path}`);
      for (const [name, value] of Object.entries(query ?? {})) url.searchParams.set(name, value);
      const response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${idToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        body: text ? JSON.parse(text) : undefined,
      };
    },
  };
}

/** The actions of a lock's newest audit events (up to 100), newest first, as the host reads them. */
export async function lockAuditActions(host: HostApiClient, lockId: string): Promise<string[]> {
  const answer = await host.request('GET', '/audit', { query: { lockId, limit: '100' } });
  return (answer.body?.items ?? []).map((event: { action: string }) => event.action);
}
