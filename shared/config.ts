/**
 * Configuration comes from the environment, read once per module and checked at once, so a missing variable
 * fails the cold start with its name instead of failing some request later.
 */

export class MissingConfigurationError extends Error {
  readonly variable: string;
  constructor(variable: string) {
    super(`Environment variable ${variable} is not set`);
    this.variable = variable;
  }
}

export function requireEnv(variable: string): string {
  const value = process.env[variable];
  if (value === undefined || value === '') throw new MissingConfigurationError(variable);
  return value;
}

export function optionalEnv(variable: string): string | undefined {
  const value = process.env[variable];
  return value === undefined || value === '' ? undefined : value;
}

/** The environment variables through which the platform names its resources to a function. */
export const resourceVariables = {
  table: 'TABLE_NAME',
  userPoolId: 'USER_POOL_ID',
  userPoolClientId: 'USER_POOL_CLIENT_ID',
  mailFrom: 'MAIL_FROM',
  /**
   * The public origin that serves the web pages: the console at `/console/` and the guest page at `/stay/`
   * (CloudFront in AWS, the gateway locally). Guest links point there; the guest API admits its Origin.
   */
  pagesOrigin: 'PAGES_ORIGIN',
  /**
   * The value of the secret header CloudFront adds when it passes `/guest/*` to the API, so the guest API may
   * believe the viewer address CloudFront reports (AWS only).
   */
  pagesEdgeSecret: 'PAGES_EDGE_SECRET',
  schedulerGroup: 'SCHEDULE_GROUP_NAME',
  schedulerRoleArn: 'SCHEDULER_ROLE_ARN',
  scheduledTaskFunctionArn: 'SCHEDULED_TASK_FUNCTION_ARN',
  schedulerDeadLetterQueueArn: 'SCHEDULER_DEAD_LETTER_QUEUE_ARN',
  /** The AWS IoT policy every lock certificate gets. */
  iotLockPolicyName: 'IOT_LOCK_POLICY_NAME',
  /** The KMS key that seals device keys in the table. */
  deviceKeyKmsKeyId: 'DEVICE_KEY_KMS_KEY_ID',
  /** Local cloud only: its IoT Core's provisioning twin, in place of AWS IoT's certificate API. */
  localIotProvisioningUrl: 'LOCKSTAY_LOCAL_IOT_PROVISIONING_URL',
  /** Local cloud only: base64 of the 32-byte key that seals device keys, in place of KMS. */
  localSealingKey: 'LOCKSTAY_LOCAL_SEALING_KEY',
} as const;
