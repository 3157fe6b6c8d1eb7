/**
 * `Idempotency-Key` on the POSTs that create something, with Powertools idempotency: the first request with a
 * key runs and its answer is stored; a repeat with the same key and the same body gets the stored answer (marked
 * `idempotent-replayed: true`) and creates nothing; the same key with another body is refused (409), as is a
 * repeat while the first is still running. A request that fails stores nothing, so it can be retried with its key.
 *
 * Records live in the single table under the tenant (`pk = T#{tenantId}#IDEMPOTENCY`, `sk` = the hashed
 * route and key, `expiresAt` the table's TTL), so one tenant's keys never answer another's requests.
 */
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { z } from 'zod';
import { tenantKey } from '#shared/adapters/dynamo/keys.ts';
import { ConflictError, InvalidInputError } from '#shared/domain/errors.ts';
import type { HttpResult } from '#shared/http/middleware.ts';
import { rawBody } from '#shared/http/request.ts';

export const idempotencyKeyHeader = 'idempotency-key';

/** How long a key is remembered: a client retrying a day later has long given up on the first answer. */
export const idempotencyWindowSeconds = 24 * 60 * 60;

const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, 'Must be 1-255 printable ASCII characters without spaces, e.g. a UUID');

/** The store of one tenant's idempotency records. */
export type IdempotencyStores = (tenantId: string) => BasePersistenceLayer;

export function dynamoIdempotencyStores({
  client,
  tableName,
}: {
  client: DynamoDBClient;
  tableName: string;
}): IdempotencyStores {
  return (tenantId) =>
    new DynamoDBPersistenceLayer({
      tableName,
      awsSdkV3Client: client,
      keyAttr: 'pk',
      sortKeyAttr: 'sk',
      expiryAttr: 'expiresAt',
      staticPkValue: tenantKey(tenantId, 'IDEMPOTENCY'),
    });
}

function bodyOf(event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded' | 'headers'>): unknown {
  const text = rawBody(event).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Runs `create` once per tenant, route and `Idempotency-Key`; without the header it simply runs. The answer of
 * `create` is what is stored and replayed, so it must hold nothing that may not be kept (see lock registration).
 */
export async function createOnce({
  event,
  context,
  tenantId,
  stores,
  create,
}: {
  event: APIGatewayProxyEventV2;
  context: Context;
  tenantId: string;
  stores: IdempotencyStores;
  create: () => Promise<HttpResult>;
}): Promise<HttpResult> {
  const header = event.headers?.[idempotencyKeyHeader];
  if (header === undefined) return create();
  const parsed = idempotencyKeySchema.safeParse(header);
  if (!parsed.success) {
    throw new InvalidInputError('The Idempotency-Key header is not valid', [
      { field: `headers.${idempotencyKeyHeader}`, message: parsed.error.issues[0]?.message ?? 'Not valid' },
    ]);
  }
  const config = new IdempotencyConfig({
    eventKeyJmesPath: '[tenantId, routeKey, key]',
    payloadValidationJmesPath: 'body',
    expiresAfterSeconds: idempotencyWindowSeconds,
    responseHook: (response) => {
      const result = response as HttpResult;
      return { ...result, headers: { ...result.headers, 'idempotent-replayed': 'true' } } as never;
    },
  });
  config.registerLambdaContext(context);
  const once = makeIdempotent(async (_request: Record<string, unknown>) => create(), {
    persistenceStore: stores(tenantId),
    config,
    keyPrefix: event.routeKey,
  });
  try {
    return await once({ tenantId, routeKey: event.routeKey, key: parsed.data, body: bodyOf(event) });
  } catch (error) {
    if (error instanceof IdempotencyValidationError) {
      throw new ConflictError(
        'This Idempotency-Key was used with another body; use a new key for a new request',
      );
    }
    if (error instanceof IdempotencyAlreadyInProgressError) {
      throw new ConflictError('A request with this Idempotency-Key is still being processed; retry shortly');
    }
    throw error;
  }
}
