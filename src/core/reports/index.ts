/**
 * Reports (specs/reports.md): spec schemas, validation, and one SQL builder per kind. Pure: the
 * analytics service runs the plan's queries and hands the rows back to `shape`.
 */
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

/** The queries and the shaping of a validated spec, for one workspace. */
export function planReport<K extends ReportKind>(r: Resolved<K>, workspaceId: string): ReportPlan<K> {
  const scope: Scope = { workspaceId, spec: r.spec, from: r.from, to: r.to, tz: r.tz };
  const planner = PLANNERS[r.kind] as Planner<K>;
  return planner(r, scope);
}
