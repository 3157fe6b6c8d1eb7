/**
 * The one way Lockstay builds a Lambda function: Node.js 24 on ARM64, bundled locally with esbuild into a
 * minified ES module with source maps, X-Ray tracing, its own log group with a retention, and the Powertools
 * settings every handler expects. Every function of the catalogue goes through here, so a fix to any of
 * these reaches all of them at once.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { FunctionDefinition } from '../functions.ts';

/** The repository root: handler entries in the function catalogue are relative to it. */
export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Bundles are ES modules, but a few dependencies (the X-Ray SDK under the Powertools tracer, for one) are
 * CommonJS and call `require` for Node built-ins; this gives them one.
 */
const requireShim =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * `<stack name>-<id>-<hash of the construct path>`, at most 64 characters: unique per stack, so two deployments
 * of the app under different stack names in one account and region do not collide.
 */
function nameAtSynthesis(scope: Construct, id: string): string {
  const hash = createHash('sha256').update(`${scope.node.path}/${id}`).digest('hex').slice(0, 8);
  return `${Stack.of(scope).stackName}-${id}`.slice(0, 64 - hash.length - 1).concat('-', hash);
}

export interface LockstayFunctionProps {
  /** The catalogue entry: handler module, description, timeout and memory. */
  readonly definition: FunctionDefinition;
  /**
   * Environment variables on top of the Powertools and source-map settings.
   * @default none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * How long the function's log events are kept.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * `POWERTOOLS_SERVICE_NAME`, the `service` of every log line, metric and trace.
   * @default 'lockstay'
   */
  readonly serviceName?: string;
  /**
   * `POWERTOOLS_METRICS_NAMESPACE`, the CloudWatch namespace of the function's metrics.
   * @default 'Lockstay'
   */
  readonly metricsNamespace?: string;
  /**
   * Give the function a name fixed at synthesis (unique to its place in the app) instead of one CloudFormation
   * generates. Only for a function that must know its own ARN through its environment, which CloudFormation
   * cannot resolve for a generated name (the function would depend on itself).
   * @default false
   */
  readonly nameKnownAtSynthesis?: boolean;
}

export class LockstayFunction extends NodejsFunction {
  /**
   * The ARN of the function as a value that does not refer to the function resource itself, so the function
   * may carry it in its own environment. Set only with `nameKnownAtSynthesis`.
   */
  readonly selfReferencingArn: string | undefined;

  constructor(scope: Construct, id: string, props: LockstayFunctionProps) {
    const {
      definition,
      environment = {},
      logRetention = RetentionDays.ONE_MONTH,
      serviceName = 'lockstay',
      metricsNamespace = 'Lockstay',
      nameKnownAtSynthesis = false,
    } = props;
    // Log group and role are created beside the function rather than inside it, because the function needs
    // them at construction. The role replaces the managed AWSLambdaBasicExecutionRole, which would let the
    // function write to any log group of the account; this one may write to its own only.
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: logRetention });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the Lockstay function ${id}`,
    });
    logGroup.grantWrite(role);
    const functionName = nameKnownAtSynthesis ? nameAtSynthesis(scope, id) : undefined;

    super(scope, id, {
      entry: `${projectRoot}${definition.entry}`,
      handler: 'handler',
      description: definition.description,
      ...(functionName === undefined ? {} : { functionName }),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      timeout: Duration.seconds(definition.timeoutSeconds ?? 10),
      memorySize: definition.memoryMb ?? 512,
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      projectRoot,
      depsLockFilePath: `${projectRoot}package-lock.json`,
      environment: {
        POWERTOOLS_SERVICE_NAME: serviceName,
        POWERTOOLS_METRICS_NAMESPACE: metricsNamespace,
        NODE_OPTIONS: '--enable-source-maps',
        ...environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.EXTERNAL,
        sourcesContent: false,
        // ESM entry points of dependencies first, so that tree shaking has something to work with.
        mainFields: ['module', 'main'],
        banner: requireShim,
      },
    });

    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords have no resource type',
    });

    this.selfReferencingArn =
      functionName === undefined
        ? undefined
        : Stack.of(this).formatArn({
            service: 'lambda',
            resource: 'function',
            resourceName: functionName,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          });
  }
}
