/**
 * Result shapes of the reports (specs/reports.md), one TypeBox schema per kind: the response
 * schemas of the API and the types the builders return. Ratios with a zero denominator are null.
 * With a breakdown, `breakdown` lists the same fields per group (`value` null = no value).
 */
import { type Static, type TObject, type TProperties, Type } from '@sinclair/typebox';
import type { ReportKind } from './spec.ts';

const Ratio = Type.Union([Type.Number(), Type.Null()]);
const Count = Type.Integer({ minimum: 0 });
const DateText = Type.String({ description: 'Local date YYYY-MM-DD (first day of the bucket)' });

function withBreakdown<P extends TProperties>(props: P) {
  const group = Type.Object({
    value: Type.Union([Type.String(), Type.Null()], { description: 'Property/trait value or segment id' }),
    ...props,
  });
  return Type.Object({ ...props, breakdown: Type.Optional(Type.Array(group)) });
}

export const OverviewResult = withBreakdown({
  series: Type.Array(
    Type.Object({
      date: DateText,
      activeUsers: Count,
      newUsers: Count,
      returningUsers: Count,
      sessions: Count,
      events: Count,
    }),
  ),
  totals: Type.Object({
    dau: Type.Number({ description: 'Mean daily active users over the local days of the range' }),
    wau: Type.Number({ description: 'Mean weekly active users over the ISO weeks of the range' }),
    mau: Type.Number({ description: 'Mean monthly active users over the months of the range' }),
    stickiness: Ratio,
  }),
});

export const FunnelResult = withBreakdown({
  steps: Type.Array(
    Type.Object({
      event: Type.String(),
      users: Count,
      conversionFromStart: Ratio,
      conversionFromPrevious: Ratio,
      medianSecondsFromPrevious: Ratio,
    }),
  ),
});

export const RetentionResult = withBreakdown({
  cohorts: Type.Array(Type.Object({ cohort: DateText, size: Count, retained: Type.Array(Count) })),
});

export const LtvResult = withBreakdown({
  rows: Type.Array(
    Type.Object({ key: Type.String(), users: Count, cumulativeRevenuePerUser: Type.Array(Type.Number()) }),
  ),
});

export const RfmResult = withBreakdown({
  cells: Type.Array(
    Type.Object({
      name: Type.String(),
      r: Type.Integer(),
      f: Type.Integer(),
      m: Type.Integer(),
      users: Count,
      revenue: Type.Number(),
    }),
  ),
});

export const PathsResult = withBreakdown({
  nodes: Type.Array(
    Type.Object({ id: Type.String(), step: Type.Integer(), event: Type.String(), users: Count }),
  ),
  links: Type.Array(Type.Object({ source: Type.String(), target: Type.String(), users: Count })),
});

export const AttributionResult = withBreakdown({
  rows: Type.Array(
    Type.Object({
      channel: Type.String(),
      spend: Type.Union([Type.Number(), Type.Null()], { description: 'null inside breakdown groups' }),
      conversions: Type.Number({ description: 'Credited conversions (fractional for split models)' }),
      revenue: Type.Number(),
      cac: Ratio,
      romi: Ratio,
      roas: Ratio,
    }),
  ),
});

export const RevenueResult = withBreakdown({
  series: Type.Array(
    Type.Object({
      date: DateText,
      orders: Count,
      revenue: Type.Number(),
      aov: Ratio,
      buyers: Count,
      repeatBuyers: Count,
    }),
  ),
});

export const ContentResult = withBreakdown({
  rows: Type.Array(
    Type.Object({
      content: Type.String(),
      views: Count,
      viewers: Count,
      completionRate: Ratio,
      avgWatchSeconds: Ratio,
      pauses: Count,
      seeks: Count,
    }),
  ),
});

export const SubscriptionsResult = withBreakdown({
  series: Type.Array(
    Type.Object({
      date: DateText,
      active: Count,
      new: Count,
      renewed: Count,
      churned: Count,
      mrr: Type.Number(),
      churnRate: Ratio,
    }),
  ),
});

export const RESULT_SCHEMAS = {
  overview: OverviewResult,
  funnel: FunnelResult,
  retention: RetentionResult,
  ltv: LtvResult,
  rfm: RfmResult,
  paths: PathsResult,
  attribution: AttributionResult,
  revenue: RevenueResult,
  content: ContentResult,
  subscriptions: SubscriptionsResult,
} as const satisfies Record<ReportKind, TObject>;

export type ResultOf<K extends ReportKind> = Static<(typeof RESULT_SCHEMAS)[K]>;

/** The fields of a result without its breakdown (what one group holds). */
export type FieldsOf<K extends ReportKind> = Omit<ResultOf<K>, 'breakdown'>;
