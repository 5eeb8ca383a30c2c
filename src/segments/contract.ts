/**
 * Request and response shapes of the segments API, one TypeBox schema each: Fastify validates
 * REST bodies with them, the service re-checks every input with them (GraphQL arrives here
 * too), the types come from `Static<>` and the OpenAPI document from the routes.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ValidationError } from '../core/errors.ts';
import { MAX_SCHEDULE_MINUTES } from './schedule.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const closed = { additionalProperties: false };

export const SegmentName = Type.String({ minLength: 1, maxLength: 200 });
export const SegmentTypeSchema = Type.Union([Type.Literal('dynamic'), Type.Literal('static')]);
export const TagSchema = Type.String({ minLength: 1, maxLength: 50 });
const Tags = Type.Array(TagSchema, { maxItems: 20, uniqueItems: true });
const Description = Type.String({ maxLength: 2000 });

/** A rule is checked by the rule validator (exact JSON paths), not by this schema. */
export const RuleInput = Type.Unknown({
  description:
    'Segment rule (docs/segments.md, schema SegmentRule). Checked by the rule validator: errors name the JSON path, e.g. /rule/and/0/op.',
});

export const ScheduleSchema = Type.Union(
  [
    Type.Integer({ minimum: 1, maximum: MAX_SCHEDULE_MINUTES, description: 'Every N minutes' }),
    Type.String({ minLength: 1, maxLength: 100, description: 'Five-field cron expression, UTC' }),
    Type.Null({ description: 'On demand only' }),
  ],
  { description: 'When a dynamic segment is recomputed (default every 15 minutes)' },
);

export const SegmentCreate = Type.Object(
  {
    name: SegmentName,
    description: Type.Optional(Description),
    type: Type.Optional(SegmentTypeSchema),
    rule: Type.Optional(RuleInput),
    schedule: Type.Optional(ScheduleSchema),
    tags: Type.Optional(Tags),
  },
  closed,
);
export type SegmentCreate = Static<typeof SegmentCreate>;

export const SegmentPatch = Type.Object(
  {
    name: Type.Optional(SegmentName),
    description: Type.Optional(Description),
    rule: Type.Optional(RuleInput),
    schedule: Type.Optional(ScheduleSchema),
    tags: Type.Optional(Tags),
  },
  closed,
);
export type SegmentPatch = Static<typeof SegmentPatch>;

export const CopyInput = Type.Object({ name: Type.Optional(SegmentName) }, closed);
export type CopyInput = Static<typeof CopyInput>;

export const SegmentSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Type.String(),
    type: SegmentTypeSchema,
    rule: Type.Unknown({ description: 'The rule; null for static segments' }),
    schedule: Type.Union([Type.Integer(), Type.String(), Type.Null()]),
    tags: Type.Array(Type.String()),
    createdBy: Nullable(Type.String()),
    updatedBy: Nullable(Type.String()),
    createdAt: Type.String(),
    updatedAt: Type.String(),
    lastSize: Nullable(Type.Number({ description: 'Members after the latest evaluation' })),
    lastComputedAt: Nullable(Type.String()),
    lastDurationMs: Nullable(Type.Number()),
    lastError: Nullable(Type.String()),
    stale: Type.Boolean({ description: 'The latest run failed, or a scheduled run is overdue' }),
    staleReason: Nullable(Type.Union([Type.Literal('failed'), Type.Literal('schedule_missed')])),
    nextRunAt: Nullable(Type.String()),
    realtime: Type.Boolean({ description: 'Profiles enter and leave as their events arrive' }),
  },
  { $id: 'Segment' },
);
export type SegmentView = Static<typeof SegmentSchema>;

export const PageQueryInput = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 2000 })),
});
export type PageQueryInput = Static<typeof PageQueryInput>;

export const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Text in the name or description' })),
  tag: Type.Optional(TagSchema),
  type: Type.Optional(SegmentTypeSchema),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 2000 })),
});
export type ListQuery = Static<typeof ListQuery>;

export const PreviewInput = Type.Object(
  { rule: RuleInput, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 })) },
  closed,
);
export type PreviewInput = Static<typeof PreviewInput>;

export const ProfileSample = Type.Object({
  profileId: Type.String(),
  traits: Type.Record(Type.String(), Type.Unknown()),
  identifiers: Type.Record(Type.String(), Type.Array(Type.String())),
  firstSeen: Type.String(),
  lastSeen: Type.String(),
});
export type ProfileSample = Static<typeof ProfileSample>;

export const PreviewResult = Type.Object({ size: Type.Number(), sample: Type.Array(ProfileSample) });
export type PreviewResult = Static<typeof PreviewResult>;

