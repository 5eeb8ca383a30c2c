/**
 * Report specs (specs/reports.md): one TypeBox schema per kind, sharing the common part. The
 * schemas validate requests (Fastify and `validateSpec`), give the types and feed OpenAPI.
 * Defaults are applied in code (`withDefaults` of each builder), not by the schema, so a result
 * echoes exactly the spec that was sent.
 */
import { type Static, type TProperties, Type } from '@sinclair/typebox';

export const REPORT_KINDS = [
  'overview',
  'funnel',
  'retention',
  'ltv',
  'rfm',
  'paths',
  'attribution',
  'revenue',
  'content',
  'subscriptions',
] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export function isReportKind(kind: string): kind is ReportKind {
  return (REPORT_KINDS as readonly string[]).includes(kind);
}

/** Property and trait names: dotted identifiers (≤ 8 levels); they reach SQL only as bound values. */
export const NAME_PATTERN = '^[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*){0,7}$';
export const FILTER_OPS = [
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'not_in',
  'contains',
  'exists',
  'not_exists',
] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

const literals = <T extends string>(values: readonly T[], description?: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    description ? { description } : {},
  );

const name = (description?: string) =>
  Type.String({ pattern: NAME_PATTERN, maxLength: 200, ...(description ? { description } : {}) });
const Name = name();
const EventName = Type.String({ minLength: 1, maxLength: 200, description: 'An event name' });
const instant = (description: string) => Type.String({ minLength: 10, maxLength: 40, description });
const Instant = instant('ISO-8601 date or date-time; UTC when it has no offset');

export const FilterSchema = Type.Object(
  {
    property: Type.Optional(name('An event property (dots reach nested values)')),
    trait: Type.Optional(name('A profile trait (dots reach nested values)')),
    op: literals(FILTER_OPS),
    // Not a union: a validator coercing types would turn `true` into "true" (eq is type-strict).
    // The value is checked against the operator by validateSpec.
    value: Type.Optional(
      Type.Unknown({
        description: 'A string, number or boolean; a list of them for in/not_in; none for exists',
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'A condition of segment-rules.md: `{"property":"utm_source","op":"eq","value":"yandex"}` on events or `{"trait":"city",…}` on profiles',
  },
);
export type Filter = Static<typeof FilterSchema>;

const Limit = (max: number, description: string) =>
  Type.Optional(Type.Integer({ minimum: 1, maximum: max, description }));

export const BreakdownSchema = Type.Union(
  [
    Type.Object(
      { property: Name, limit: Limit(100, 'Most values shown (by profiles), default 20') },
      { additionalProperties: false },
    ),
    Type.Object(
      { trait: Name, limit: Limit(100, 'Most values shown (by profiles), default 20') },
      { additionalProperties: false },
    ),
    Type.Object(
      { segment: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 20 }) },
      { additionalProperties: false },
    ),
  ],
  {
    description:
      'Split by the value of an event property (a profile takes the value on its first event in the range that has one), a profile trait, or segment membership',
  },
);
export type Breakdown = Static<typeof BreakdownSchema>;

const common = {
  from: Instant,
  to: instant('ISO-8601, exclusive; UTC when it has no offset'),
  timezone: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'IANA time zone days and weeks are cut in (UTC)',
    }),
  ),
  segmentId: Type.Optional(
    Type.String({ minLength: 1, maxLength: 100, description: 'Only members of this segment' }),
  ),
  filters: Type.Optional(Type.Array(FilterSchema, { maxItems: 50, description: 'All must hold' })),
  breakdown: Type.Optional(BreakdownSchema),
};

const spec = <P extends TProperties>(props: P, description: string) =>
  Type.Object({ ...common, ...props }, { additionalProperties: false, description });

const GranularitySchema = literals(['day', 'week', 'month'], 'Bucket size');
const RevenueProperty = Type.Optional(name('Numeric event property (revenue)'));

export const OverviewSpec = spec(
  { granularity: Type.Optional(GranularitySchema) },
  'Active, new and returning users, sessions and events per bucket; DAU/WAU/MAU.',
);

