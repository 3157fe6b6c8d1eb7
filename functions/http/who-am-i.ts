/** `GET /me`: the signed-in host as the platform sees them, from the verified token alone. */
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { callerOf } from '#shared/http/caller.ts';
import { httpHandler, json } from '#shared/http/middleware.ts';

export const handler = httpHandler<APIGatewayProxyEventV2WithJWTAuthorizer>(async (event) => {
  const caller = callerOf(event);
  return json(200, caller);
});
