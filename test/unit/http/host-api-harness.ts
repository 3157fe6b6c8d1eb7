/**
 * Calling the host API's handlers as API Gateway would, with the domain's in-memory ports and an in-memory
 * idempotency store: no network. `call('POST /bookings', { as: owner, body })` answers status, headers and the
 * parsed body; the route's documented schema for that status is available to check the answer against.
 */
import {
  IdempotencyItemAlreadyExistsError,
  IdempotencyItemNotFoundError,
} from '@aws-lambda-powertools/idempotency';
import { BasePersistenceLayer, type IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { type HostRoutes, hostApiHandler } from '#functions/commons/host-api.ts';
import { auditRoutes } from '#functions/http/api/audit.ts';
import { bookingRoutes, bookingRoutesWith } from '#functions/http/api/bookings.ts';
import { commandRoutes } from '#functions/http/api/commands.ts';
import { grantRoutes, grantRoutesWith } from '#functions/http/api/grants.ts';
import { integrationRoutes } from '#functions/http/api/integrations.ts';
import { lockRoutes } from '#functions/http/api/locks.ts';
import { propertyRoutes, propertyRoutesWith } from '#functions/http/api/properties.ts';
import { settingsRoutes } from '#functions/http/api/settings.ts';
import { teamRoutes } from '#functions/http/api/team.ts';
import { todayRoutes } from '#functions/http/api/today.ts';
import { type RouteDefinition, routes } from '#infra/routes.ts';
import type { OfflineCodeReader } from '#shared/access/offline-code-issuance.ts';
import type { LockCondition } from '#shared/access/ports.ts';
import type { HttpResult } from '#shared/http/middleware.ts';
import { FakeConditions, FakeTenantSettings } from '../access/access-fakes.ts';
import { unlockPortsFor } from '../access/remote-unlock-fakes.ts';
import { type TestWorld, testWorld } from '../domain/fakes.ts';
import {
  InMemoryGuestEmailLog,
  InMemoryGuestLinks,
  RecordingMailSender,
} from '../guests/guest-email-fakes.ts';
import { integrationServicesFor } from '../integrations/integration-fakes.ts';

export class InMemoryIdempotencyStore extends BasePersistenceLayer {
  readonly records: Map<string, IdempotencyRecord>;
  constructor(records: Map<string, IdempotencyRecord>) {
    super();
    this.records = records;
  }
  protected async _getRecord(idempotencyKey: string): Promise<IdempotencyRecord> {
    const record = this.records.get(idempotencyKey);
    if (!record) throw new IdempotencyItemNotFoundError();
    return record;
  }
  protected async _putRecord(record: IdempotencyRecord): Promise<void> {
    const existing = this.records.get(record.idempotencyKey);
    if (existing && !existing.isExpired()) throw new IdempotencyItemAlreadyExistsError('exists', existing);
    this.records.set(record.idempotencyKey, record);
  }
  protected async _updateRecord(record: IdempotencyRecord): Promise<void> {
    this.records.set(record.idempotencyKey, record);
  }
  protected async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    this.records.delete(record.idempotencyKey);
  }
}

/** Every route of the host API, as the catalogue's functions serve them. */
export const hostRoutes: HostRoutes = {
  ...propertyRoutes,
  ...bookingRoutes,
  ...grantRoutes,
  ...teamRoutes,
  ...auditRoutes,
};

export interface Caller {
  readonly tenantId: string;
  readonly userId: string;
  readonly role?: string;
}

export interface CallOptions {
  /** Absent: no verified claims at all. */
  readonly as?: Caller;
  readonly path?: Record<string, string>;
  readonly query?: Record<string, string>;
  /** An object is sent as JSON; a string as it is. */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: answers are read as JSON by the specifications
  readonly body: any;
}

