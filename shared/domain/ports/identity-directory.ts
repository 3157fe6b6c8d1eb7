/**
 * Sign-in identities of team members (Cognito in AWS, cognito-local at home). The team record in storage is
 * what the domain trusts for role and membership; the directory only lets people sign in, with the tenant and
 * role in their token for the API's first check.
 */
import type { HostRole } from '../team.ts';

export interface IdentityDirectory {
  /**
   * Creates the sign-in of an invited member and sends the invitation; they must enrol TOTP before anything
   * else. Inviting an email that already has a sign-in in this tenant returns that user again.
   */
  inviteUser(options: {
    tenantId: string;
    email: string;
    name: string;
    role: HostRole;
  }): Promise<{ userId: string }>;
  /** Puts the new role into the user's next tokens. */
  setRole(options: { tenantId: string; userId: string; role: HostRole }): Promise<void>;
  /** Ends the user's sign-in and their sessions; disabling a disabled user is not an error. */
  disableUser(options: { tenantId: string; userId: string }): Promise<void>;
}
