import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ROLES } from '../../auth/index.ts';
import { UnauthorizedError } from '../../core/errors.ts';
import type { Platform } from '../../platform/index.ts';
import { ABSOLUTE_MS, csrfTokenOf, SESSION_COOKIE } from '../../users/index.ts';
import { sessionSecret } from '../auth.ts';
import { errorResponses } from '../schemas.ts';

export const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));
const Password = Type.String({ minLength: 1, maxLength: 1024 });

const SessionView = Type.Object({
  user: Type.Object({ id: Type.String(), email: Type.String(), name: Type.String() }),
  workspace: Type.Object({ id: Type.String(), name: Type.String() }),
  role: RoleSchema,
  csrfToken: Type.String({ description: 'Send it as the x-csrf-token header with every change' }),
  workspaces: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), role: RoleSchema })),
});

const responses = { ...errorResponses, 429: Type.Ref('ErrorBody') };

function setSessionCookie(req: FastifyRequest, reply: FastifyReply, secret: string) {
  reply.setCookie(SESSION_COOKIE, secret, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.protocol === 'https',
    path: '/',
    maxAge: ABSOLUTE_MS / 1000,
  });
}

function clearSessionCookie(req: FastifyRequest, reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.protocol === 'https',
    path: '/',
  });
}

/** The session secret of a cookie-authenticated call; 401 for API tokens. */
function requireSession(req: FastifyRequest): string {
  const secret = sessionSecret(req);
  if (!secret || !req.principal.userId)
    throw new UnauthorizedError('This needs a console session: sign in with e-mail and password');
  return secret;
}

/** Console sign-in and sessions, under `/api/v1/auth`. */
export function authRoutes(platform: Platform): FastifyPluginAsyncTypebox {
  const { users } = platform;
  return async (app) => {
    app.post(
      '/auth/login',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          description:
            'Sign in to the console with e-mail and password. Sets the HTTP-only session cookie and returns the CSRF token to send as x-csrf-token. Repeated failures lock the address (429 locked).',
          security: [],
          body: Type.Object(
            {
              email: Type.String({ minLength: 1, maxLength: 320 }),
              password: Password,
              workspaceId: Type.Optional(Type.String({ maxLength: 100 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: SessionView, ...responses },
        },
      },
      async (req, reply) => {
        const { secret, view } = await users.login(req.body, {
          ip: req.ip,
          userAgent: req.headers['user-agent'],
        });
        setSessionCookie(req, reply, secret);
        return view;
      },
    );

    app.post(
      '/auth/logout',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          description: 'End this console session and clear its cookie.',
          security: [],
          response: { 204: Type.Null(), ...responses },
        },
      },
      async (req, reply) => {
        await users.logout(sessionSecret(req));
        clearSessionCookie(req, reply);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/auth/logout-all',
      {
        schema: {
          tags: ['auth'],
          description: 'Sign out everywhere: every session of the signed-in user ends.',
          response: { 204: Type.Null(), ...responses },
        },
      },
      async (req, reply) => {
        requireSession(req);
        await users.logoutAll(req.principal);
        clearSessionCookie(req, reply);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/auth/me',
      {
        schema: {
          tags: ['auth'],
          description: 'The signed-in user, the current workspace and role, and the CSRF token.',
          response: { 200: SessionView, ...responses },
        },
      },
      async (req) => users.me(req.principal, csrfTokenOf(requireSession(req))),
    );

    app.post(
      '/auth/switch',
      {
        schema: {
          tags: ['auth'],
          description: "Switch the session's current workspace (one the user is a member of).",
          body: Type.Object(
            { workspaceId: Type.String({ minLength: 1, maxLength: 100 }) },
            { additionalProperties: false },
          ),
          response: { 200: SessionView, ...responses },
        },
      },
      async (req) => {
        const secret = requireSession(req);
        return users.switchWorkspace(req.principal, secret, req.body.workspaceId, csrfTokenOf(secret));
      },
    );

    app.post(
      '/auth/password',
      {
        schema: {
          tags: ['auth'],
          description: "Change the signed-in user's password. Every other session of the user ends.",
          body: Type.Object(
            { currentPassword: Password, newPassword: Password },
            { additionalProperties: false },
          ),
          response: { 204: Type.Null(), ...responses },
        },
      },
      async (req, reply) => {
        await users.changePassword(req.principal, requireSession(req), req.body);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/auth/accept-invitation',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          description:
            'Accept an invitation: creates the account with this name and password (or, for an existing account, confirms its password) and adds the membership. Then sign in.',
          security: [],
          body: Type.Object(
            {
              token: Type.String({ minLength: 1, maxLength: 200 }),
              name: Type.Optional(Type.String({ maxLength: 200 })),
              password: Password,
            },
            { additionalProperties: false },
          ),
          response: {
            201: Type.Object({ email: Type.String(), workspaceId: Type.String(), role: RoleSchema }),
            ...responses,
          },
        },
      },
      async (req, reply) => reply.status(201).send(await users.acceptInvitation(req.body)),
    );
  };
}
