/**
 * The console's only way to the server: the public REST API under `/api/v1`, authenticated with
 * the session cookie set at sign-in (changes carry the session's `x-csrf-token` header), or with
 * `Authorization: Bearer <token>` when signed in with an API token. Every failure becomes an `ApiError` carrying the contract's
 * error body (`code`, `message`, `details`), so pages can always show a message.
 */

export interface ErrorDetail {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const TOKEN_KEY = 'datapulse.token';

export const tokenStore = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** The CSRF token of the cookie session (memory only: /auth/me gives it again after a reload). */
let csrfToken: string | null = null;

export const csrfStore = {
  get: () => csrfToken,
  set: (value: string | null) => {
    csrfToken = value;
  },
};

let onUnauthorized: (() => void) | null = null;

/** Called when a request with the stored token answers 401 (revoked or expired token). */
export function setUnauthorizedHandler(fn: (() => void) | null): void {
  onUnauthorized = fn;
}

type Query = Record<string, string | number | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function errorOf(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as {
      error?: { code?: string; message?: string; details?: ErrorDetail[] };
    };
    if (body?.error?.code)
      return new ApiError(res.status, body.error.code, body.error.message ?? '', body.error.details ?? []);
  } catch {
    /* not JSON: fall through */
  }
  return new ApiError(res.status, 'http_error', `HTTP ${res.status} ${res.statusText}`.trim());
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Query;
  /** Use this token instead of the stored one (sign-in checks a token before storing it). */
  token?: string;
  /** A 401 is an answer, not a lost session (the sign-in and session probes). */
  quiet401?: boolean;
}

/** Calls `/api/v1{path}` and returns the parsed JSON (undefined for 204). */
export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const token = opts.token ?? tokenStore.get();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const method = opts.method ?? 'GET';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(withQuery(`/api/v1${path}`, opts.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err));
  }
  if (!res.ok) {
    const error = await errorOf(res);
    if (res.status === 401 && opts.token === undefined && !opts.quiet401) onUnauthorized?.();
    throw error;
  }
  if (res.status === 204) return undefined as T;
  try {
    return (await res.json()) as T;
  } catch {
    throw new ApiError(res.status, 'bad_response', `HTTP ${res.status}: not JSON`);
  }
}
