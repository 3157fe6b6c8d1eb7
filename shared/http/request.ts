/**
 * Reading an API request at the edge: the JSON body, the query string and the path parameters, each checked
 * against its zod schema. Bad input becomes the domain's typed errors (415 for a body that is not JSON, 413
 * for one that is too large, 400 naming every failing field), so that no handler parses by hand or with a cast.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { InvalidInputError, PayloadTooLargeError, UnsupportedMediaTypeError } from '#shared/domain/errors.ts';
import { problemsOf } from '#shared/domain/validation.ts';

/** Bodies of the host API are small documents; anything larger is a mistake or an attack. */
export const maxJsonBodyBytes = 64 * 1024;

type RequestParts = Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded' | 'headers'>;

const prefixed = (prefix: string, error: z.ZodError) =>
  problemsOf(error).map((problem) => ({
    ...problem,
    field: problem.field === '(root)' ? prefix : `${prefix}.${problem.field}`,
  }));

/** The raw body as sent, decoding API Gateway's base64 when it used it. */
export function rawBody(event: RequestParts): Buffer {
  if (event.body === undefined) return Buffer.alloc(0);
  return Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
}

export function parseJsonBody<Schema extends z.ZodType>(
  event: RequestParts,
  schema: Schema,
): z.output<Schema> {
  const contentType = event.headers?.['content-type'] ?? '';
  if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(contentType)) {
    throw new UnsupportedMediaTypeError('Send the body as JSON, with "Content-Type: application/json".');
  }
  const raw = rawBody(event);
  if (raw.length > maxJsonBodyBytes) {
    throw new PayloadTooLargeError(
      `The body is ${raw.length} bytes; at most ${maxJsonBodyBytes} are accepted.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new InvalidInputError('The body is not valid JSON', [{ field: 'body', message: 'Not valid JSON' }]);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new InvalidInputError('The body is not valid', prefixed('body', parsed.error));
  return parsed.data;
}

export function parseQuery<Schema extends z.ZodType>(
  event: Pick<APIGatewayProxyEventV2, 'queryStringParameters'>,
  schema: Schema,
): z.output<Schema> {
  const parsed = schema.safeParse(event.queryStringParameters ?? {});
  if (!parsed.success) throw new InvalidInputError('The query is not valid', prefixed('query', parsed.error));
  return parsed.data;
}

export function parsePathParameters<Schema extends z.ZodType>(
  event: Pick<APIGatewayProxyEventV2, 'pathParameters'>,
  schema: Schema,
): z.output<Schema> {
  const parsed = schema.safeParse(event.pathParameters ?? {});
  if (!parsed.success) throw new InvalidInputError('The path is not valid', prefixed('path', parsed.error));
  return parsed.data;
}
