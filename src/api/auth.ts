import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/index.ts';
import type { Platform } from '../platform/index.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

/** preHandler for `/api/v1` and `/graphql`: resolves the caller or answers 401. */
export function authenticate(platform: Platform) {
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    req.principal = { ...(await platform.tokens.authenticate(req.headers.authorization)), ip: req.ip };
  };
}
