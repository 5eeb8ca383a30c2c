import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Platform } from '../../platform/index.ts';
import { errorResponses, Page, PageQuery } from '../schemas.ts';

const Filter = {
  userId: Type.Optional(Type.String({ maxLength: 500 })),
  anonymousId: Type.Optional(Type.String({ maxLength: 500 })),
  profileId: Type.Optional(Type.String({ maxLength: 100 })),
  messageId: Type.Optional(Type.String({ maxLength: 100 })),
  type: Type.Optional(Type.String({ maxLength: 20 })),
  event: Type.Optional(Type.String({ maxLength: 200 })),
  from: Type.Optional(Type.String({ description: 'ISO-8601, inclusive' })),
  to: Type.Optional(Type.String({ description: 'ISO-8601, exclusive' })),
};

const Event = Type.Object({
  messageId: Type.String(),
  type: Type.String(),
  event: Type.String(),
  userId: Type.Union([Type.String(), Type.Null()]),
  anonymousId: Type.Union([Type.String(), Type.Null()]),
  profileId: Type.String({ description: 'The profile the event belongs to now (after merges)' }),
  properties: Type.Record(Type.String(), Type.Unknown()),
  traits: Type.Record(Type.String(), Type.Unknown()),
  context: Type.Record(Type.String(), Type.Unknown()),
  timestamp: Type.String(),
  receivedAt: Type.String(),
});

export function eventRoutes(platform: Platform): FastifyPluginAsyncTypebox {
  const { events } = platform.ingest;
  return async (app) => {
    app.get(
      '/events',
      {
        schema: {
          tags: ['events'],
          description: 'Stored events, newest first. An acknowledged event is readable at once.',
          querystring: Type.Object({ ...Filter, ...PageQuery.properties }),
          response: { 200: Page(Event), ...errorResponses },
        },
      },
      async (req) => {
        const { limit, cursor, ...filter } = req.query;
        return events.list(req.principal, filter, limit, cursor);
      },
    );
    app.get(
      '/events/stats',
      {
        schema: {
          tags: ['events'],
          description:
            'Event names matching the filter, most frequent first: how many events and (approximately) how many profiles.',
          querystring: Type.Object({
            ...Filter,
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
          }),
          response: {
            200: Type.Object({
              data: Type.Array(
                Type.Object({
                  event: Type.String(),
                  type: Type.String(),
                  count: Type.Integer(),
                  profiles: Type.Integer({ description: 'Distinct profiles (approximate)' }),
                }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const { limit, ...filter } = req.query;
        return events.stats(req.principal, filter, limit);
      },
    );
    app.get(
      '/events/export',
      {
        schema: {
          tags: ['events'],
          description: 'Every matching event, oldest first, streamed as NDJSON or CSV.',
          querystring: Type.Object({
            ...Filter,
            format: Type.Optional(Type.Union([Type.Literal('ndjson'), Type.Literal('csv')])),
          }),
        },
      },
      async (req, reply) => {
        const { format = 'ndjson', ...filter } = req.query;
        const stream = events.export(req.principal, filter, format);
        return reply
          .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson')
          .header('content-disposition', `attachment; filename="events.${format}"`)
          .send(stream);
      },
    );
  };
}
