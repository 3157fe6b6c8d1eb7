/**
 * The stateful stack: the table, its key, the host user pool and its app client, the mail identity, built
 * from the shared definitions and kept safe from accidental loss.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userPoolDefinition } from '#infra/user-pool-definition.ts';
import { keyAttributes, tableDefinition } from '#shared/storage/table-definition.ts';
import {
  cdkContext,
  removeSynthesizedApps,
  resourcesOf,
  type SynthesizedLockstay,
  synthLockstay,
} from './lockstay-fixture.ts';

afterAll(removeSynthesizedApps);

let lockstay: SynthesizedLockstay;
beforeAll(() => {
  lockstay = synthLockstay();
});

const keySchemaOf = (partitionKey: { name: string }, sortKey: { name: string }) => [
  { AttributeName: partitionKey.name, KeyType: 'HASH' },
  { AttributeName: sortKey.name, KeyType: 'RANGE' },
];

describe('the table', () => {
  it('has exactly the keys, indexes and time-to-live attribute of the shared table definition', () => {
    const [table] = Object.values(resourcesOf(lockstay.statefulTemplate, 'AWS::DynamoDB::Table'));

    expect(table?.Properties).toMatchObject({
      KeySchema: keySchemaOf(tableDefinition.partitionKey, tableDefinition.sortKey),
      TimeToLiveSpecification: { AttributeName: tableDefinition.timeToLiveAttribute, Enabled: true },
    });
    expect(table?.Properties?.AttributeDefinitions).toEqual(
      keyAttributes().map((attribute) => ({ AttributeName: attribute.name, AttributeType: attribute.type })),
    );
    expect(table?.Properties?.GlobalSecondaryIndexes).toEqual(
      tableDefinition.globalIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: keySchemaOf(index.partitionKey, index.sortKey),
        Projection: { ProjectionType: 'ALL' },
      })),
    );
  });

  it('is billed per request, recoverable to the second, and cannot be deleted by accident', () => {
    lockstay.statefulTemplate.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      }),
    });
  });

  it('is encrypted with a customer-managed key that rotates and outlives the stack', () => {
    const keys = resourcesOf(lockstay.statefulTemplate, 'AWS::KMS::Key');
    const [keyId, key] = Object.entries(keys)[0] ?? [];

    expect(Object.keys(keys)).toHaveLength(1);
    expect(key).toMatchObject({ DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
    lockstay.statefulTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: {
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      },
    });
  });

  it('streams no changes, since nothing consumes them yet', () => {
    lockstay.statefulTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: Match.absent(),
    });
  });
});

describe('the host user pool', () => {
  it('requires MFA for every host, by authenticator app (TOTP) only: no SMS, no email codes', () => {
    lockstay.statefulTemplate.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    });
  });

  it('enforces the password policy of the user-pool definition', () => {
    const { passwordPolicy } = userPoolDefinition;

    lockstay.statefulTemplate.hasResourceProperties('AWS::Cognito::UserPool', {
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
    });
  });

  it('lets nobody sign up alone, signs hosts in by email address, and recovers accounts by email', () => {
    lockstay.statefulTemplate.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
    });
  });

  it('has the custom attributes tenantId (fixed for life) and role, with the lengths of the definition', () => {
    const { tenantId, role } = userPoolDefinition.customAttributes;

    lockstay.statefulTemplate.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([
        Match.objectLike({
          Name: 'tenantId',
          Mutable: false,
          StringAttributeConstraints: {
            MinLength: `${tenantId.minLength}`,
            MaxLength: `${tenantId.maxLength}`,
          },
        }),
        Match.objectLike({
          Name: 'role',
          Mutable: true,
          StringAttributeConstraints: { MinLength: `${role.minLength}`, MaxLength: `${role.maxLength}` },
        }),
      ]),
    });
  });

  it('outlives the stack and cannot be deleted by accident', () => {
    lockstay.statefulTemplate.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
    });
  });
});

describe('the app client hosts sign in through', () => {
  it('is public (no secret) and signs in with SRP or password, tokens living as the definition says', () => {
    const { tokenValidity } = userPoolDefinition;

    lockstay.statefulTemplate.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AccessTokenValidity: tokenValidity.accessTokenMinutes,
      IdTokenValidity: tokenValidity.idTokenMinutes,
      RefreshTokenValidity: tokenValidity.refreshTokenDays * 24 * 60,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
    });
  });

  it('can read tenantId and role but never write them', () => {
    const [client] = Object.values(resourcesOf(lockstay.statefulTemplate, 'AWS::Cognito::UserPoolClient'));
    const customAttributes = Object.keys(userPoolDefinition.customAttributes).map((name) => `custom:${name}`);

    expect(client?.Properties?.ReadAttributes).toEqual(expect.arrayContaining(customAttributes));
    expect(client?.Properties?.WriteAttributes).toEqual(expect.any(Array));
    for (const attribute of customAttributes) {
      expect(client?.Properties?.WriteAttributes).not.toContain(attribute);
    }
  });
});

describe('mail', () => {
  it('sends from the domain given in context, with Easy DKIM, and keeps the identity when the stack goes', () => {
    lockstay.statefulTemplate.hasResource('AWS::SES::EmailIdentity', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ EmailIdentity: cdkContext.mailFromDomain }),
    });
    lockstay.statefulTemplate.hasOutput('MailFrom', { Value: `no-reply@${cdkContext.mailFromDomain}` });
  });
});

describe('outputs of the stateful stack', () => {
  it('name the table, the user pool and the app client', () => {
    const outputs = lockstay.statefulTemplate.toJSON().Outputs as Record<string, { Value: unknown }>;

    expect(outputs.TableName?.Value).toEqual({ Ref: expect.stringMatching(/^DataTable/) });
    expect(outputs.UserPoolId?.Value).toEqual({ Ref: expect.stringMatching(/^IdentityUserPool/) });
    expect(outputs.UserPoolClientId?.Value).toEqual({
      Ref: expect.stringMatching(/^IdentityUserPoolHostClient/),
    });
  });
});

describe('logical ids of the stateful resources', () => {
  // A changed logical id makes CloudFormation replace the resource: a new, empty table or user pool. If this
  // test fails, the change moved a stateful resource; undo it rather than update the list.
  const pinned = {
    DataTableKeyC26AB094: 'AWS::KMS::Key',
    DataTableFDBAD0F2: 'AWS::DynamoDB::Table',
    IdentityUserPool96FE3B9B: 'AWS::Cognito::UserPool',
    IdentityUserPoolHostClientB80B0732: 'AWS::Cognito::UserPoolClient',
    MailSenderDomainE8601F7B: 'AWS::SES::EmailIdentity',
  };

  it('stay exactly as first deployed', () => {
    const resources = resourcesOf(lockstay.statefulTemplate);
    const stateful = Object.fromEntries(
      Object.entries(resources)
        .filter(([, resource]) => Object.values(pinned).includes(resource.Type))
        .map(([logicalId, resource]) => [logicalId, resource.Type]),
    );

    expect(stateful).toEqual(pinned);
  });
});
