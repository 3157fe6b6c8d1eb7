/** `GET /openapi.json`: the API's OpenAPI 3.1 document, generated once per cold start from the route table. */

import { openApiDocument } from '#infra/openapi.ts';
import { httpHandler, json } from '#shared/http/middleware.ts';

const document = openApiDocument();

export const handler = httpHandler(async () =>
  json(200, document, { 'cache-control': 'public, max-age=300' }),
);
