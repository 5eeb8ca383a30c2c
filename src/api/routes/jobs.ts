import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Platform } from '../../platform/index.ts';
import { errorResponses, IdParams } from '../schemas.ts';

export const JobSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  status: Type.Union([
    Type.Literal('queued'),
    Type.Literal('running'),
    Type.Literal('done'),
    Type.Literal('failed'),
  ]),
  progress: Type.Number({ minimum: 0, maximum: 1 }),
  processed: Type.Number(),
  total: Type.Union([Type.Number(), Type.Null()]),
  error: Type.Optional(Type.String()),
  result: Type.Optional(Type.Unknown()),
  createdAt: Type.String(),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
});

export function jobRoutes(platform: Platform): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/jobs/:id',
      {
        schema: {
          tags: ['jobs'],
          description: 'Status and progress of long work.',
          params: IdParams,
          response: { 200: JobSchema, ...errorResponses },
        },
      },
      async (req) => platform.jobs.get(req.principal, req.params.id),
    );
  };
}
