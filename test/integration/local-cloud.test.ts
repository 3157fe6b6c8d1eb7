import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { generateKeyPair, SignJWT } from 'jose';
import { describe, expect, inject, it } from 'vitest';
import { seedDemoTenant } from '#infra/local/seed.ts';
import { signIn } from '#infra/local/sign-in.ts';
import { tableDefinition } from '#shared/storage/table-definition.ts';
import { cognitoClient, demoOwnerToken } from '../support/local-cloud.ts';

const endpoints = inject('endpoints');

describe('the local cloud', () => {
  it('reports every local service up on GET /health', async () => {
    // Act
    const response = await fetch(endpoints.health);
    const report = await response.json();

    // Assess
    expect(response.status).toBe(200);
    expect(report.status).toBe('up');
    expect(Object.keys(report.services).sort()).toEqual([
      'database',
      'devices',
      'identity',
      'mail',
      'scheduler',
    ]);
    for (const service of Object.values(report.services)) expect(service).toMatchObject({ status: 'up' });
  });

  it('creates the table from the same definition the stack deploys', async () => {
    const dynamo = new DynamoDBClient({
      endpoint: endpoints.services.dynamodb,
      region: endpoints.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });

    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: endpoints.tableName }));

    expect(Table?.KeySchema).toEqual([
      { AttributeName: tableDefinition.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: tableDefinition.sortKey.name, KeyType: 'RANGE' },
    ]);
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual(
      tableDefinition.globalIndexes.map((index) => index.indexName).sort(),
    );
  });

  it('serves the OpenAPI document of the routes it serves', async () => {
    const response = await fetch(`${endpoints.api}/openapi.json`);
    const document = await response.json();

    expect(response.status).toBe(200);
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toContain('/me');
  });

  it('serves the email viewer', async () => {
    const response = await fetch(endpoints.emailViewer);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
  });
});

describe('a protected route', () => {
  const me = `${endpoints.api}/me`;

  it('answers 401 with a problem+json body without a token', async () => {
    const response = await fetch(me);

    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 401, title: 'Not authenticated' });
  });

  it('answers the demo host who signed in with password and TOTP', async () => {
    const token = await demoOwnerToken(endpoints);

    const response = await fetch(me, { headers: { authorization: `Bearer ${token}` } });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      email: endpoints.demo?.username,
      tenantId: endpoints.demo?.tenantId,
      role: 'owner',
    });
  });

  it('refuses a token signed by anyone but the user pool', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({
      token_use: 'id',
      'custom:tenantId': endpoints.demo?.tenantId,
      'custom:role': 'owner',
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'forged' })
      .setIssuer(endpoints.cognito.issuer)
      .setAudience(endpoints.cognito.clientId)
      .setSubject('someone')
      .setExpirationTime('1h')
      .sign(privateKey);

    const response = await fetch(me, { headers: { authorization: `Bearer ${forged}` } });

    expect(response.status).toBe(401);
  });

  it('refuses a host who has not enrolled an authenticator yet', async () => {
    const cognito = cognitoClient(endpoints);
    const username = `new-${Date.now()}@example.com`;
    const password = 'Fresh-host-password-1!';
    const { userPoolId, clientId } = endpoints.cognito;
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: username,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: username },
          { Name: 'custom:tenantId', Value: 'tenant-other' },
          { Name: 'custom:role', Value: 'manager' },
        ],
      }),
    );
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: userPoolId,
        Username: username,
        Password: password,
        Permanent: true,
      }),
    );
    const { IdToken } = await signIn({ cognito, clientId, username, password });

    const response = await fetch(me, { headers: { authorization: `Bearer ${IdToken}` } });

    expect(response.status).toBe(401);
    expect((await response.json()).detail).toMatch(/enrol an authenticator/);
  });
});

describe('the gateway', () => {
  it('answers 404 problem+json for a path no route serves', async () => {
    const response = await fetch(`${endpoints.api}/no-such-thing`);

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('answers 405 for a route that exists with another method', async () => {
    const response = await fetch(endpoints.health, { method: 'DELETE' });

    expect(response.status).toBe(405);
  });
});

describe('the demo tenant', () => {
  it('has its owner on the team and its property, readable through the API', async () => {
    const token = await demoOwnerToken(endpoints);

    const response = await fetch(`${endpoints.api}/properties/${endpoints.demo?.propertyId}`, {
      headers: { authorization: `Bearer ${token}` },
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ name: 'Casa Azul', timeZone: 'Europe/Lisbon' });
  });

  it('is seeded once: seeding again keeps the same enrolled owner and property', async () => {
    const stateDir = inject('stateDir');
    const { userPoolId, clientId } = endpoints.cognito;

    const again = await seedDemoTenant({
      cognito: cognitoClient(endpoints),
      userPoolId,
      clientId,
      dataDir: `${stateDir}/data`,
      database: {
        endpoint: endpoints.services.dynamodb,
        region: endpoints.region,
        tableName: endpoints.tableName,
      },
    });

    expect(again).toEqual(endpoints.demo);
    await expect(demoOwnerToken(endpoints)).resolves.toEqual(expect.any(String));
  });
});
