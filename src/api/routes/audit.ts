import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Platform } from '../../platform/index.ts';
import { auditChange } from '../audit.ts';
import { errorResponses, Page, PageQuery } from '../schemas.ts';

const AuditEntry = Type.Object({
  id: Type.String(),
  at: Type.String(),
  actor: Type.Object({
    type: Type.String({ description: 'token, user or system' }),
    id: Type.Union([Type.String(), Type.Null()]),
    role: Type.Union([Type.String(), Type.Null()]),
    ip: Type.Union([Type.String(), Type.Null()]),
  }),
  action: Type.String({ description: 'segments.update, profiles.export, pii.read, auth.login…' }),
  target: Type.Object({
    type: Type.Union([Type.String(), Type.Null()]),
    id: Type.Union([Type.String(), Type.Null()]),
  }),
  before: Type.Unknown(),
  after: Type.Unknown(),
  status: Type.String({ description: 'succeeded or failed' }),
  httpStatus: Type.Union([Type.Integer(), Type.Null()]),
  detail: Type.Unknown(),
});

const PiiSettings = Type.Object({
  defaults: Type.Array(Type.String(), { description: 'Traits that are always PII' }),
  fields: Type.Array(Type.String(), { description: 'Traits this workspace marks as PII' }),
});

/** The audit log and the workspace's PII fields. */
export function auditRoutes(platform: Platform): FastifyPluginAsyncTypebox {
  const { audit, pii } = platform;
  return async (app) => {
    app.get(
      '/audit',
      {
        schema: {
          tags: ['audit'],
          description:
            'The audit log, newest first: changes, exports, PII reads and sign-ins. `action` takes a name or a prefix such as `segments.*`.',
          querystring: Type.Object({
            actor: Type.Optional(Type.String({ maxLength: 320, description: 'Token or user id' })),
            action: Type.Optional(Type.String({ maxLength: 100 })),
            targetType: Type.Optional(Type.String({ maxLength: 50 })),
            targetId: Type.Optional(Type.String({ maxLength: 100 })),
            from: Type.Optional(Type.String({ description: 'ISO-8601, inclusive' })),
            to: Type.Optional(Type.String({ description: 'ISO-8601, exclusive' })),
            ...PageQuery.properties,
          }),
          response: { 200: Page(AuditEntry), ...errorResponses },
        },
      },
      async (req) => audit.list(req.principal, req.query),
    );

    app.get(
      '/settings/pii',
      {
        schema: {
          tags: ['settings'],
          description: 'Which traits are PII: always the defaults, plus the ones this workspace marks.',
          response: { 200: PiiSettings, ...errorResponses },
        },
      },
      async (req) => pii.get(req.principal),
    );

    app.put(
      '/settings/pii',
      {
        schema: {
          tags: ['settings'],
          description:
            'Replace the traits this workspace marks as PII (names or dotted paths such as `billing.card`). Owner and admin only.',
          body: Type.Object({ fields: Type.Array(Type.String({ maxLength: 500 }), { maxItems: 200 }) }),
          response: { 200: PiiSettings, ...errorResponses },
        },
      },
      async (req) => {
        const before = await pii.get(req.principal);
        const after = await pii.save(req.principal, req.body);
        auditChange(req, before.fields, after.fields);
        return after;
      },
    );
  };
}
