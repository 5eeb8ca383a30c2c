import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLError, GraphQLScalarType, valueFromASTUntyped } from 'graphql';
import mercurius from 'mercurius';
import type { Principal } from '../../auth/index.ts';
import { DataPulseError } from '../../core/errors.ts';
import type { Platform } from '../../platform/index.ts';
import { resolvePrincipal } from '../auth.ts';

/**
 * GraphQL at /graphql: the segments API (same service, auth, workspace scoping and error codes
 * as REST) and profiles. Errors carry `extensions: { code, details }` with the REST code; a
 * request that fails as a whole (no data) answers with the REST status.
 */
const schema = /* GraphQL */ `
  "Any JSON value: rules, schedules, traits."
  scalar JSON

  type Segment {
    id: ID!
    name: String!
    description: String!
    "dynamic or static"
    type: String!
    rule: JSON
    "Minutes, a cron expression, or null"
    schedule: JSON
    tags: [String!]!
    createdBy: String
    updatedBy: String
    createdAt: String!
    updatedAt: String!
    lastSize: Float
    lastComputedAt: String
    lastDurationMs: Float
    lastError: String
    stale: Boolean!
    staleReason: String
    nextRunAt: String
    realtime: Boolean!
  }

  type SegmentPage {
    data: [Segment!]!
    nextCursor: String
  }

  type SegmentPreview {
    size: Float!
    sample: [JSON!]!
  }

  type Job {
    id: ID!
    kind: String!
    status: String!
    progress: Float!
    processed: Float!
    total: Float
    error: String
    result: JSON
    createdAt: String!
    startedAt: String
    finishedAt: String
  }

  input SegmentInput {
    name: String!
    description: String
    type: String
    rule: JSON
    schedule: JSON
    tags: [String!]
  }

  input SegmentPatchInput {
    name: String
    description: String
    rule: JSON
    schedule: JSON
    tags: [String!]
  }

  type Query {
    segments(q: String, tag: String, type: String, limit: Int, cursor: String): SegmentPage!
    segment(id: ID!): Segment!
    "Exact size and a sample of a rule's members, without saving it."
    previewSegment(rule: JSON!, limit: Int): SegmentPreview!
    "A profile: traits, identities, devices, segments."
    profile(id: ID!): JSON!
  }

  type Mutation {
    createSegment(input: SegmentInput!): Segment!
    updateSegment(id: ID!, input: SegmentPatchInput!): Segment!
    deleteSegment(id: ID!): Boolean!
    copySegment(id: ID!, name: String): Segment!
    recomputeSegment(id: ID!): Job!
  }
`;

const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});

interface Ctx {
  principal: Principal;
}

/** GraphQL arguments as plain objects without the absent keys (GraphQL builds null-prototype objects). */
function plain(args: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(args)) as Record<string, unknown>;
}

function graphqlError(err: DataPulseError) {
  return {
    message: err.message,
    extensions: { code: err.code, ...(err.details.length ? { details: err.details } : {}) },
  };
}

export function graphqlRoutes(platform: Platform): FastifyPluginAsyncTypebox {
  const s = platform.segments;
  const resolvers = {
    JSON: JSONScalar,
    Query: {
      segments: (_: unknown, args: Record<string, unknown>, { principal }: Ctx) =>
        s.list(principal, plain(args)),
      segment: (_: unknown, { id }: { id: string }, { principal }: Ctx) => s.get(principal, id),
      previewSegment: (_: unknown, args: Record<string, unknown>, { principal }: Ctx) =>
        s.preview(principal, plain(args)),
      profile: (_: unknown, { id }: { id: string }, { principal }: Ctx) =>
        platform.identity.profiles.get(principal, id),
    },
    Mutation: {
      createSegment: (_: unknown, { input }: { input: Record<string, unknown> }, { principal }: Ctx) =>
        s.create(principal, plain(input)),
      updateSegment: (_: unknown, a: { id: string; input: Record<string, unknown> }, { principal }: Ctx) =>
        s.update(principal, a.id, plain(a.input)),
      deleteSegment: async (_: unknown, { id }: { id: string }, { principal }: Ctx) => {
        await s.remove(principal, id);
        return true;
      },
      copySegment: (_: unknown, a: { id: string; name?: string | null }, { principal }: Ctx) =>
        s.copy(principal, a.id, a.name == null ? {} : { name: a.name }),
      recomputeSegment: (_: unknown, { id }: { id: string }, { principal }: Ctx) =>
        s.recompute(principal, id),
    },
  };

  return async (app) => {
    // Same credentials as /api/v1; a failure answers in GraphQL's shape with the REST status.
    app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
      if (!req.url.startsWith('/graphql')) return;
      try {
        req.principal = await resolvePrincipal(platform, req);
      } catch (err) {
        if (!(err instanceof DataPulseError)) throw err;
        return reply.status(err.status).send({ data: null, errors: [graphqlError(err)] });
      }
    });
    await app.register(mercurius, {
      schema,
      resolvers: resolvers as never,
      path: '/graphql',
      graphiql: false,
      context: (req: FastifyRequest): Ctx => ({ principal: req.principal }),
      errorFormatter: (execution, ctx) => {
        const log = (ctx as { reply?: FastifyReply }).reply?.log ?? platform.log;
        let status = 200;
        const errors = execution.errors.map((e) => {
          const original = e.originalError;
          if (original instanceof DataPulseError) {
            if (!execution.data) status = original.status;
            return { ...graphqlError(original), path: e.path, locations: e.locations };
          }
          if (original && !(original instanceof GraphQLError) && !('errors' in original)) {
            log.error({ err: original }, 'graphql resolver failed');
            if (!execution.data) status = 500;
            return { message: 'Internal error', path: e.path, extensions: { code: 'internal_error' } };
          }
          // Parse and schema-validation errors of the query itself.
          if (!execution.data) status = 400;
          const nested = (original as { errors?: GraphQLError[] } | undefined)?.errors;
          const message = nested?.length ? nested.map((n) => n.message).join('; ') : e.message;
          return { message, locations: e.locations, extensions: { code: 'validation_failed' } };
        });
        return { statusCode: status, response: { data: execution.data ?? null, errors } };
      },
    });
  };
}
