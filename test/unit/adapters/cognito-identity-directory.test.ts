import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCognitoIdentityDirectory } from '#shared/adapters/cognito-identity-directory.ts';
import { ConflictError } from '#shared/domain/errors.ts';

const cognito = mockClient(CognitoIdentityProviderClient);
const directory = () =>
  createCognitoIdentityDirectory({ client: new CognitoIdentityProviderClient({}), userPoolId: 'pool-1' });

const userOf = ({ tenantId, enabled = true }: { tenantId: string; enabled?: boolean }) => ({
  Username: 'cleo@example.com',
  Enabled: enabled,
  UserAttributes: [
    { Name: 'sub', Value: 'sub-cleo' },
    { Name: 'custom:tenantId', Value: tenantId },
  ],
});

describe('the Cognito identity directory', () => {
  beforeEach(() => cognito.reset());

  it('invites with the email as username, tenant and role set by the platform, and an email invitation', async () => {
    // Prepare
    cognito
      .on(AdminCreateUserCommand)
      .resolves({ User: { Attributes: [{ Name: 'sub', Value: 'sub-cleo' }] } });

    // Act
    const { userId } = await directory().inviteUser({
      tenantId: 'tnt_a',
      email: 'cleo@example.com',
      name: 'Cleo',
      role: 'staff',
    });

    // Assess
    expect(userId).toBe('sub-cleo');
    expect(cognito).toHaveReceivedCommandWith(AdminCreateUserCommand, {
      UserPoolId: 'pool-1',
      Username: 'cleo@example.com',
      DesiredDeliveryMediums: ['EMAIL'],
      UserAttributes: expect.arrayContaining([
        { Name: 'custom:tenantId', Value: 'tnt_a' },
        { Name: 'custom:role', Value: 'staff' },
        { Name: 'email_verified', Value: 'true' },
      ]),
    });
  });

  it('invites a removed member of the same tenant again: same user, new role, enabled', async () => {
    cognito
      .on(AdminCreateUserCommand)
      .rejects(new UsernameExistsException({ message: 'exists', $metadata: {} }));
    cognito.on(AdminGetUserCommand).resolves(userOf({ tenantId: 'tnt_a', enabled: false }));

    const { userId } = await directory().inviteUser({
      tenantId: 'tnt_a',
      email: 'cleo@example.com',
      name: 'Cleo',
      role: 'manager',
    });

    expect(userId).toBe('sub-cleo');
    expect(cognito).toHaveReceivedCommandWith(AdminUpdateUserAttributesCommand, {
      UserAttributes: expect.arrayContaining([{ Name: 'custom:role', Value: 'manager' }]),
    });
    expect(cognito).toHaveReceivedCommandWith(AdminEnableUserCommand, { Username: 'cleo@example.com' });
  });

  it('refuses an email that signs in to another business, touching nothing of it', async () => {
    cognito
      .on(AdminCreateUserCommand)
      .rejects(new UsernameExistsException({ message: 'exists', $metadata: {} }));
    cognito.on(AdminGetUserCommand).resolves(userOf({ tenantId: 'tnt_b' }));

    await expect(
      directory().inviteUser({ tenantId: 'tnt_a', email: 'cleo@example.com', name: 'Cleo', role: 'staff' }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(cognito).not.toHaveReceivedCommand(AdminUpdateUserAttributesCommand);
  });

  it('puts a new role into the user’s attributes', async () => {
    cognito.on(AdminGetUserCommand).resolves(userOf({ tenantId: 'tnt_a' }));

    await directory().setRole({ tenantId: 'tnt_a', userId: 'sub-cleo', role: 'manager' });

    expect(cognito).toHaveReceivedCommandWith(AdminUpdateUserAttributesCommand, {
      Username: 'cleo@example.com',
      UserAttributes: [{ Name: 'custom:role', Value: 'manager' }],
    });
  });

  it('disables a user and ends their sessions', async () => {
    cognito.on(AdminGetUserCommand).resolves(userOf({ tenantId: 'tnt_a' }));

    await directory().disableUser({ tenantId: 'tnt_a', userId: 'sub-cleo' });

    expect(cognito).toHaveReceivedCommandWith(AdminDisableUserCommand, { Username: 'cleo@example.com' });
    expect(cognito).toHaveReceivedCommandWith(AdminUserGlobalSignOutCommand, {
      Username: 'cleo@example.com',
    });
  });

  it('still disables a user when signing them out everywhere fails, and reports it', async () => {
    cognito.on(AdminGetUserCommand).resolves(userOf({ tenantId: 'tnt_a' }));
    cognito.on(AdminUserGlobalSignOutCommand).rejects(new Error('unsupported'));
    const failures: unknown[] = [];
    const tolerant = createCognitoIdentityDirectory({
      client: new CognitoIdentityProviderClient({}),
      userPoolId: 'pool-1',
      onSignOutFailure: (error) => failures.push(error),
    });

    await tolerant.disableUser({ tenantId: 'tnt_a', userId: 'sub-cleo' });

    expect(cognito).toHaveReceivedCommand(AdminDisableUserCommand);
    expect(failures).toHaveLength(1);
  });

  it('never disables a user of another tenant', async () => {
    cognito.on(AdminGetUserCommand).resolves(userOf({ tenantId: 'tnt_b' }));

    await directory().disableUser({ tenantId: 'tnt_a', userId: 'sub-cleo' });

    expect(cognito).not.toHaveReceivedCommand(AdminDisableUserCommand);
  });
});
