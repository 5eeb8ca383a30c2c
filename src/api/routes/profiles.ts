import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { invalid } from '../../core/errors.ts';
import type { ProfileView } from '../../identity/index.ts';
import { maskProfilesFor } from '../../pii/apply.ts';
import type { Platform } from '../../platform/index.ts';
import { auditChange } from '../audit.ts';
import { errorResponses, IdParams, Page, PageQuery } from '../schemas.ts';

const Profile = Type.Object({
  id: Type.String(),
  traits: Type.Record(Type.String(), Type.Unknown()),
  traitSources: Type.Record(Type.String(), Type.Object({ source: Type.String(), time: Type.String() })),
  identities: Type.Array(
    Type.Object({
      type: Type.String(),
      value: Type.String(),
      firstSeen: Type.String(),
      lastSeen: Type.String(),
      source: Type.String(),
      shared: Type.Boolean(),
    }),
  ),
  devices: Type.Array(
    Type.Object({
      id: Type.String(),
      type: Type.Union([Type.String(), Type.Null()]),
      firstSeen: Type.String(),
      lastSeen: Type.String(),
    }),
  ),
  pushTokens: Type.Array(
    Type.Object({
      token: Type.String(),
      platform: Type.Union([Type.String(), Type.Null()]),
      lastUsed: Type.String(),
      invalidated: Type.Boolean(),
    }),
  ),
  segments: Type.Array(Type.String()),
  mergedFrom: Type.Array(Type.String()),
  firstSeen: Type.String(),
  lastSeen: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  redirectedFrom: Type.Optional(Type.String()),
});

const flat = (v: ProfileView) => ({
  id: v.id,
  createdAt: v.createdAt,
  firstSeen: v.firstSeen,
  lastSeen: v.lastSeen,
  identities: v.identities.map((i) => `${i.type}:${i.value}`).join(' '),
  traits: JSON.stringify(v.traits),
});

/**
 * Reads by id and by identifier answer with the stored JSON of the view when nothing needs masking
 * (see identity/profile-json.ts): the same text the response schema would serialise. Returned,
 * not `reply.send`: a JSON string is sent as is, and returning the reply would wait for it.
 */
const JSON_TYPE = 'application/json; charset=utf-8';

