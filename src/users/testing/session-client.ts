/** Test helpers: sign in through the API and call it with the session cookie (and CSRF header). */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { SESSION_COOKIE } from '../sessions.ts';

export const ADMIN_EMAIL = 'Owner@Example.com';
export const ADMIN_PASSWORD = 'Keep-it-secret-2026';
export const ADMIN_ENV = { DATAPULSE_ADMIN_EMAIL: ADMIN_EMAIL, DATAPULSE_ADMIN_PASSWORD: ADMIN_PASSWORD };

export interface SessionClient {
  cookie: string;
  csrf: string;
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON
  body: any;
  /** A call with the session cookie; unsafe methods carry the CSRF header unless `csrf: null`. */
  call(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
    opts?: { csrf?: string | null },
  ): Promise<LightMyRequestResponse>;
}

export function sessionCall(app: FastifyInstance, cookie: string, csrf: string): SessionClient['call'] {
  return (method, url, payload, opts = {}) => {
    const token = opts.csrf === undefined ? csrf : opts.csrf;
    return app.inject({
      method,
      url,
      headers: {
        cookie: `${SESSION_COOKIE}=${cookie}`,
        ...(method !== 'GET' && token !== null ? { 'x-csrf-token': token } : {}),
      },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  };
}

export async function signIn(
  app: FastifyInstance,
  email: string,
  password: string,
  workspaceId?: string,
): Promise<SessionClient> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password, ...(workspaceId ? { workspaceId } : {}) },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE)?.value ?? '';
  const body = res.json();
  return { cookie, csrf: body.csrfToken, body, call: sessionCall(app, cookie, body.csrfToken) };
}
