import type { ErrorCode, FieldError, Problem } from '@qiao/contracts';

/** Codes the client produces itself when no problem document could be read. */
export type ClientErrorCode = 'network_error';

/** An API answer that was not 2xx, read from its RFC 9457 problem document. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | ClientErrorCode;
  readonly title: string;
  readonly detail: string | undefined;
  readonly fieldErrors: FieldError[];
  /** Seconds from a Retry-After header (locked accounts, rate limits). */
  readonly retryAfter: number | undefined;
  /** The whole problem document, extension members included (a checkout's short `lines`). */
  readonly problem: Record<string, unknown>;

  constructor(
    status: number,
    problem: Omit<Partial<Problem>, 'code'> & { code: ErrorCode | ClientErrorCode },
    retryAfter?: number,
  ) {
    super(problem.detail ?? problem.title ?? problem.code);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code;
    this.title = problem.title ?? '';
    this.detail = problem.detail;
    this.fieldErrors = Array.isArray(problem.errors) ? problem.errors : [];
    this.retryAfter = retryAfter;
    this.problem = problem as Record<string, unknown>;
  }
}

export function isApiError(error: unknown, code?: ApiError['code']): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

let csrfToken: string | undefined;
let onUnauthenticated: (() => void) | undefined;

/** The session answers (login, me, password change) carry the token every write must echo. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when any request answers 401 `unauthenticated`: the session is gone. */
export function setUnauthenticatedHandler(handler: (() => void) | undefined): void {
  onUnauthenticated = handler;
}

export type QueryValue = string | number | boolean | undefined | null;

/** Drops empty values so a filter left blank does not reach the server as `?q=`. */
export function toQueryString(query: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Extra request headers (the till's Idempotency-Key). */
  headers?: Record<string, string>;
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
}

function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.round((at - Date.now()) / 1000));
}

async function readProblem(response: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const problem = body && typeof body === 'object' && 'code' in body ? (body as Problem) : undefined;
  const fallbackCode: ErrorCode = response.status === 401 ? 'unauthenticated' : 'internal_error';
  return new ApiError(response.status, problem ?? { code: fallbackCode, title: response.statusText }, retryAfter);
}

/** One request to the Qiao API: JSON in and out, problem+json errors thrown as {@link ApiError}. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { ...options.headers, accept: 'application/json' };
  // A FormData body (a document upload) sets its own multipart content type and boundary.
  const multipart = options.body instanceof FormData;
  if (options.body !== undefined && !multipart) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(`/api${path}${options.query ? toQueryString(options.query) : ''}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? null : multipart ? (options.body as FormData) : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, { code: 'network_error', title: String(cause) });
  }

  if (!response.ok) {
    const error = await readProblem(response);
    if (error.status === 401 && error.code === 'unauthenticated') onUnauthenticated?.();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}
