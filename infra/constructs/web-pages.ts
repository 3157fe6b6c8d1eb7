/**
 * The web pages in AWS: a private S3 bucket behind one CloudFront distribution (origin access control, HTTPS
 * only) serving the host console at `/console/` and the guest page at `/stay/`, with the same response headers
 * the local gateway sends (the guest page's strict CSP and `Referrer-Policy: no-referrer` come from
 * infra/guest-page.ts, the one definition both use). The guest page calls its API on its own origin
 * (`/guest/...`, CSP `connect-src 'self'`), so that path is passed through to the HTTP API uncached, with the
 * viewer's address (`CloudFront-Viewer-Address`, for the guest API's rate limit) and a secret header that tells
 * the API the request came through the distribution, so it may believe that address.
 *
 * The console is built by `cdk synth` itself (Vite, a few seconds) and deployed with its runtime `config.json`,
 * whose values (API URL, user pool, app client) are resolved at deployment.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  AssetHashType,
  Aws,
  CfnOutput,
  DockerImage,
  Duration,
  RemovalPolicy,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestCookieBehavior,
  OriginRequestHeaderBehavior,
  OriginRequestPolicy,
  OriginRequestQueryStringBehavior,
  PriceClass,
  ResponseHeadersPolicy,
  type ResponseHeadersPolicyProps,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { edgeSecretHeader } from '#shared/http/viewer-address.ts';
import { guestPageFolder, guestPageHeaders } from '../guest-page.ts';
import { projectRoot } from './lockstay-function.ts';
import { wildcardResourceFinding } from './nag.ts';

/** Where each page lives under the distribution (and under the bucket). */
export const pagePaths = { console: 'console', guest: 'stay' } as const;

/** What the console's `config.json` holds in AWS (see web/console/src/config.ts). */
export interface ConsoleSettings {
  readonly apiUrl: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
}

export interface WebPagesProps {
  /** The console's runtime settings, usually tokens of the API and the user pool. */
  readonly console: ConsoleSettings;
  /** The HTTP API's id: `/guest/*` on the pages' origin is passed to it. */
  readonly httpApiId: string;
}

/**
 * The guest page's headers as a CloudFront response headers policy: exactly the record the local gateway sends,
 * so the two cannot drift. Fails synthesis on a header this mapping does not know.
 */
export function guestPageHeadersPolicy(): ResponseHeadersPolicyProps {
  const known = new Set([
    'content-security-policy',
    'referrer-policy',
    'x-content-type-options',
    'cache-control',
  ]);
  const unknown = Object.keys(guestPageHeaders).filter((name) => !known.has(name));
  if (unknown.length > 0)
    throw new Error(`No CloudFront mapping for guest page headers: ${unknown.join(', ')}`);
  if (guestPageHeaders['referrer-policy'] !== 'no-referrer') {
    throw new Error('The guest page must be served with Referrer-Policy: no-referrer');
  }
  const csp = guestPageHeaders['content-security-policy'];
  if (!csp) throw new Error('The guest page has no Content-Security-Policy');
  return {
    comment: 'Lockstay guest page: strict CSP, no referrer, no framing',
    securityHeadersBehavior: {
      contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
      referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
      strictTransportSecurity: {
        accessControlMaxAge: Duration.days(365),
        includeSubdomains: true,
        override: true,
      },
    },
    customHeadersBehavior: {
      customHeaders: guestPageHeaders['cache-control']
        ? [{ header: 'Cache-Control', value: guestPageHeaders['cache-control'], override: true }]
        : [],
    },
  };
}

/**
 * Directory indexes and the bare root, which an S3 REST origin does not resolve: `/stay/` is the guest page
 * (guest links are `/stay/#<token>`), `/console/` the console, `/` goes to the console.
 */
