/**
 * Calls to Lockstay's HTTP API with the signed-in host's ID token as bearer. A refused token is refreshed once
 * and the call retried; refused again, the session ends with the API's own explanation (e.g. MFA not enrolled).
 * Every failure becomes an ApiError carrying the API's problem details, so pages can say what happened and
 * show field errors next to their fields.
 */
import type { FieldProblem } from '#shared/domain/errors.ts';
import type { Problem } from '#shared/http/problem.ts';
import type { Session } from './session.ts';

export class ApiError extends Error {
  override name = 'ApiError';
  /** 0 when the API could not be reached. */
  readonly status: number;
  readonly title: string;
  readonly fieldProblems: readonly FieldProblem[];
  constructor(options: {
    status: number;
    title: string;
    detail: string;
    fieldProblems?: readonly FieldProblem[];
  }) {
    super(options.detail);
    this.status = options.status;
    this.title = options.title;
    this.fieldProblems = options.fieldProblems ?? [];
  }
}

async function problemOf(response: Response): Promise<ApiError> {
  const fallback = {
    status: response.status,
    title: response.statusText || `HTTP ${response.status}`,
    detail:
      response.status >= 500
        ? 'The service failed to answer. Try again in a moment.'
        : `The request was refused (${response.status}).`,
  };
  try {
    const problem = (await response.json()) as Partial<Problem>;
    return new ApiError({
      status: response.status,
      title: problem.title ?? fallback.title,
      detail: problem.detail ?? fallback.detail,
      fieldProblems: problem.errors ?? [],
    });
  } catch {
    return new ApiError(fallback);
  }
}

export function createApiClient(options: { apiUrl: string; session: Session }) {
  const { apiUrl, session } = options;

  async function request<T>(
    path: string,
    init: RequestInit = {},
    read: (response: Response) => Promise<T> = async (response) =>
      (response.status === 204 ? undefined : await response.json()) as T,
  ): Promise<T> {
    const send = async () => {
      const token = await session.idToken();
      try {
        return await fetch(`${apiUrl}${path}`, {
          ...init,
          headers: { accept: 'application/json', ...init.headers, authorization: `Bearer ${token}` },
        });
      } catch {
        throw new ApiError({
          status: 0,
          title: 'Offline',
          detail: 'Lockstay could not be reached. Check your connection and try again.',
        });
      }
    };
    let response = await send();
    if (response.status === 401 && (await session.refresh())) response = await send();
    if (response.status === 401) {
      const problem = await problemOf(response);
      session.end({ message: problem.message, tone: 'warning' });
      throw problem;
    }
    if (!response.ok) throw await problemOf(response);
    return read(response);
  }

  /** A JSON body; a create sends an `Idempotency-Key` so a retried submission never makes two of anything. */
  const send = <T>(method: string, path: string, body?: unknown, options: { idempotencyKey?: string } = {}) =>
    request<T>(path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  return {
    get: <T>(path: string) => request<T>(path),
    /** A file the API answers (a CSV export): its text and the headers that name it or say where it goes on. */
    getFile: (path: string, accept: string) =>
      request(path, { headers: { accept } }, async (response) => ({
        text: await response.text(),
        headers: response.headers,
      })),
    post: <T>(path: string, body?: unknown, options?: { idempotencyKey?: string }) =>
      send<T>('POST', path, body, options),
    put: <T>(path: string, body: unknown) => send<T>('PUT', path, body),
    patch: <T>(path: string, body: unknown) => send<T>('PATCH', path, body),
    delete: <T>(path: string) => send<T>('DELETE', path),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
