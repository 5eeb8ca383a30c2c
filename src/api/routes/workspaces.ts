import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ROLES } from '../../auth/index.ts';
import type { Platform } from '../../platform/index.ts';
import { errorResponses, IdParams, Page, PageQuery } from '../schemas.ts';

const Name = Type.String({ minLength: 1, maxLength: 200 });
const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));

const Workspace = Type.Object({ id: Type.String(), name: Type.String(), createdAt: Type.String() });
const Token = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  prefix: Type.String(),
  createdAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
});
const Source = Type.Object({
  id: Type.String(),
  name: Type.String(),
  writeKey: Type.String(),
  createdAt: Type.String(),
});

/** Workspaces, API tokens and sources (write keys). */
export function workspaceRoutes(platform: Platform): FastifyPluginAsyncTypebox {
  const { workspaces, tokens } = platform;
  return async (app) => {
    app.post(
      '/workspaces',
      {
        schema: {
          tags: ['workspaces'],
          description:
            "Create a workspace (owner token of the instance's first workspace only). Returns its owner token once.",
          body: Type.Object({ name: Name }, { additionalProperties: false }),
          response: {
            201: Type.Intersect([Workspace, Type.Object({ token: Type.String() })]),
            ...errorResponses,
          },
        },
      },
      async (req, reply) => reply.status(201).send(await workspaces.createWorkspace(req.principal, req.body)),
    );
    app.get(
      '/workspaces',
      {
        schema: {
          tags: ['workspaces'],
          description: 'Workspaces the caller may see.',
          response: { 200: Page(Workspace), ...errorResponses },
        },
      },
      async (req) => workspaces.listWorkspaces(req.principal),
    );

    app.post(
      '/tokens',
      {
        schema: {
          tags: ['tokens'],
          description:
            'Create an API token with a role. The secret is returned once and stored only as a hash.',
          body: Type.Object({ name: Name, role: RoleSchema }, { additionalProperties: false }),
          response: {
            201: Type.Intersect([Token, Type.Object({ token: Type.String() })]),
            ...errorResponses,
          },
        },
      },
      async (req, reply) => reply.status(201).send(await tokens.create(req.principal, req.body)),
    );
    app.get(
      '/tokens',
      {
        schema: {
          tags: ['tokens'],
          description: 'API tokens of the workspace (no secrets).',
          querystring: PageQuery,
          response: { 200: Page(Token), ...errorResponses },
        },
      },
      async (req) => tokens.list(req.principal, req.query.limit, req.query.cursor),
    );
    app.delete(
      '/tokens/:id',
      {
        schema: {
          tags: ['tokens'],
          description: 'Revoke a token at once.',
          params: IdParams,
          response: { 204: Type.Null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        await tokens.revoke(req.principal, req.params.id);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/sources',
      {
        schema: {
          tags: ['sources'],
          description: 'Create a source; its write key authenticates the collection API.',
          body: Type.Object({ name: Name }, { additionalProperties: false }),
          response: { 201: Source, ...errorResponses },
        },
      },
      async (req, reply) => reply.status(201).send(await workspaces.createSource(req.principal, req.body)),
    );
    app.get(
      '/sources',
      {
        schema: {
          tags: ['sources'],
          description: 'Sources of the workspace.',
          querystring: PageQuery,
          response: { 200: Page(Source), ...errorResponses },
        },
      },
      async (req) => workspaces.listSources(req.principal, req.query.limit, req.query.cursor),
    );
    app.get(
      '/sources/:id',
      {
        schema: {
          tags: ['sources'],
          description: 'One source.',
          params: IdParams,
          response: { 200: Source, ...errorResponses },
        },
      },
      async (req) => workspaces.getSource(req.principal, req.params.id),
    );
    app.delete(
      '/sources/:id',
      {
        schema: {
          tags: ['sources'],
          description: 'Delete a source; its write key answers 401 at once.',
          params: IdParams,
          response: { 204: Type.Null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        await workspaces.deleteSource(req.principal, req.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
