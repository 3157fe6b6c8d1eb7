/**
 * The HTTP plumbing every API handler shares: Powertools context in the logs, and the one error mapper that
 * turns domain errors into problem+json. It runs last so that it sees every failure, and it exposes only
 * statuses below 500; anything else is logged with its stack and answered with a bare 500.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { DomainError } from '#shared/domain/errors.ts';
import { logger } from '#shared/observability.ts';
import { internalProblem, type Problem, problemContentType, problemFromDomainError } from './problem.ts';

export type HttpResult = APIGatewayProxyStructuredResultV2;

export function problemResponse(problem: Problem): HttpResult {
  const headers: Record<string, string> = { 'content-type': problemContentType };
  if (problem.retryAfterSeconds !== undefined) headers['retry-after'] = String(problem.retryAfterSeconds);
  return { statusCode: problem.status, headers, body: JSON.stringify(problem) };
}

export interface ProblemDetailsOptions {
  /** Where unexpected errors are reported. @default the shared Powertools logger */
  readonly log?: Pick<typeof logger, 'error'>;
}

export function problemDetails<TEvent extends APIGatewayProxyEventV2>(
  options: ProblemDetailsOptions = {},
): MiddlewareObj<TEvent, HttpResult> {
  const { log = logger } = options;
  const onError: middy.MiddlewareFn<TEvent, HttpResult> = async (request) => {
    const { error } = request;
    const instance = request.event.rawPath;
    if (error instanceof DomainError) {
      request.response = problemResponse(problemFromDomainError(error, instance));
      return;
    }
    log.error('Unhandled error', { error });
    request.response = problemResponse(internalProblem(instance));
  };
  return { onError };
}

/**
 * Wraps an API handler: `httpHandler(async (event) => json(200, {...}))`. The event type flows into the
 * handler, so routes behind the JWT authorizer can ask for `APIGatewayProxyEventV2WithJWTAuthorizer`.
 */
export function httpHandler<TEvent extends APIGatewayProxyEventV2 = APIGatewayProxyEventV2>(
  handle: (event: TEvent, context: Context) => Promise<HttpResult>,
) {
  return middy<TEvent, HttpResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(problemDetails<TEvent>())
    .handler(handle);
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}
