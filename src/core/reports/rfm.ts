/**
 * rfm: buyers are profiles with at least one purchase event in [from, to). Recency = whole days
 * from their last purchase to `to`, frequency = purchases, monetary = sum of the numeric revenue
 * property. Each gets quintile scores 1..5 over all buyers (5 = best: most recent, most often, most
 * money): 1 + ⌊5 × (buyers strictly worse) / buyers⌋, so equal values share a score. Cells are the
 * (r, f, m) combinations present, named by the segment compiler's RFM cell table on (r, f).
 */
import { RFM_CELL_NAMES, RFM_CELLS } from '../segments/rfm-cells.ts';
import { param, raw, type SqlFragment, sql } from '../sql.ts';
import { revenueSql } from './columns.ts';
import { byGroup, num, type ReportPlan, type Row } from './plan.ts';
import type { ResultOf } from './results.ts';
import { profilesSql, type Scope, segmentOrder, withGroups } from './source.ts';
import type { SpecOf } from './spec.ts';
import { DAY_MS } from './time.ts';
import type { Resolved } from './validate.ts';

export function rfmDefaults(spec: SpecOf<'rfm'>) {
  return {
    purchaseEvent: spec.purchaseEvent ?? 'Order Completed',
    revenueProperty: spec.revenueProperty ?? 'revenue',
  };
}

/** Score 1..5: 1 + ⌊5 × (rows ranked strictly before) / rows⌋. */
function quintile(order: string): SqlFragment {
  return sql`1 + intDiv(5 * (rank() OVER (ORDER BY ${raw(order)}) - 1), count() OVER ())`;
}

/** Rows (grp, r, f, m, users, revenue). */
export function rfmSql(spec: SpecOf<'rfm'>, scope: Scope): SqlFragment {
  const { purchaseEvent, revenueProperty } = rfmDefaults(spec);
  const ms = sql`toUnixTimestamp64Milli(e.timestamp)`;
  const profiles = profilesSql(
    scope,
    { from: scope.from, to: scope.to, events: [purchaseEvent], perEvent: true },
    [
      { name: 'last', fn: 'max', expr: ms },
      { name: 'frequency', fn: 'count', expr: sql`1` },
      { name: 'monetary', fn: 'sum', expr: revenueSql(revenueProperty) },
    ],
  );
  const scored = sql`SELECT pid, monetary, ${quintile('recency DESC')} AS r, ${quintile('frequency')} AS f,
      ${quintile('monetary')} AS m
    FROM (SELECT pid, intDiv(${param(scope.to, 'Int64')} - assumeNotNull(last), ${param(DAY_MS, 'Int64')}) AS recency,
      frequency, monetary FROM (${profiles}))`;
  return sql`SELECT grp, r, f, m, count() AS users, sum(monetary) AS revenue
    FROM (${withGroups(scope, scored)}) GROUP BY grp, r, f, m`;
}

/** The named cell holding scores (r, f). */
export function cellName(r: number, f: number): string {
  const name = RFM_CELL_NAMES.find((n) => {
    const c = RFM_CELLS[n];
    return r >= c.r[0] && r <= c.r[1] && f >= c.f[0] && f <= c.f[1];
  });
  return name ?? 'unnamed';
}

function fields(rows: Row[]): ResultOf<'rfm'> {
  const cells = rows.map((x) => {
    const r = num(x.r);
    const f = num(x.f);
    return { name: cellName(r, f), r, f, m: num(x.m), users: num(x.users), revenue: num(x.revenue) };
  });
  cells.sort((a, b) => b.r - a.r || b.f - a.f || b.m - a.m);
  return { cells };
}

export function rfmPlan(r: Resolved<'rfm'>, scope: Scope): ReportPlan<'rfm'> {
  return {
    queries: { cells: rfmSql(r.spec, scope) },
    shape: (rows) =>
      byGroup<'rfm'>(rows.cells, !!scope.spec.breakdown, (g) => fields(g), segmentOrder(scope)),
  };
}