const lambdaContext = {
  functionName: 'hostApi',
  awsRequestId: 'request-1',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

export function routeOf(key: string): RouteDefinition {
  const route = routes.find((candidate) => `${candidate.method} ${candidate.path}` === key);
  if (!route) throw new Error(`No route ${key}`);
  return route;
}

export interface HostApi extends TestWorld {
  call(key: string, options?: CallOptions): Promise<Answer>;
  readonly idempotencyRecords: Map<string, IdempotencyRecord>;
  /** The locks' reported conditions by lock id, as device events would have recorded them. */
  readonly conditions: Map<string, LockCondition>;
  /** The tenants' lock settings. */
  readonly settings: FakeTenantSettings;
}

export function hostApi({
  now,
  offlineCodes,
}: {
  now?: string;
  /** The grants' offline codes, for the bookings' and grants' routes that read them. */
  offlineCodes?: OfflineCodeReader;
} = {}): HostApi {
  const world = testWorld({ now });
  const idempotencyRecords = new Map<string, IdempotencyRecord>();
  const { unlockPorts, conditions } = unlockPortsFor(world);
  const integrations = integrationServicesFor(world);
  const settings = new FakeTenantSettings();
  const alertMarkers = new FakeConditions();
  const handler = hostApiHandler({
    routes: {
      ...hostRoutes,
      ...lockRoutes({ services: () => ({ conditions: unlockPorts.conditions }) }),
      ...settingsRoutes({
        services: () => ({
          settings,
          conditions: {
            get: unlockPorts.conditions.get,
            recordEventOnce: (marker) => alertMarkers.recordEventOnce(marker),
          },
        }),
      }),
      ...commandRoutes({ unlockPorts: () => unlockPorts }),
      ...integrationRoutes({ services: () => integrations }),
      ...propertyRoutesWith({ listings: () => integrations.store }),
      // Sending a guest's email again, as the bookings function serves it: to an in-memory mailbox.
      ...bookingRoutesWith({
        offlineCodes,
        guestEmailSending: () => ({
          ...world.ports,
          guestLinks: new InMemoryGuestLinks(),
          sends: new InMemoryGuestEmailLog(),
          mail: new RecordingMailSender(),
          pagesOrigin: 'https://stay.lockstay.test',
          offlineCodes: offlineCodes ?? { listByGrant: async () => [] },
        }),
      }),
      ...(offlineCodes === undefined ? {} : grantRoutesWith({ offlineCodes })),
      ...todayRoutes({
        services: () => ({
          conditions: unlockPorts.conditions,
          integrations: integrations.store,
          offlineCodes: { listByGrant: async () => [] },
        }),
      }),
    },
    services: { ports: world.ports, idempotency: () => new InMemoryIdempotencyStore(idempotencyRecords) },
  });

  async function call(key: string, options: CallOptions = {}): Promise<Answer> {
    const route = routeOf(key);
    let rawPath = route.path;
    for (const [name, value] of Object.entries(options.path ?? {}))
      rawPath = rawPath.replace(`{${name}}`, value);
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const claims = options.as
      ? {
          sub: options.as.userId,
          'custom:tenantId': options.as.tenantId,
          'custom:role': options.as.role ?? 'owner',
        }
      : undefined;
    const event = {
      version: '2.0',
      routeKey: key,
      rawPath,
      rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
      headers,
      isBase64Encoded: false,
      requestContext: {
        http: { method: route.method, path: rawPath },
        routeKey: key,
        ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
      },
      ...(options.path ? { pathParameters: options.path } : {}),
      ...(options.query ? { queryStringParameters: options.query } : {}),
      ...(body === undefined ? {} : { body }),
    } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
    const result = (await handler(event, lambdaContext)) as HttpResult;
    const answerHeaders = (result.headers ?? {}) as Record<string, string>;
    return {
      status: result.statusCode ?? 200,
      headers: answerHeaders,
      body: result.body ? JSON.parse(String(result.body)) : undefined,
    };
  }

  return { ...world, call, idempotencyRecords, conditions, settings };
}

/** The answer's body as the route table documents it for its status, or a failure naming the difference. */
// biome-ignore lint/suspicious/noExplicitAny: the documented schemas are ZodType; the specifications read fields
export function documented(key: string, answer: Answer): any {
  const schema = routeOf(key).docs.responses[answer.status]?.body;
  if (!schema) throw new Error(`${key} documents no body for ${answer.status}`);
  return schema.parse(answer.body);
}
