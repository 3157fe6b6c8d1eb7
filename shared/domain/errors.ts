/**
 * The errors the domain speaks in. Each says what went wrong in the user's terms; the HTTP layer maps them by
 * class to a status and a problem+json body, and nothing else is ever shown to a client.
 */

export interface FieldProblem {
  /** Dotted path of the failing field, e.g. `address.city` or `body.arrival`. */
  readonly field: string;
  readonly message: string;
}

export abstract class DomainError extends Error {
  /** A short, stable, human-readable summary used as the problem's title. */
  abstract readonly title: string;
}

/** The input is malformed or breaks a rule; `problems` names each failing field. */
export class InvalidInputError extends DomainError {
  readonly title = 'Invalid input';
  readonly problems: readonly FieldProblem[];
  constructor(message: string, problems: readonly FieldProblem[] = []) {
    super(message);
    this.problems = problems;
  }
}

/** No credentials, or credentials that could not be verified. */
export class NotAuthenticatedError extends DomainError {
  readonly title = 'Not authenticated';
}

/** The caller is known but their role may not do this. */
export class NotPermittedError extends DomainError {
  readonly title = 'Not permitted';
}

/** Absent, or belonging to another tenant: the two answer the same so that existence does not leak. */
export class NotFoundError extends DomainError {
  readonly title = 'Not found';
}

/** The request conflicts with the current state (taken, stale, already done differently). */
export class ConflictError extends DomainError {
  readonly title = 'Conflict';
}

/** The resource existed but is no longer usable (an expired or revoked link). */
export class GoneError extends DomainError {
  readonly title = 'Gone';
}

export class PayloadTooLargeError extends DomainError {
  readonly title = 'Payload too large';
}

export class UnsupportedMediaTypeError extends DomainError {
  readonly title = 'Unsupported media type';
}

/** Too many attempts; `retryAfterSeconds` tells the caller when to try again. */
export class TooManyRequestsError extends DomainError {
  readonly title = 'Too many requests';
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
