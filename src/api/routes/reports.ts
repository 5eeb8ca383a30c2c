import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type TObject, Type } from '@sinclair/typebox';
import {
  Dashboard,
  DashboardInput,
  DashboardPatch,
  reportService,
  SavedReport,
  SavedReportInput,
  SavedReportPatch,
} from '../../analytics/index.ts';
import { REPORT_KINDS, RESULT_SCHEMAS, type ReportKind, SPEC_SCHEMAS } from '../../core/reports/index.ts';
import type { Platform } from '../../platform/index.ts';
import { errorResponses, IdParams, Page, PageQuery } from '../schemas.ts';

const Computed = {
  spec: Type.Unknown({ description: 'The spec the result was computed for' }),
  computedAt: Type.String({ description: 'ISO-8601 time of the computation' }),
};

function resultSchema(kind: ReportKind): TObject {
  return Type.Object({ ...RESULT_SCHEMAS[kind].properties, ...Computed });
}

/** Any report's result (a saved report of any kind). */
const AnyResult = Type.Object(Computed, { additionalProperties: true });

/** Reports (`POST /reports/{kind}`), saved reports and dashboards. */
export function reportRoutes(platform: Platform): FastifyPluginAsyncTypebox {
  const reports = reportService(platform.stores.ch, platform.stores.pg);
  return async (app) => {
    for (const kind of REPORT_KINDS) {
      app.post(
        `/reports/${kind}`,
        {
          schema: {
            tags: ['reports'],
            description: `${SPEC_SCHEMAS[kind].description ?? ''} See specs/reports.md for the exact definitions.`,
            body: SPEC_SCHEMAS[kind],
            response: { 200: resultSchema(kind), ...errorResponses },
          },
        },
        async (req) => reports.run(req.principal, kind, req.body),
      );
    }

    app.post(
      '/reports/saved',
      {
        schema: {
          tags: ['reports'],
          description: 'Save a report (a kind and its spec) to reopen or place on dashboards.',
          body: SavedReportInput,
          response: { 201: SavedReport, ...errorResponses },
        },
      },
      async (req, reply) => reply.status(201).send(await reports.saved.create(req.principal, req.body)),
    );
    app.get(
      '/reports/saved',
      {
        schema: {
          tags: ['reports'],
          description: 'Saved reports of the workspace, newest first.',
          querystring: PageQuery,
          response: { 200: Page(SavedReport), ...errorResponses },
        },
      },
      async (req) => reports.saved.list(req.principal, req.query.limit, req.query.cursor),
    );
    app.get(
      '/reports/saved/:id',
      {
        schema: {
          tags: ['reports'],
          description: 'One saved report.',
          params: IdParams,
          response: { 200: SavedReport, ...errorResponses },
        },
      },
      async (req) => reports.saved.get(req.principal, req.params.id),
    );
    app.patch(
      '/reports/saved/:id',
      {
        schema: {
          tags: ['reports'],
          description: 'Rename a saved report or change its kind and spec.',
          params: IdParams,
          body: SavedReportPatch,
          response: { 200: SavedReport, ...errorResponses },
        },
      },
      async (req) => reports.saved.update(req.principal, req.params.id, req.body),
    );
    app.delete(
      '/reports/saved/:id',
      {
        schema: {
          tags: ['reports'],
          description: 'Delete a saved report (409 while a dashboard shows it).',
          params: IdParams,
          response: { 204: Type.Null(), 409: Type.Ref('ErrorBody'), ...errorResponses },
        },
      },
      async (req, reply) => {
        await reports.saved.remove(req.principal, req.params.id);
        return reply.status(204).send(null);
      },
    );
    app.post(
      '/reports/saved/:id/run',
      {
        schema: {
          tags: ['reports'],
          description: 'Compute a saved report with its stored spec (the result of its kind).',
          params: IdParams,
          response: { 200: AnyResult, ...errorResponses },
        },
      },
      async (req) => reports.runSaved(req.principal, req.params.id),
    );

    app.post(
      '/dashboards',
      {
        schema: {
          tags: ['dashboards'],
          description: 'Create a dashboard: saved reports placed on a grid.',
          body: DashboardInput,
          response: { 201: Dashboard, ...errorResponses },
        },
      },
      async (req, reply) => reply.status(201).send(await reports.dashboards.create(req.principal, req.body)),
    );
    app.get(
      '/dashboards',
      {
        schema: {
          tags: ['dashboards'],
          description: 'Dashboards of the workspace, newest first.',
          querystring: PageQuery,
          response: { 200: Page(Dashboard), ...errorResponses },
        },
      },
      async (req) => reports.dashboards.list(req.principal, req.query.limit, req.query.cursor),
    );
    app.get(
      '/dashboards/:id',
      {
        schema: {
          tags: ['dashboards'],
          description: 'One dashboard.',
          params: IdParams,
          response: { 200: Dashboard, ...errorResponses },
        },
      },
      async (req) => reports.dashboards.get(req.principal, req.params.id),
    );
    app.patch(
      '/dashboards/:id',
      {
        schema: {
          tags: ['dashboards'],
          description: 'Rename a dashboard or replace its tiles.',
          params: IdParams,
          body: DashboardPatch,
          response: { 200: Dashboard, ...errorResponses },
        },
      },
      async (req) => reports.dashboards.update(req.principal, req.params.id, req.body),
    );
    app.delete(
      '/dashboards/:id',
      {
        schema: {
          tags: ['dashboards'],
          description: 'Delete a dashboard (its saved reports stay).',
          params: IdParams,
          response: { 204: Type.Null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        await reports.dashboards.remove(req.principal, req.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
