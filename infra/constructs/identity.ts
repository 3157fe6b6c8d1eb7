/**
 * Who may sign in as a host: the Cognito user pool, shaped by the shared user-pool definition (the same one
 * cognito-local is built from), and the app client the host pages sign in through. Owners invite their team,
 * nobody signs up alone; every host uses a TOTP authenticator; tenant and role are set by the platform only,
 * so that a token's claims can be trusted.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StringAttribute,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { userPoolDefinition } from '../user-pool-definition.ts';

type UserPoolDefinition = typeof userPoolDefinition;

export interface IdentityProps {
  /**
   * Password rules, custom attributes and token lifetimes.
   * @default the shared user-pool definition
   */
  readonly definition?: UserPoolDefinition;
}

export class Identity extends Construct {
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;

  constructor(scope: Construct, id: string, props: IdentityProps = {}) {
    super(scope, id);
    const { definition = userPoolDefinition } = props;
    const { passwordPolicy, customAttributes, tokenValidity } = definition;

    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: definition.signInWithEmail, username: !definition.signInWithEmail },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: {
        // A host never moves to another tenant; making it immutable means not even an admin call can.
        tenantId: new StringAttribute({
          minLen: customAttributes.tenantId.minLength,
          maxLen: customAttributes.tenantId.maxLength,
          mutable: false,
        }),
        // Owners promote and demote their team.
        role: new StringAttribute({
          minLen: customAttributes.role.minLength,
          maxLen: customAttributes.role.maxLength,
          mutable: true,
        }),
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false, email: false },
      passwordPolicy: {
        minLength: passwordPolicy.minimumLength,
        requireLowercase: passwordPolicy.requireLowercase,
        requireUppercase: passwordPolicy.requireUppercase,
        requireDigits: passwordPolicy.requireDigits,
        requireSymbols: passwordPolicy.requireSymbols,
        tempPasswordValidity: Duration.days(passwordPolicy.temporaryPasswordValidityDays),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'Plus plan (threat protection) is billed per active user; TOTP is already required of every host',
    });

    this.userPoolClient = this.userPool.addClient('HostClient', {
      generateSecret: false,
      authFlows: { userSrp: true, userPassword: true },
      // The pages sign in through the Cognito API, not the hosted UI.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.minutes(tokenValidity.accessTokenMinutes),
      idTokenValidity: Duration.minutes(tokenValidity.idTokenMinutes),
      refreshTokenValidity: Duration.days(tokenValidity.refreshTokenDays),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes(...Object.keys(customAttributes)),
      // Deliberately without tenantId and role: only the platform's admin calls may set them.
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true, fullname: true }),
    });
  }
}
