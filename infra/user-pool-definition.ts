/**
 * The host user pool, described once. The CDK stack builds the Cognito user pool from it and the local cloud
 * builds the cognito-local pool from it, so password rules, attributes and token lifetimes agree.
 */

export const userPoolDefinition = {
  passwordPolicy: {
    minimumLength: 12,
    requireLowercase: true,
    requireUppercase: true,
    requireDigits: true,
    requireSymbols: true,
    temporaryPasswordValidityDays: 3,
  },
  /**
   * Set only by the platform (admin API), never writable by the app client: the API trusts them only because
   * they arrive inside a token Cognito signed.
   */
  customAttributes: {
    tenantId: { minLength: 1, maxLength: 64 },
    role: { minLength: 1, maxLength: 16 },
  },
  tokenValidity: {
    accessTokenMinutes: 60,
    idTokenMinutes: 60,
    refreshTokenDays: 30,
  },
  /** Username is the email address, case-insensitive, as hosts expect. */
  signInWithEmail: true,
} as const;

export type CustomAttribute = keyof typeof userPoolDefinition.customAttributes;

export const customClaim = (attribute: CustomAttribute): `custom:${CustomAttribute}` => `custom:${attribute}`;
