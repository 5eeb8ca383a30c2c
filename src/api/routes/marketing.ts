import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { marketingService, SpendRowView, SpendUpload } from '../../analytics/index.ts';
import type { Platform } from '../../platform/index.ts';
import { errorResponses, Page, PageQuery } from '../schemas.ts';

const Stored = Type.Object({ rows: Type.Integer({ description: 'Rows stored' }) });
const CSV_LIMIT = 32 * 1024 * 1024;

/** Marketing spend: JSON and CSV uploads, and the stored rows. */
export function marketingRoutes(platform: Platform): FastifyPluginAsyncTypebox {
  const marketing = marketingService(platform.stores.ch);
  return async (app) => {
    app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: CSV_LIMIT }, (_req, body, done) =>
      done(null, body),
    );

    app.post(
      '/marketing/spend',
      {
        schema: {
          tags: ['marketing'],
          description:
            'Upload ad spend rows. The same (date, source, medium, campaign) uploaded again replaces the row. Every bad row is reported with its path; nothing is stored then.',
          body: SpendUpload,
          response: { 200: Stored, ...errorResponses },
        },
      },
      async (req) => marketing.upload(req.principal, req.body),
    );
    app.post(
      '/marketing/spend.csv',
      {
        bodyLimit: CSV_LIMIT,
        schema: {
          tags: ['marketing'],
          description:
            'Upload ad spend as CSV (Content-Type: text/csv) with a header line: date,source,medium,campaign,cost,impressions,clicks. Errors name the row (`/3/cost`) and its line.',
          consumes: ['text/csv'],
          body: Type.String({ description: 'CSV text' }),
          response: { 200: Stored, ...errorResponses },
        },
      },
      async (req) => marketing.uploadCsv(req.principal, req.body),
    );
    app.get(
      '/marketing/spend',
      {
        schema: {
          tags: ['marketing'],
          description: 'Stored spend rows by date, then source, medium, campaign.',
          querystring: Type.Object({
            from: Type.Optional(Type.String({ description: 'Date YYYY-MM-DD, inclusive' })),
            to: Type.Optional(Type.String({ description: 'Date YYYY-MM-DD, exclusive' })),
            ...PageQuery.properties,
          }),
          response: { 200: Page(SpendRowView), ...errorResponses },
        },
      },
      async (req) => {
        const { limit, cursor, ...filter } = req.query;
        return marketing.list(req.principal, filter, limit, cursor);
      },
    );
  };
}
