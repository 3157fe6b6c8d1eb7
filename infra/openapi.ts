/**
 * The OpenAPI 3.1 document of the HTTP API, generated from the route table and the zod schemas the handlers
 * parse with, so the document cannot describe an API other than the one that runs.
 */
import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { type RouteDefinition, routes } from './routes.ts';

const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'Each failing field, for 400' }),
    retryAfterSeconds: z
      .number()
      .int()
      .optional()
      .meta({ description: 'For 429, as the Retry-After header' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

/** The header of the POSTs that create something: the same key again answers the first result, creating nothing. */
const idempotencyHeaderSchema = z.object({
  'idempotency-key': z.string().min(1).max(255).optional().meta({
    description:
      'A unique key per intended creation (e.g. a UUID). A repeat with the same key and body answers the first result and creates nothing; the same key with another body is refused (409). Remembered for 24 hours.',
  }),
});

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});

function operationOf(route: RouteDefinition): ZodOpenApiOperationObject {
  const { docs } = route;
  const responses: Record<string, object> = {};
  for (const [status, response] of Object.entries(docs.responses)) {
    responses[status] = response.body
      ? { description: response.description, content: { 'application/json': { schema: response.body } } }
      : { description: response.description };
  }
  if (docs.body || docs.query || docs.path)
    responses['400'] ??= problem('The input is not valid; `errors` names each field');
  if (route.auth === 'host') responses['401'] ??= problem('No valid token: sign in again');
  if (route.path.includes('{')) responses['404'] ??= problem('Not found, or not this tenant’s');
  if (docs.body) {
    responses['413'] ??= problem('The body is too large');
    responses['415'] ??= problem('The body is not JSON');
  }
  return {
    operationId: `${route.method.toLowerCase()}${route.path.replace(/[{}]/g, '').replace(/[/.](\w)/g, (_, c: string) => c.toUpperCase())}`,
    summary: docs.summary,
    tags: [docs.tag],
    ...(route.auth === 'host' ? { security: [{ cognito: [] }] } : { security: [] }),
    ...(docs.path || docs.query || docs.idempotent
      ? {
          requestParams: {
            ...(docs.path ? { path: docs.path } : {}),
            ...(docs.query ? { query: docs.query } : {}),
            ...(docs.idempotent ? { header: idempotencyHeaderSchema } : {}),
          },
        }
      : {}),
    ...(docs.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: docs.body } } } }
      : {}),
    responses,
  } as ZodOpenApiOperationObject;
}

export function openApiDocument(table: readonly RouteDefinition[] = routes) {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of table) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operationOf(route) };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Lockstay API',
      version: '1',
      description:
        'Bookings become time-windowed smart-lock access. Hosts authenticate with a Cognito ID token (password and TOTP) sent as a bearer token; errors are RFC 9457 problem details.',
    },
    components: {
      securitySchemes: { cognito: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    paths,
  });
}
