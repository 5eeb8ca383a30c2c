import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/index.ts';
import { CsrfError } from '../core/errors.ts';
import type { Platform } from '../platform/index.ts';
import { csrfMatches, SESSION_COOKIE } from '../users/index.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyContextConfig {
    /** The route answers without credentials (sign-in, accepting an invitation). */
    public?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The console session cookie's secret, when the request carries one. */
export function sessionSecret(req: FastifyRequest): string | undefined {
  const v = req.cookies?.[SESSION_COOKIE];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * The caller: an `Authorization` header means an API token (as before, no CSRF check); without
 * one, the console's session cookie, whose changes (any method but GET/HEAD/OPTIONS) must carry
 * the session's `x-csrf-token` header. Neither → 401.
 */
export async function resolvePrincipal(platform: Platform, req: FastifyRequest): Promise<Principal> {
  const secret = sessionSecret(req);
  if (req.headers.authorization !== undefined || secret === undefined)
    return { ...(await platform.tokens.authenticate(req.headers.authorization)), ip: req.ip };
  const session = await platform.users.resolveSession(secret);
  if (!SAFE_METHODS.has(req.method) && !csrfMatches(secret, req.headers['x-csrf-token']))
    throw new CsrfError();
  return { ...session, tokenId: null, ip: req.ip };
}

/** preHandler for `/api/v1`: resolves the caller or answers 401 (public routes skip it). */
export function authenticate(platform: Platform) {
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    if (req.routeOptions.config?.public) return;
    req.principal = await resolvePrincipal(platform, req);
  };
}
