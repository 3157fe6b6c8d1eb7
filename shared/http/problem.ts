/**
 * RFC 9457 problem details: the one shape of every error the API answers. Only statuses below 500 carry the
 * message of what happened; a 500 says nothing about internals.
 */
import {
  ConflictError,
  type DomainError,
  type FieldProblem,
  GoneError,
  InvalidInputError,
  NotAuthenticatedError,
  NotFoundError,
  NotPermittedError,
  PayloadTooLargeError,
  TooManyRequestsError,
  UnsupportedMediaTypeError,
} from '#shared/domain/errors.ts';

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly errors?: readonly FieldProblem[];
  readonly retryAfterSeconds?: number;
}

export const problemContentType = 'application/problem+json';

const statusByError = new Map<abstract new (...args: never[]) => DomainError, number>([
  [InvalidInputError, 400],
  [NotAuthenticatedError, 401],
  [NotPermittedError, 403],
  [NotFoundError, 404],
  [ConflictError, 409],
  [GoneError, 410],
  [PayloadTooLargeError, 413],
  [UnsupportedMediaTypeError, 415],
  [TooManyRequestsError, 429],
]);

export function statusOf(error: DomainError): number {
  for (const [type, status] of statusByError) if (error instanceof type) return status;
  return 500;
}

export function problemFromDomainError(error: DomainError, instance?: string): Problem {
  const status = statusOf(error);
  if (status >= 500) return internalProblem(instance);
  return {
    type: 'about:blank',
    title: error.title,
    status,
    detail: error.message,
    ...(instance ? { instance } : {}),
    ...(error instanceof InvalidInputError && error.problems.length > 0 ? { errors: error.problems } : {}),
    ...(error instanceof TooManyRequestsError ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
  };
}

export function internalProblem(instance?: string): Problem {
  return {
    type: 'about:blank',
    title: 'Internal error',
    status: 500,
    detail: 'Something went wrong on our side. Try again; if it persists, contact support.',
    ...(instance ? { instance } : {}),
  };
}