const indexRewrite = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/') {
    return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: '/${pagePaths.console}/' } } };
  }
  if (uri === '/${pagePaths.console}' || uri === '/${pagePaths.guest}') {
    return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: uri + '/' } } };
  }
  if (uri.charAt(uri.length - 1) === '/') request.uri = uri + 'index.html';
  return request;
}`;

/**
 * The findings of the CDK's own BucketDeployment provider (one per stack, shared by both deployments): the
 * grants it makes itself to copy the built pages from the CDK assets bucket into the pages bucket.
 */
function acknowledgeDeploymentProvider({
  scope,
  bucket,
  role,
}: {
  scope: Construct;
  bucket: Bucket;
  role: Role;
}): void {
  const stack = Stack.of(scope);
  const provider = stack.node.children.find((child) =>
    child.node.id.startsWith('Custom::CDKBucketDeployment'),
  );
  if (!provider) throw new Error('No BucketDeployment provider in the stack');
  Validations.of(provider).acknowledge({
    id: 'AwsSolutions-L1',
    reason: "The CDK's deployment provider picks its own runtime, updated with aws-cdk-lib",
  });
  const ack = (id: string, reason: string) => Validations.of(role).acknowledge({ id, reason });
  for (const action of ['s3:Abort*', 's3:DeleteObject*', 's3:GetBucket*', 's3:GetObject*', 's3:List*']) {
    ack(
      `AwsSolutions-IAM5[Action::${action}]`,
      'Read and write grants of the pages bucket and the assets bucket, as the deployment copies pages',
    );
  }
  ack(
    wildcardResourceFinding(scope, `${bucket.bucketArn}/*`),
    'The deployment replaces every page in the pages bucket, whose objects have build-made names',
  );
  ack(
    wildcardResourceFinding(
      scope,
      `arn:${stack.partition}:s3:::cdk-hnb659fds-assets-${stack.account}-${stack.region}/*`,
    ),
    'The deployment reads the built pages from the CDK assets bucket, whose keys are content hashes',
  );
}

export class WebPages extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  /** `https://<distribution domain>`: the pages' public origin (PAGES_ORIGIN). */
  readonly origin: string;
  /**
   * The value CloudFront sends in the secret origin header of the guest API's requests (PAGES_EDGE_SECRET), so
   * that API knows a request came through the distribution and may believe the viewer address it reports.
   */
  readonly edgeSecret: Secret;

  constructor(scope: Construct, id: string, props: WebPagesProps) {
    super(scope, id);
    const { console: settings, httpApiId } = props;

    // Server access logs of the pages bucket and the distribution's standard logs; CloudFront's standard
    // logging writes with an ACL, hence object ownership "bucket owner preferred". Kept: they are records.
    this.logBucket = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access log bucket; logging its own accesses into itself would loop',
    });

    // Not versioned: every object is build output, deployed again from the repository and pruned on each
    // deployment; versions would only keep stale pages. Deleted with the stack, for the same reason: the
    // deployments below take their pages out first (`retainOnDelete: false`), which leaves it empty.
    this.bucket = new Bucket(this, 'Pages', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'pages-bucket/',
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const pagesOrigin = S3BucketOrigin.withOriginAccessControl(this.bucket);
    const indexes = new EdgeFunction(this, 'DirectoryIndexes', {
      code: FunctionCode.fromInline(indexRewrite),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Lockstay pages: directory indexes and the root',
    });
    const functionAssociations = [{ function: indexes, eventType: FunctionEventType.VIEWER_REQUEST }];
    const guestHeaders = new ResponseHeadersPolicy(this, 'GuestPageHeaders', guestPageHeadersPolicy());
    const consoleHeaders = new ResponseHeadersPolicy(this, 'ConsoleHeaders', {
      comment: 'Lockstay console: no framing, no referrer; its page carries its own CSP',
      securityHeadersBehavior: {
        // Adds to the CSP of the console's page: what a <meta> policy cannot say.
        contentSecurityPolicy: {
          contentSecurityPolicy: "frame-ancestors 'none'; object-src 'none'; base-uri 'none'",
          override: true,
        },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
      },
    });

    this.edgeSecret = new Secret(this, 'EdgeSecret', {
      description:
        'Sent by the pages distribution with each guest API request, so the API believes its viewer address',
      generateSecretString: { excludePunctuation: true, passwordLength: 48 },
    });
    Validations.of(this.edgeSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Read by CloudFront and the guest function at deployment only; it is rotated by replacing it and deploying',
    });
    // Only what the guest API reads: the page's Origin (the unlock's cross-site check), the body's type, the
    // language, the query (`?wait=`) and the viewer's address CloudFront adds. Not Host: API Gateway needs its own.
    const guestApiRequests = new OriginRequestPolicy(this, 'GuestApiRequests', {
      comment: 'Lockstay guest API: the page Origin, the body type and the viewer address',
      headerBehavior: OriginRequestHeaderBehavior.allowList(
        'Origin',
        'Content-Type',
        'Accept',
        'Accept-Language',
        'CloudFront-Viewer-Address',
      ),
      queryStringBehavior: OriginRequestQueryStringBehavior.all(),
      cookieBehavior: OriginRequestCookieBehavior.none(),
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Lockstay pages: the host console and the guest page',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'distribution/',
      defaultBehavior: {
        origin: pagesOrigin,
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: consoleHeaders,
        functionAssociations,
      },
      additionalBehaviors: {
        [`/${pagePaths.guest}/*`]: {
          origin: pagesOrigin,
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: CachePolicy.CACHING_OPTIMIZED,
          responseHeadersPolicy: guestHeaders,
          functionAssociations,
        },
        // The guest page's API on its own origin: never cached, every method, the headers it reads (above),
        // and the secret header that vouches for the viewer address.
        '/guest/*': {
          origin: new HttpOrigin(`${httpApiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`, {
            protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
            customHeaders: { [edgeSecretHeader]: this.edgeSecret.secretValue.unsafeUnwrap() },
          }),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: guestApiRequests,
          responseHeadersPolicy: guestHeaders,
        },
      },
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'The default *.cloudfront.net certificate cannot be held to TLS 1.2; the policy above applies once a custom domain is set',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'Guests travel from anywhere: the pages are not restricted by country',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'Static pages and a guest API that rate-limits itself per link and address; a WAF web ACL is an operator choice',
    });
    this.origin = `https://${this.distribution.distributionDomainName}`;

    const consoleSource = Source.asset(join(projectRoot, 'web', 'console'), {
      // The build also reads shared/ (the domain's rules), so its output, not web/console, says what changed.
      assetHashType: AssetHashType.OUTPUT,
      exclude: ['dist', 'node_modules'],
      bundling: {
        // Never used: the local build below always runs (no Docker needed), but the CDK asks for an image.
        image: DockerImage.fromRegistry('node:24-alpine'),
        local: {
          tryBundle(outputDir) {
            // Vite, run by the Node that runs the CDK app; a few seconds.
            execFileSync(process.execPath, [join(projectRoot, 'web', 'console', 'build.ts'), outputDir], {
              cwd: projectRoot,
              stdio: ['ignore', 'ignore', 'inherit'],
            });
            return true;
          },
        },
      },
    });
    // The deployments' own role and log group, in place of the managed AWSLambdaBasicExecutionRole, which
    // would let them write to any log group of the account.
    const deploymentLogs = new LogGroup(this, 'DeploymentLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const deploymentRole = new Role(this, 'DeploymentRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Copies the built web pages into the pages bucket at deployment',
    });
    deploymentLogs.grantWrite(deploymentRole);
    const deploymentSettings = {
      destinationBucket: this.bucket,
      // Every page is revalidated (an ETag round trip): CloudFront keeps an answer marked no-cache for its
      // minimum TTL (one second) only, so a deployment is seen at once without invalidations.
      cacheControl: [CacheControl.noCache()],
      retainOnDelete: false,
      role: deploymentRole,
      logGroup: deploymentLogs,
    };
    const consoleDeployment = new BucketDeployment(this, 'ConsoleDeployment', {
      destinationKeyPrefix: `${pagePaths.console}/`,
      sources: [
        consoleSource,
        Source.jsonData('config.json', {
          apiUrl: settings.apiUrl,
          region: Aws.REGION,
          cognito: {
            endpoint: `https://cognito-idp.${Aws.REGION}.${Aws.URL_SUFFIX}/`,
            userPoolId: settings.userPoolId,
            clientId: settings.userPoolClientId,
          },
        }),
      ],
      ...deploymentSettings,
    });
    const guestDeployment = new BucketDeployment(this, 'GuestPageDeployment', {
      destinationKeyPrefix: `${pagePaths.guest}/`,
      sources: [Source.asset(join(projectRoot, guestPageFolder))],
      ...deploymentSettings,
    });
    for (const deployment of [consoleDeployment, guestDeployment]) deployment.node.addDependency(this.bucket);
    acknowledgeDeploymentProvider({ scope: this, bucket: this.bucket, role: deploymentRole });

    new CfnOutput(this, 'ConsoleUrl', {
      key: 'ConsoleUrl',
      description: 'The host console',
      value: `${this.origin}/${pagePaths.console}/`,
    });
    new CfnOutput(this, 'PagesOrigin', {
      key: 'PagesOrigin',
      description: 'The public origin of the web pages (guest links start with it)',
      value: this.origin,
    });
  }
}
