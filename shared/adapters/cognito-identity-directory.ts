/**
 * IdentityDirectory on the Cognito admin API (cognito-local at home, same client, another endpoint). The email
 * is the username; the tenant and role are custom attributes only the platform can write, so they reach the
 * ID token for the API's first check while the stored team record stays what the domain trusts. The user id
 * is the Cognito `sub`, the same claim `callerOf` reads.
 */
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  type AdminGetUserCommandOutput,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { customClaim } from '#infra/user-pool-definition.ts';
import { ConflictError } from '#shared/domain/errors.ts';
import type { IdentityDirectory } from '#shared/domain/ports/identity-directory.ts';
import type { HostRole } from '#shared/domain/team.ts';

export interface CognitoIdentityDirectoryOptions {
  readonly client: CognitoIdentityProviderClient;
  readonly userPoolId: string;
  /** Told when signing a disabled user out everywhere failed. @default nothing */
  readonly onSignOutFailure?: (error: unknown) => void;
}

const attributeOf = (attributes: readonly AttributeType[] | undefined, name: string) =>
  attributes?.find((attribute) => attribute.Name === name)?.Value;

export function createCognitoIdentityDirectory({
  client,
  userPoolId,
  onSignOutFailure = () => {},
}: CognitoIdentityDirectoryOptions): IdentityDirectory {
  /**
   * The username of a user id, when it is a user of this tenant. The admin API takes the `sub` wherever it takes
   * a username; the tenant check keeps a mistake from ever touching another business's user.
   */
  async function usernameOf({ tenantId, userId }: { tenantId: string; userId: string }) {
    const user = await existingUser(userId);
    if (!user?.Username || attributeOf(user.UserAttributes, customClaim('tenantId')) !== tenantId) {
      return undefined;
    }
    return user.Username;
  }

  async function existingUser(username: string): Promise<AdminGetUserCommandOutput | undefined> {
    try {
      return await client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
    } catch (error) {
      if (error instanceof UserNotFoundException) return undefined;
      throw error;
    }
  }

  return {
    async inviteUser({ tenantId, email, name, role }) {
      const attributes: AttributeType[] = [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'name', Value: name },
        { Name: customClaim('tenantId'), Value: tenantId },
        { Name: customClaim('role'), Value: role },
      ];
      try {
        const { User } = await client.send(
          new AdminCreateUserCommand({
            UserPoolId: userPoolId,
            Username: email,
            UserAttributes: attributes,
            DesiredDeliveryMediums: ['EMAIL'],
          }),
        );
        const userId = attributeOf(User?.Attributes, 'sub');
        if (userId) return { userId };
      } catch (error) {
        if (!(error instanceof UsernameExistsException)) throw error;
      }
      // Invited before (or removed and invited again): the same sign-in, back in use with the new role.
      const user = await existingUser(email);
      const userId = attributeOf(user?.UserAttributes, 'sub');
      if (!user || !userId || attributeOf(user.UserAttributes, customClaim('tenantId')) !== tenantId) {
        throw new ConflictError(`${email} cannot be invited: it already signs in to Lockstay elsewhere`);
      }
      await client.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: userPoolId,
          Username: email,
          UserAttributes: [
            { Name: 'name', Value: name },
            { Name: customClaim('role'), Value: role },
          ],
        }),
      );
      if (user.Enabled === false) {
        await client.send(new AdminEnableUserCommand({ UserPoolId: userPoolId, Username: email }));
      }
      return { userId };
    },

    async setRole({ tenantId, userId, role }: { tenantId: string; userId: string; role: HostRole }) {
      const username = await usernameOf({ tenantId, userId });
      if (!username) return;
      await client.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: userPoolId,
          Username: username,
          UserAttributes: [{ Name: customClaim('role'), Value: role }],
        }),
      );
    },

    async disableUser({ tenantId, userId }) {
      const username = await usernameOf({ tenantId, userId });
      if (!username) return;
      await client.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: username }));
      // Disabling stops sign-ins and, in Cognito, revokes the user's tokens; signing them out everywhere as well
      // is a second lock on the same door, so its failure (cognito-local does not offer it) is only reported.
      try {
        await client.send(new AdminUserGlobalSignOutCommand({ UserPoolId: userPoolId, Username: username }));
      } catch (error) {
        onSignOutFailure(error);
      }
    },
  };
}
