import type { Problem } from '@passerelle/contracts';

/**
 * The one way the web app talks to the API: same-origin cookies, the CSRF header on every write,
 * problem+json turned into an {@link ApiError} that carries the server's stable code.
 */

/** Codes the client produces itself, next to the server's. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'UNEXPECTED_RESPONSE';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly fields: { path: string; message: string }[] = [],
  ) {
    super(`${code}: ${detail}`);
    this.name = 'ApiError';
  }
}

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

/** Codes after which the session is no longer usable as it is: the app re-reads who is signed in. */
const SESSION_CODES = new Set([
  'AUTHENTICATION_REQUIRED',
  'TOTP_REQUIRED',
  'TOTP_SETUP_REQUIRED',
  'PASSWORD_CHANGE_REQUIRED',
]);

let csrfToken: string | null = null;
let onSessionLost: ((code: string) => void) | null = null;

/** Remembers the token the server handed out with the session (login and `GET /auth/me`). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any request reveals that the session ended or needs a step first (providers wire it). */
export function setSessionLostHandler(handler: ((code: string) => void) | null): void {
  onSessionLost = handler;
}

type QueryValue = string | number | boolean | null | undefined;

/** Builds `path?query`, leaving out empty values so filters read naturally. */
export function withQuery(path: string, query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function readProblem(response: Response): Promise<ApiError> {
  let body: Partial<Problem> | null = null;
  try {
    body = (await response.json()) as Partial<Problem>;
  } catch {
    body = null;
  }
  return new ApiError(
    response.status,
    typeof body?.code === 'string' ? body.code : `HTTP_${response.status}`,
    typeof body?.detail === 'string' ? body.detail : response.statusText,
    Array.isArray(body?.fields) ? body.fields : [],
  );
}

interface RequestOptions {
  /** Do not report a lost session for this call (the login page probing `/auth/me`). */
  quiet?: boolean;
  signal?: AbortSignal;
}

async function request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK_ERROR', 'The server could not be reached');
  }
  if (!response.ok) {
    const error = await readProblem(response);
    if (!options.quiet && SESSION_CODES.has(error.code)) onSessionLost?.(error.code);
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) throw new ApiError(response.status, 'UNEXPECTED_RESPONSE', 'Expected JSON');
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string, query?: Record<string, QueryValue>, options?: RequestOptions) =>
    request<T>('GET', withQuery(path, query), undefined, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, body ?? {}, options),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  delete: <T = void>(path: string) => request<T>('DELETE', path),
};

// --- Binary answers (issue 4: labels printed as PDF or ZPL) -------------------------------------------------

/** A POST whose answer is a document (PDF, ZPL…): same cookies, CSRF header and problem+json errors. */
export async function postForBlob(path: string, body: unknown): Promise<{ blob: Blob; filename: string | null }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method: 'POST',
      headers,
      credentials: 'same-origin',
      body: JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', 'The server could not be reached');
  }
  if (!response.ok) {
    const error = await readProblem(response);
    if (SESSION_CODES.has(error.code)) onSessionLost?.(error.code);
    throw error;
  }
  const disposition = response.headers.get('content-disposition') ?? '';
  const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? null;
  return { blob: await response.blob(), filename };
}
