import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Platform } from '../../platform/index.ts';
import { auditChange } from '../audit.ts';
import { errorResponses, IdParams, Page } from '../schemas.ts';
import { RoleSchema } from './auth.ts';

const Member = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  disabled: Type.Boolean(),
  joinedAt: Type.String(),
});
const Invitation = Type.Object({
  id: Type.String(),
  email: Type.String(),
  role: RoleSchema,
  expiresAt: Type.String(),
  createdAt: Type.String(),
});
const responses = { ...errorResponses, 409: Type.Ref('ErrorBody') };

/** Members of the workspace and invitations (permission users:manage). */
export function userRoutes(platform: Platform): FastifyPluginAsyncTypebox {
  const { users } = platform;
  return async (app) => {
    app.get(
      '/users',
      {
        schema: {
          tags: ['users'],
          description: 'Console users who are members of the workspace, with their roles.',
          response: { 200: Page(Member), ...responses },
        },
      },
      async (req) => users.listMembers(req.principal),
    );

    app.post(
      '/users/invitations',
      {
        schema: {
          tags: ['users'],
          description:
            'Invite someone by e-mail with a role. No e-mail is sent: the response carries the invitation token and link, shown once, for the inviter to pass on. The link works for 7 days.',
          body: Type.Object(
            { email: Type.String({ minLength: 1, maxLength: 320 }), role: RoleSchema },
            { additionalProperties: false },
          ),
          response: {
            201: Type.Intersect([Invitation, Type.Object({ token: Type.String(), path: Type.String() })]),
            ...responses,
          },
        },
      },
      async (req, reply) => reply.status(201).send(await users.invite(req.principal, req.body)),
    );

    app.get(
      '/users/invitations',
      {
        schema: {
          tags: ['users'],
          description: 'Invitations not yet accepted and not expired (no tokens).',
          response: { 200: Page(Invitation), ...responses },
        },
      },
      async (req) => users.listInvitations(req.principal),
    );

    app.delete(
      '/users/invitations/:id',
      {
        schema: {
          tags: ['users'],
          description: 'Withdraw a pending invitation: its link stops working.',
          params: IdParams,
          response: { 204: Type.Null(), ...responses },
        },
      },
      async (req, reply) => {
        await users.revokeInvitation(req.principal, req.params.id);
        return reply.status(204).send(null);
      },
    );

    app.patch(
      '/users/:id',
      {
        schema: {
          tags: ['users'],
          description:
            "Change a member's role. Only an owner grants or takes away the owner role; the last owner cannot be demoted.",
          params: IdParams,
          body: Type.Object({ role: RoleSchema }, { additionalProperties: false }),
          response: {
            200: Type.Object({
              id: Type.String(),
              email: Type.String(),
              name: Type.String(),
              role: RoleSchema,
            }),
            ...responses,
          },
        },
      },
      async (req) => {
        const changed = await users.setRole(req.principal, req.params.id, req.body.role);
        auditChange(req, { role: changed.previousRole }, { role: changed.role });
        return changed;
      },
    );

    app.delete(
      '/users/:id',
      {
        schema: {
          tags: ['users'],
          description:
            'Remove a member from the workspace; their sessions in it end. The last owner cannot be removed.',
          params: IdParams,
          response: { 204: Type.Null(), ...responses },
        },
      },
      async (req, reply) => {
        await users.removeMember(req.principal, req.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