export function profileRoutes(platform: Platform): FastifyPluginAsyncTypebox {
  const { profiles } = platform.identity;
  const events = platform.ingest.events;
  return async (app) => {
    app.get(
      '/profiles',
      {
        schema: {
          tags: ['profiles'],
          description:
            'Lookup by identifier (`identifier=email:a@b.c`, normalised as at ingestion) or search (`q=` name, email or phone prefix).',
          querystring: Type.Object({
            identifier: Type.Optional(Type.String({ maxLength: 1000 })),
            q: Type.Optional(Type.String({ maxLength: 200 })),
            ...PageQuery.properties,
          }),
          response: { 200: Page(Profile), ...errorResponses },
        },
      },
      async (req, reply) => {
        const { identifier, q, limit, cursor } = req.query;
        if (identifier) {
          const stored = await profiles.lookupJson(req.principal, identifier);
          if (stored) {
            reply.type(JSON_TYPE);
            return `{"data":[${stored.json}],"nextCursor":null}`;
          }
          return { data: [await profiles.lookup(req.principal, identifier)], nextCursor: null };
        }
        if (q) return profiles.search(req.principal, q, limit, cursor);
        throw invalid('/q', 'give identifier=<type>:<value> or q=<text>');
      },
    );

    app.get(
      '/profiles/export',
      {
        schema: {
          tags: ['profiles'],
          description: 'Every live profile, streamed as NDJSON, CSV or XLSX.',
          querystring: Type.Object({
            format: Type.Optional(
              Type.Union([Type.Literal('ndjson'), Type.Literal('csv'), Type.Literal('xlsx')]),
            ),
          }),
        },
      },
      async (req, reply) => {
        const format = req.query.format ?? 'ndjson';
        const p = req.principal;
        const pages = async function* () {
          let after: string | null = null;
          for (;;) {
            const ids = await profiles.pageIds(p, 500, after);
            if (ids.length === 0) return;
            yield* await maskProfilesFor(platform.pii, p, await profiles.views(p.workspaceId, ids));
            after = ids[ids.length - 1];
          }
        };
        reply.header('content-disposition', `attachment; filename="profiles.${format}"`);
        reply.header('x-total-count', String(await profiles.countLive(p)));
        if (format === 'ndjson') {
          return reply.type('application/x-ndjson').send(
            Readable.from(
              (async function* () {
                for await (const v of pages()) yield `${JSON.stringify(v)}\n`;
              })(),
            ),
          );
        }
        if (format === 'csv') {
          const csv = stringify({
            header: true,
            columns: ['id', 'createdAt', 'firstSeen', 'lastSeen', 'identities', 'traits'],
          });
          void (async () => {
            for await (const v of pages())
              if (!csv.write(flat(v))) await new Promise((r) => csv.once('drain', r));
            csv.end();
          })().catch((err) => csv.destroy(err));
          return reply.type('text/csv; charset=utf-8').send(csv);
        }
        const out = new (await import('node:stream')).PassThrough();
        const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out });
        const sheet = wb.addWorksheet('profiles');
        sheet.columns = ['id', 'createdAt', 'firstSeen', 'lastSeen', 'identities', 'traits'].map((key) => ({
          header: key,
          key,
          width: 24,
        }));
        void (async () => {
          for await (const v of pages()) sheet.addRow(flat(v)).commit();
          sheet.commit();
          await wb.commit();
        })().catch((err) => out.destroy(err));
        return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(out);
      },
    );

    app.get(
      '/profiles/:id',
      {
        schema: {
          tags: ['profiles'],
          description:
            'One profile with identities, devices, push tokens and merge history. A merged-away id answers with the survivor and redirectedFrom.',
          params: IdParams,
          response: { 200: Profile, ...errorResponses },
        },
      },
      async (req, reply) => {
        const stored = await profiles.getJson(req.principal, req.params.id);
        if (stored) {
          reply.type(JSON_TYPE);
          return stored.json;
        }
        return profiles.get(req.principal, req.params.id);
      },
    );

    app.get(
      '/profiles/:id/events',
      {
        schema: {
          tags: ['profiles'],
          description: "The profile's timeline, newest first (events of merged profiles included).",
          params: IdParams,
          querystring: PageQuery,
        },
      },
      async (req) => {
        const v = await profiles.get(req.principal, req.params.id);
        return events.list(req.principal, { profileId: v.id }, req.query.limit, req.query.cursor);
      },
    );

    app.get(
      '/profiles/:id/merges',
      {
        schema: {
          tags: ['profiles'],
          description: 'Why and when this profile was merged: identifiers, event, reason.',
          params: IdParams,
        },
      },
      async (req) => profiles.merges(req.principal, req.params.id),
    );

    app.delete(
      '/profiles/:id',
      {
        schema: {
          tags: ['profiles'],
          description:
            'Erasure: the profile, profiles merged into it, their identities and events. A later replay of an erased event is dropped.',
          params: IdParams,
          response: { 200: Type.Object({ erased: Type.Array(Type.String()) }), ...errorResponses },
        },
      },
      async (req) => profiles.erase(req.principal, req.params.id),
    );

    app.post(
      '/identity/merges/:id/undo',
      {
        schema: {
          tags: ['identity'],
          description: 'Unmerge: split a wrong merge back by its recorded identifiers.',
          params: IdParams,
        },
      },
      async (req) => profiles.unmerge(req.principal, req.params.id),
    );

    app.get(
      '/identity/settings',
      { schema: { tags: ['identity'], description: 'Identity resolution settings of the workspace.' } },
      async (req) => profiles.settings(req.principal),
    );
    app.put(
      '/identity/settings',
      {
        schema: {
          tags: ['identity'],
          description: 'Replace the identity resolution settings (validated; fields left out take defaults).',
          body: Type.Unknown(),
        },
      },
      async (req) => {
        const before = await profiles.settings(req.principal);
        const after = await profiles.saveSettings(req.principal, req.body);
        auditChange(req, before, after);
        return after;
      },
    );
  };
}