export const FunnelStepSchema = Type.Object(
  {
    event: EventName,
    where: Type.Optional(Type.Array(FilterSchema, { maxItems: 20, description: 'Property conditions' })),
  },
  { additionalProperties: false },
);

export const WindowSchema = Type.Union(
  [
    Type.Object({ days: Type.Integer({ minimum: 1, maximum: 366 }) }, { additionalProperties: false }),
    Type.Object({ hours: Type.Integer({ minimum: 1, maximum: 8784 }) }, { additionalProperties: false }),
  ],
  { description: 'Conversion window from the first step (7 days)' },
);

export const FunnelSpec = spec(
  {
    steps: Type.Array(FunnelStepSchema, { minItems: 2, maxItems: 10 }),
    window: Type.Optional(WindowSchema),
    order: Type.Optional(literals(['strict', 'any'], 'strict: steps in order (default); any: in any order')),
  },
  'Users reaching each step within the window (windowFunnel semantics).',
);

const NullableEvent = Type.Optional(Type.Union([EventName, Type.Null()]));
const Periods = Type.Optional(
  Type.Integer({ minimum: 1, maximum: 120, description: 'Periods after the first' }),
);

export const RetentionSpec = spec(
  {
    cohortEvent: NullableEvent,
    returnEvent: NullableEvent,
    period: Type.Optional(GranularitySchema),
    periods: Periods,
  },
  'Cohorts by the period of the first cohort event; users returning in each later period.',
);

export const LtvSpec = spec(
  {
    revenueProperty: RevenueProperty,
    period: Type.Optional(GranularitySchema),
    periods: Periods,
    by: Type.Optional(literals(['cohort', 'channel'])),
  },
  'Cumulative revenue per user by acquisition cohort or channel.',
);

export const RfmSpec = spec(
  { purchaseEvent: Type.Optional(EventName), revenueProperty: RevenueProperty },
  'Recency, frequency and monetary quintiles of buyers, with the named cells.',
);

export const PathsSpec = spec(
  {
    start: Type.Optional(EventName),
    end: Type.Optional(EventName),
    steps: Type.Optional(Type.Integer({ minimum: 2, maximum: 6, description: 'Events in a path (4)' })),
    topN: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, description: 'Events kept per step (10)' })),
  },
  'Paths after a start event or before an end event, as Sankey nodes and links.',
);

export const AttributionSpec = spec(
  {
    conversionEvent: Type.Optional(EventName),
    revenueProperty: RevenueProperty,
    model: Type.Optional(literals(['first_touch', 'last_touch', 'linear', 'time_decay', 'position_based'])),
    lookbackDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
    channel: Type.Optional(literals(['source', 'source_medium', 'campaign'])),
  },
  'Conversions and revenue credited to campaign touches, with spend, CAC, ROMI and ROAS.',
);

export const RevenueSpec = spec(
  {
    orderEvent: Type.Optional(EventName),
    revenueProperty: RevenueProperty,
    granularity: Type.Optional(GranularitySchema),
  },
  'Orders, revenue, AOV, buyers and repeat buyers per bucket.',
);

export const ContentSpec = spec(
  {
    contentProperty: Type.Optional(name('Property naming the content (content_id)')),
    limit: Limit(1000, 'Rows, most viewed first (100)'),
  },
  'Views, viewers, completion and watch time per content item from Video Playback events.',
);

export const SubscriptionsSpec = spec(
  {
    plan: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    granularity: Type.Optional(GranularitySchema),
  },
  'Active, new, renewed and churned subscriptions, MRR and churn rate per bucket.',
);

export const SPEC_SCHEMAS = {
  overview: OverviewSpec,
  funnel: FunnelSpec,
  retention: RetentionSpec,
  ltv: LtvSpec,
  rfm: RfmSpec,
  paths: PathsSpec,
  attribution: AttributionSpec,
  revenue: RevenueSpec,
  content: ContentSpec,
  subscriptions: SubscriptionsSpec,
} as const;

export type SpecOf<K extends ReportKind> = Static<(typeof SPEC_SCHEMAS)[K]>;
const CommonSchema = Type.Object(common);
export type CommonSpec = Static<typeof CommonSchema>;
export type Granularity = Static<typeof GranularitySchema>;
