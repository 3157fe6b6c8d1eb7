/**
 * The HTTP API: exactly the routes of the shared route table (the local gateway serves the same table), each
 * integrated with the function it names; `host` routes behind a JWT authorizer that trusts only tokens the
 * Lockstay user pool issued to the host app client. One `$default` stage with access logs and throttling.
 */
import { CfnOutput, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  type HttpRoute,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
  type ThrottleSettings,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPoolClient, UserPool } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionName } from '../functions.ts';
import { type RouteAuth, type RouteDefinition, routeKey } from '../routes.ts';

/**
 * One JSON line per request. The route key (`GET /guest/{token}`) is logged instead of the path, because some
 * paths carry a credential (a guest link's token) that must not land in logs.
 */
const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTimeEpoch',
    sourceIp: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    routeKey: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatencyMs: '$context.responseLatency',
    integrationLatencyMs: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
    subject: '$context.authorizer.claims.sub',
  }),
);

export interface ApiProps {
  /** The route table; one route per entry. */
  readonly routes: readonly RouteDefinition[];
  /** The function of each name a route may refer to. */
  readonly handlers: Readonly<Record<FunctionName, IFunction>>;
  /** Issuer of the tokens `host` routes accept. */
  readonly userPool: UserPool;
  /** The app client the tokens must have been issued to (their audience). */
  readonly userPoolClient: IUserPoolClient;
  /**
   * Steady-state requests per second and burst, for every route of the stage.
   * @default { rateLimit: 100, burstLimit: 200 }
   */
  readonly throttle?: ThrottleSettings;
  /**
   * How long access log events are kept.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly accessLogRetention?: RetentionDays;
}

export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  /** Every route, by route key (`GET /me`). */
  readonly routes: ReadonlyMap<string, HttpRoute>;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const {
      routes,
      handlers,
      userPool,
      userPoolClient,
      throttle = { rateLimit: 100, burstLimit: 200 },
      accessLogRetention = RetentionDays.THREE_MONTHS,
    } = props;

    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Lockstay HTTP API',
      createDefaultStage: false,
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: accessLogRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      autoDeploy: true,
      throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: accessLogFormat,
      },
    });

    const authorizers: Record<RouteAuth, IHttpRouteAuthorizer> = {
      public: new HttpNoneAuthorizer(),
      host: new HttpJwtAuthorizer('HostAuthorizer', userPool.userPoolProviderUrl, {
        jwtAudience: [userPoolClient.userPoolClientId],
      }),
    };
    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    const integrationOf = (name: FunctionName): HttpLambdaIntegration => {
      const existing = integrations.get(name);
      if (existing) return existing;
      const integration = new HttpLambdaIntegration(`${name}Integration`, handlers[name]);
      integrations.set(name, integration);
      return integration;
    };

    const byKey = new Map<string, HttpRoute>();
    for (const route of routes) {
      const [httpRoute] = this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrationOf(route.function),
        authorizer: authorizers[route.auth],
      });
      if (!httpRoute) throw new Error(`No route was created for ${routeKey(route)}`);
      if (route.auth === 'public') {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'Public by design in the route table: callers without an account (probes, guests, webhooks)',
        });
      }
      byKey.set(routeKey(route), httpRoute);
    }
    this.routes = byKey;

    new CfnOutput(this, 'Url', {
      key: 'ApiUrl',
      description: 'Base URL of the Lockstay HTTP API',
      value: this.stage.url,
    });
  }
}
