/**
 * CORS of the HTTP API for the web pages' origin only: the console calls the API from the CloudFront origin.
 *
 * Set after both exist, by a deployment-time call (UpdateApi), instead of on the API resource itself: the
 * distribution passes `/guest/*` to the API (so it names the API), and the API's CORS would name the
 * distribution, a dependency cycle CloudFormation refuses. Removed again when the stack goes.
 */
import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  AwsCustomResource,
  AwsCustomResourcePolicy,
  type AwsSdkCall,
  PhysicalResourceId,
} from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/** What a cross-origin caller of the host API sends and reads. */
export const corsRules = {
  allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
  // The audit log's CSV export names its file and, when long, where it goes on.
  exposeHeaders: ['location', 'retry-after', 'content-disposition', 'link'],
  maxAgeSeconds: 600,
} as const;

export interface ApiCorsProps {
  readonly httpApi: IHttpApi;
  /** The only origins allowed, e.g. `https://d1234.cloudfront.net`. */
  readonly allowOrigins: readonly string[];
}

export class ApiCors extends Construct {
  readonly resource: AwsCustomResource;

  constructor(scope: Construct, id: string, props: ApiCorsProps) {
    super(scope, id);
    const { httpApi, allowOrigins } = props;
    const apiArn = `arn:${Aws.PARTITION}:apigateway:${Aws.REGION}::/apis/${httpApi.apiId}`;
    const update: AwsSdkCall = {
      service: 'ApiGatewayV2',
      action: 'UpdateApi',
      parameters: {
        ApiId: httpApi.apiId,
        CorsConfiguration: {
          AllowOrigins: [...allowOrigins],
          AllowMethods: [...corsRules.allowMethods],
          AllowHeaders: [...corsRules.allowHeaders],
          ExposeHeaders: [...corsRules.exposeHeaders],
          MaxAge: corsRules.maxAgeSeconds,
        },
      },
      physicalResourceId: PhysicalResourceId.of(`${httpApi.apiId}-cors`),
    };
    // Its own role and log group, in place of the managed AWSLambdaBasicExecutionRole (any log group).
    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: "Sets the HTTP API's CORS rules at deployment",
    });
    logGroup.grantWrite(role);
    this.resource = new AwsCustomResource(this, 'Rules', {
      onCreate: update,
      onUpdate: update,
      onDelete: {
        service: 'ApiGatewayV2',
        action: 'DeleteCorsConfiguration',
        parameters: { ApiId: httpApi.apiId },
        ignoreErrorCodesMatching: 'NotFoundException',
      },
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({ actions: ['apigateway:PATCH'], resources: [apiArn] }),
        new PolicyStatement({ actions: ['apigateway:DELETE'], resources: [`${apiArn}/cors`] }),
      ]),
      installLatestAwsSdk: false,
      role,
      logGroup,
    });
  }
}
