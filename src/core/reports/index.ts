/**
 * Reports (specs/reports.md): spec schemas, validation, and one SQL builder per kind. Pure: the
 * analytics service runs the plan's queries and hands the rows back to `shape`.
 */

import { sql } from '../sql.ts';
import { attributionPlan } from './attribution.ts';
import { contentPlan } from './content.ts';
import { funnelPlan } from './funnel.ts';
import { ltvPlan } from './ltv.ts';
import { overviewPlan } from './overview.ts';
import { pathsPlan } from './paths.ts';
import type { ReportPlan } from './plan.ts';
import { retentionPlan } from './retention.ts';
import { revenuePlan } from './revenue.ts';
import { rfmPlan } from './rfm.ts';
import type { Scope } from './source.ts';
import type { ReportKind } from './spec.ts';
import { subscriptionsPlan } from './subscriptions.ts';
import type { Resolved } from './validate.ts';

export type { ReportPlan, Row } from './plan.ts';
export * from './results.ts';
export * from './spec.ts';
export { type Resolved, validateSpec } from './validate.ts';

type Planner<K extends ReportKind> = (r: Resolved<K>, scope: Scope) => ReportPlan<K>;

const PLANNERS: { [K in ReportKind]: Planner<K> } = {
  overview: overviewPlan,
  funnel: funnelPlan,
  retention: retentionPlan,
  ltv: ltvPlan,
  rfm: rfmPlan,
  paths: pathsPlan,
  attribution: attributionPlan,
  revenue: revenuePlan,
  content: contentPlan,
  subscriptions: subscriptionsPlan,
};

/**
 * Reports that aggregate most events of each profile (sessions, step sequences, cohorts, paths,
 * touches). They read `events` in its own order (profile, time): the by_event projection
 * (migration 0007), which ClickHouse would otherwise pick for a time range, hands the rows over in
 * event order, and the per-profile aggregation loses its locality — measured 1.3–1.8× slower.
 * Reports of a few event names (RFM, revenue, content, subscriptions) keep the projection.
 */
const BY_PROFILE_ORDER: ReadonlySet<ReportKind> = new Set([
  'overview',
  'funnel',
  'retention',
  'ltv',
  'paths',
  'attribution',
]);

/** The queries and the shaping of a validated spec, for one workspace. */
export function planReport<K extends ReportKind>(r: Resolved<K>, workspaceId: string): ReportPlan<K> {
  const scope: Scope = { workspaceId, spec: r.spec, from: r.from, to: r.to, tz: r.tz };
  const planner = PLANNERS[r.kind] as Planner<K>;
  const plan = planner(r, scope);
  if (!BY_PROFILE_ORDER.has(r.kind)) return plan;
  const queries = Object.fromEntries(
    Object.entries(plan.queries).map(([name, q]) => [name, sql`${q} SETTINGS optimize_use_projections = 0`]),
  );
  return { ...plan, queries };
}
