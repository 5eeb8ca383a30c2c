import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { RuleSchema } from '../../core/segments/rule-schema.ts';
import type { Platform } from '../../platform/index.ts';
import {
  CopyInput,
  ExportQuery,
  HistoryDay,
  HistoryEntry,
  HistoryQuery,
  ListQuery,
  Member,
  OverlapInput,
  OverlapResult,
  PageQueryInput,
  PreviewInput,
  PreviewResult,
  SegmentCreate,
  SegmentPatch,
  SegmentSchema,
  UploadQuery,
  UploadReport,
} from '../../segments/index.ts';
import { errorResponses, IdParams, Page } from '../schemas.ts';
import { JobSchema } from './jobs.ts';

const tags = ['segments'];
const Segment = Type.Ref('Segment');
const UPLOAD_LIMIT = 50 * 1024 * 1024;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const errors = { ...errorResponses, 409: Type.Ref('ErrorBody') };

/** `attachment` with an ASCII fallback and the UTF-8 name (RFC 6266). */
function disposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** Segments: definitions, evaluation, members, exports, static lists (docs/segments.md). */
export function segmentRoutes(platform: Platform): FastifyPluginAsyncTypebox {
  const segments = platform.segments;
  return async (app) => {
    app.addSchema(SegmentSchema);
    app.addSchema(RuleSchema);
    // Uploaded lists arrive as the file itself (CSV or XLSX), not as JSON.
    app.addContentTypeParser(
      ['text/csv', 'text/plain', XLSX_TYPE, 'application/octet-stream'],
      { parseAs: 'buffer', bodyLimit: UPLOAD_LIMIT },
      (_req, body, done) => done(null, body),
    );

    app.get(
      '/segments',
      {
        schema: {
          tags,
          description:
            'Segments of the workspace, newest first; search by name/description, filter by tag or type.',
          querystring: ListQuery,
          response: { 200: Page(Segment), ...errors },
        },
      },
      async (req) => segments.list(req.principal, req.query),
    );
    app.post(
      '/segments',
      {
        schema: {
          tags,
          description:
            'Create a segment. Dynamic segments need a rule (schema SegmentRule) and are computed at once, then on schedule; static ones take an uploaded list or a snapshot.',
          body: SegmentCreate,
          response: { 201: Segment, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await segments.create(req.principal, req.body)),
    );
    app.post(
      '/segments/preview',
      {
        schema: {
          tags,
          description: 'Exact size and a sample of the members of a rule, without saving it.',
          body: PreviewInput,
          response: { 200: PreviewResult, ...errors },
        },
      },
      async (req) => segments.preview(req.principal, req.body),
    );
    app.post(
      '/segments/overlap',
      {
        schema: {
          tags,
          description: 'Sizes of 2–10 segments and the profiles each pair shares.',
          body: OverlapInput,
          response: { 200: OverlapResult, ...errors },
        },
      },
      async (req) => segments.overlap(req.principal, req.body),
    );
    app.get(
      '/segments/:id',
      {
        schema: {
          tags,
          description: 'One segment, with its freshness.',
          params: IdParams,
          response: { 200: Segment, ...errors },
        },
      },
      async (req) => segments.get(req.principal, req.params.id),
    );
    app.patch(
      '/segments/:id',
      {
        schema: {
          tags,
          description:
            'Rename, describe, tag; change the rule or schedule of a dynamic segment (recomputes it).',
          params: IdParams,
          body: SegmentPatch,
          response: { 200: Segment, ...errors },
        },
      },
      async (req) => segments.update(req.principal, req.params.id, req.body),
    );
    app.delete(
      '/segments/:id',
      {
        schema: {
          tags,
          description: 'Delete a segment and its membership (409 while another segment references it).',
          params: IdParams,
          response: { 204: Type.Null(), ...errors },
        },
      },
      async (req, reply) => {
        await segments.remove(req.principal, req.params.id);
        return reply.status(204).send(null);
      },
    );
    for (const [path, description, run] of [
      [
        'copy',
        'A new segment with the same definition (a static copy gets the same members).',
        segments.copy,
      ],
      ['snapshot', 'A new static segment holding the current members.', segments.snapshot],
    ] as const) {
      app.post(
        `/segments/:id/${path}`,
        {
          // The body is optional: no body means no name.
          preValidation: async (req) => {
            req.body ??= {};
          },
          schema: {
            tags,
            description,
            params: IdParams,
            body: CopyInput,
            response: { 201: Segment, ...errors },
          },
        },
        async (req, reply) => reply.status(201).send(await run(req.principal, req.params.id, req.body)),
      );
    }
    app.post(
      '/segments/:id/recompute',
      {
        schema: {
          tags,
          description: 'Recompute now, as a job (GET /jobs/{id} reports progress and the result).',
          params: IdParams,
          response: { 202: JobSchema, ...errors },
        },
      },
      async (req, reply) => reply.status(202).send(await segments.recompute(req.principal, req.params.id)),
    );
    app.get(
      '/segments/:id/members',
      {
        schema: {
          tags,
          description: 'Current members by profile id, with traits and identifiers.',
          params: IdParams,
          querystring: PageQueryInput,
          response: { 200: Page(Member), ...errors },
        },
      },
      async (req) => segments.members(req.principal, req.params.id, req.query),
    );
    app.get(
      '/segments/:id/history',
      {
        schema: {
          tags,
          description: 'Enters and exits, newest first; with bucket=day, counts and size per UTC day.',
          params: IdParams,
          querystring: HistoryQuery,
          response: { 200: Type.Union([Page(HistoryEntry), Page(HistoryDay)]), ...errors },
        },
      },
      async (req) => segments.history(req.principal, req.params.id, req.query),
    );
    app.get(
      '/segments/:id/export',
      {
        schema: {
          tags,
          description:
            'Members with chosen identifiers and traits, streamed as CSV (default), XLSX or NDJSON.',
          params: IdParams,
          querystring: ExportQuery,
        },
      },
      async (req, reply) => {
        const out = await segments.export(req.principal, req.params.id, req.query);
        return reply
          .type(out.contentType)
          .header('content-disposition', disposition(out.filename))
          .send(out.stream);
      },
    );
    app.post(
      '/segments/:id/upload',
      {
        bodyLimit: UPLOAD_LIMIT,
        schema: {
          tags,
          description: `Members of a static segment from a CSV or XLSX file (the request body, Content-Type text/csv or ${XLSX_TYPE}); identifiers are normalised as at ingestion. Reports unmatched rows.`,
          params: IdParams,
          querystring: UploadQuery,
          response: { 200: UploadReport, ...errors },
        },
      },
      async (req) => {
        const file = Buffer.isBuffer(req.body) ? req.body : Buffer.from(String(req.body ?? ''));
        const xlsx = file.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
        return segments.upload(req.principal, req.params.id, file, xlsx ? 'xlsx' : 'csv', req.query);
      },
    );
  };
}
