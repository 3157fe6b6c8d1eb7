/**
 * The user pool's password rules, from the same definition the pool is built from, so the page checks a new
 * password exactly as the pool will and lists the rules before the host types.
 */
import { userPoolDefinition } from '#infra/user-pool-definition.ts';

export interface PasswordRule {
  readonly description: string;
  readonly isMet: (password: string) => boolean;
}

const policy = userPoolDefinition.passwordPolicy;

export const passwordRules: readonly PasswordRule[] = [
  {
    description: `At least ${policy.minimumLength} characters`,
    isMet: (password) => password.length >= policy.minimumLength,
  },
  ...(policy.requireLowercase
    ? [{ description: 'A lowercase letter', isMet: (password: string) => /[a-z]/.test(password) }]
    : []),
  ...(policy.requireUppercase
    ? [{ description: 'An uppercase letter', isMet: (password: string) => /[A-Z]/.test(password) }]
    : []),
  ...(policy.requireDigits
    ? [{ description: 'A digit', isMet: (password: string) => /\d/.test(password) }]
    : []),
  ...(policy.requireSymbols
    ? [
        {
          description: 'A symbol such as ! ? # or -',
          isMet: (password: string) => /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+-]/.test(password),
        },
      ]
    : []),
];

/** The rules a password does not meet yet; empty when it may be used. */
export const unmetRules = (password: string): readonly PasswordRule[] =>
  passwordRules.filter((rule) => !rule.isMet(password));
