/**
 * Hosts for the browser tests, made through the user pool's admin API as an owner's invitation will make them:
 * email as user name, tenant and role as custom attributes, a temporary password to change at first sign-in.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Endpoints } from '#infra/local/endpoints.ts';
import { totpFor } from '#infra/local/sign-in.ts';
import { customClaim } from '#infra/user-pool-definition.ts';
import { putTeamMember } from '../support/hosts.ts';

export const uniqueEmail = (who: string): string =>
  `${who}-${crypto.randomUUID().slice(0, 8)}@test.lockstay.localhost`;

/** Meets the pool's rules: length, cases, digit, symbol. */
export const strongPassword = (): string => `Stay-${crypto.randomUUID().slice(0, 12)}-Ok!7`;

export async function inviteHost(options: {
  cognito: CognitoIdentityProviderClient;
  endpoints: Endpoints;
  email: string;
  tenantId: string;
  role: 'owner' | 'manager' | 'staff';
  temporaryPassword: string;
}): Promise<void> {
  const { cognito, endpoints, email, tenantId, role, temporaryPassword } = options;
  const { User } = await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: endpoints.cognito.userPoolId,
      Username: email,
      MessageAction: 'SUPPRESS',
      TemporaryPassword: temporaryPassword,
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
        { Name: customClaim('tenantId'), Value: tenantId },
        { Name: customClaim('role'), Value: role },
      ],
    }),
  );
  const userId = User?.Attributes?.find(({ Name }) => Name === 'sub')?.Value;
  if (!userId) throw new Error(`The pool gave ${email} no sub`);
  // The invitation's team record: the member's first signed-in request makes it active.
  await putTeamMember({ endpoints, tenantId, userId, email, role, status: 'invited' });
}

/** A host with a permanent password and no authenticator app yet. */
export async function createHostWithoutAuthenticator(options: {
  cognito: CognitoIdentityProviderClient;
  endpoints: Endpoints;
  email: string;
  tenantId: string;
  password: string;
}): Promise<void> {
  const { password, ...invitation } = options;
  await inviteHost({ ...invitation, role: 'manager', temporaryPassword: strongPassword() });
  await options.cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: options.endpoints.cognito.userPoolId,
      Username: options.email,
      Password: password,
      Permanent: true,
    }),
  );
}

/**
 * A six-digit code that the pool will refuse: none of the codes it accepts around now, nor around the next
 * step's start, should the code be sent after the 30 s step it was made in has ended.
 */
export function wrongCodeFor(secret: string): string {
  const totp = totpFor(secret);
  const now = Date.now();
  const accepted = new Set([-1, 0, 1, 2].map((step) => totp.generate({ timestamp: now + step * 30_000 })));
  let candidate = 123456;
  while (accepted.has(String(candidate).padStart(6, '0'))) candidate += 1;
  return String(candidate).padStart(6, '0');
}

/**
 * The password-reset code cognito-local "emailed": it prints every delivery to its log, which the local cloud
 * keeps in the state folder. Waits for it to be written.
 */
export async function resetCodeFromLog(options: { stateDir: string; email: string }): Promise<string> {
  const { stateDir, email } = options;
  const escaped = email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`Destination:\\s*${escaped}[\\s\\S]*?Code:\\s*(\\d{6})`, 'g');
  // Generous: cognito-local's log reaches its file through a pipe, later on a busy machine.
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const log = await readFile(join(stateDir, 'logs', 'cognito.log'), 'utf8').catch(() => '');
    const code = [...log.matchAll(pattern)].at(-1)?.[1];
    if (code) return code;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`No reset code for ${email} in cognito-local's log`);
}