export const Member = Type.Object({
  profileId: Type.String(),
  enteredAt: Type.String(),
  traits: Type.Record(Type.String(), Type.Unknown()),
  identifiers: Type.Record(Type.String(), Type.Array(Type.String())),
});
export type Member = Static<typeof Member>;

export const HistoryQuery = Type.Object({
  from: Type.Optional(Type.String({ description: 'ISO-8601, inclusive (default: 30 days ago)' })),
  to: Type.Optional(Type.String({ description: 'ISO-8601, exclusive (default: now)' })),
  bucket: Type.Optional(Type.Literal('day', { description: 'Counts per UTC day instead of entries' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 2000 })),
});
export type HistoryQuery = Static<typeof HistoryQuery>;

export const HistoryEntry = Type.Object({
  profileId: Type.String(),
  change: Type.Union([Type.Literal('enter'), Type.Literal('exit')]),
  at: Type.String(),
  source: Type.String(),
});
export type HistoryEntry = Static<typeof HistoryEntry>;

export const HistoryDay = Type.Object({
  date: Type.String({ description: 'UTC day, YYYY-MM-DD' }),
  entered: Type.Number(),
  exited: Type.Number(),
  size: Type.Number({ description: 'Members at the end of the day' }),
});
export type HistoryDay = Static<typeof HistoryDay>;

export const EXPORT_FORMATS = ['csv', 'xlsx', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const ExportQuery = Type.Object({
  format: Type.Optional(Type.Union(EXPORT_FORMATS.map((f) => Type.Literal(f)))),
  identifiers: Type.Optional(
    Type.String({
      maxLength: 1000,
      description: 'Comma-separated identifier kinds (default user_id,email,phone); empty for none',
    }),
  ),
  traits: Type.Optional(
    Type.String({ maxLength: 4000, description: 'Comma-separated trait names (dots reach nested traits)' }),
  ),
});
export type ExportQuery = Static<typeof ExportQuery>;

export const OverlapInput = Type.Object(
  {
    segmentIds: Type.Array(Type.String({ maxLength: 100 }), { minItems: 2, maxItems: 10, uniqueItems: true }),
  },
  closed,
);
export type OverlapInput = Static<typeof OverlapInput>;

export const OverlapResult = Type.Object({
  segments: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), size: Type.Number() })),
  pairs: Type.Array(
    Type.Object({
      a: Type.String(),
      b: Type.String(),
      size: Type.Number({ description: 'Profiles in both' }),
      jaccard: Type.Number({ description: '|A ∩ B| / |A ∪ B|, 0 when both are empty' }),
    }),
  ),
});
export type OverlapResult = Static<typeof OverlapResult>;

export const UploadQuery = Type.Object({
  column: Type.Optional(
    Type.String({
      maxLength: 200,
      description: 'Header of the identifier column (default: the first known one)',
    }),
  ),
  kind: Type.Optional(
    Type.String({
      maxLength: 64,
      description:
        'Identifier kind of the column: email, phone, user_id, …, or profile_id (default: from the header)',
    }),
  ),
  mode: Type.Optional(
    Type.Union([Type.Literal('replace'), Type.Literal('add')], {
      description: 'replace (default): the list becomes the membership; add: listed profiles enter',
    }),
  ),
});
export type UploadQuery = Static<typeof UploadQuery>;

export const UploadReport = Type.Object({
  rows: Type.Number({ description: 'Data rows read (header excluded)' }),
  matched: Type.Number({ description: 'Rows that matched a profile' }),
  profiles: Type.Number({ description: 'Distinct profiles matched' }),
  unmatched: Type.Number(),
  unmatchedRows: Type.Array(
    Type.Object({
      row: Type.Number({ description: 'Row number in the file (the header is row 1)' }),
      value: Type.String(),
      reason: Type.String({ description: 'not_found, empty, invalid_email, invalid_phone, …' }),
    }),
    { description: 'The first 1,000 unmatched rows' },
  ),
  entered: Type.Number(),
  exited: Type.Number(),
  size: Type.Number(),
});
export type UploadReport = Static<typeof UploadReport>;

/** Checks a value against a schema the way Fastify does, for callers that bypass it (GraphQL). */
export function check<T extends TSchema>(schema: T, value: unknown, base = ''): Static<T> {
  if (Value.Check(schema, value)) return value as Static<T>;
  const details = [...Value.Errors(schema, value)].slice(0, 20).map((e) => ({
    path: `${base}${e.path}` || '/',
    message: e.message,
  }));
  throw new ValidationError(
    `Invalid request: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`,
    details,
  );
}
