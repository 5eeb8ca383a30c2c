/**
 * ltv: profiles acquired in [from, to) (first event ever in the range), keyed by their cohort
 * (period of that first event) or by channel (campaign source of their earliest event carrying
 * one, "(none)" without). `cumulativeRevenuePerUser[K]` = revenue of the key's profiles in their
 * own periods 0..K after their first event, over the key's profiles. Revenue is the numeric
 * `revenueProperty` of any event before `to`. Cohort rows stop at the last period that has started.
 */
import { param, raw, type SqlFragment, sql } from '../sql.ts';
import { campaignSql, revenueSql } from './columns.ts';
import { byGroup, num, type ReportPlan, type Row } from './plan.ts';
import type { ResultOf } from './results.ts';
import { type ProfileAgg, profilesSql, type Scope, segmentOrder, withGroups } from './source.ts';
import type { Granularity, SpecOf } from './spec.ts';
import { bucketOf, bucketOfMsSql, lastLocalDate, periodsBetween, periodsBetweenSql } from './time.ts';
import type { Resolved } from './validate.ts';

export function ltvDefaults(spec: SpecOf<'ltv'>) {
  return {
    revenueProperty: spec.revenueProperty ?? 'revenue',
    period: (spec.period ?? 'month') as Granularity,
    periods: spec.periods ?? 6,
    by: spec.by ?? 'cohort',
  };
}

/** Rows (grp, key, users, sums): sums[K] = revenue of the key's profiles in periods 0..K. */
export function ltvSql(spec: SpecOf<'ltv'>, scope: Scope): SqlFragment {
  const { revenueProperty, period, periods, by } = ltvDefaults(spec);
  const ms = sql`toUnixTimestamp64Milli(e.timestamp)`;
  const from = param(scope.from, 'Int64');
  const rev = revenueSql(revenueProperty);
  const source = campaignSql().source;
  const aggs: ProfileAgg[] = [
    { name: 'first', fn: 'min', expr: ms },
    { name: 'revs', fn: 'array', expr: [ms, rev], when: sql`${rev} != 0` },
  ];
  if (by === 'channel')
    aggs.push({ name: 'touches', fn: 'array', expr: [ms, source], when: sql`${source} != ''` });
  const profiles = profilesSql(
    scope,
    { from: null, to: scope.to, keepIf: sql`${ms} >= ${from}`, dropIf: sql`${ms} < ${from}` },
    aggs,
    sql`first >= ${from}`,
  );
  const key = by === 'cohort' ? sql`toString(c)` : sql`if(empty(touches), '(none)', touches[1].2)`;
  const diff = periodsBetweenSql(raw('c'), bucketOfMsSql(raw('x.1'), period, scope.tz), period);
  const perProfile = sql`SELECT pid, ${key} AS key,
      arrayMap(k -> arraySum(arrayMap(x -> if(${diff} <= k, x.2, 0), revs)), range(0, ${param(periods + 1, 'UInt32')})) AS cum
    FROM (SELECT *, ${bucketOfMsSql(sql`assumeNotNull(first)`, period, scope.tz)} AS c FROM (${profiles}))`;
  return sql`SELECT grp, key, count() AS users, sumForEach(cum) AS sums
    FROM (${withGroups(scope, perProfile)}) GROUP BY grp, key`;
}

function fields(rows: Row[], spec: SpecOf<'ltv'>, scope: Scope): ResultOf<'ltv'> {
  const { period, periods, by } = ltvDefaults(spec);
  const lastBucket = bucketOf(lastLocalDate(scope.to, scope.tz), period);
  const out = rows.map((r) => {
    const users = num(r.users);
    const key = String(r.key);
    const observable = by === 'cohort' ? Math.min(periods, periodsBetween(key, lastBucket, period)) : periods;
    const sums = (r.sums as unknown[]).map(num).slice(0, observable + 1);
    return { key, users, cumulativeRevenuePerUser: sums.map((s) => s / users) };
  });
  if (by === 'cohort') out.sort((a, b) => (a.key < b.key ? -1 : 1));
  else out.sort((a, b) => b.users - a.users || (a.key < b.key ? -1 : 1));
  return { rows: out };
}

export function ltvPlan(r: Resolved<'ltv'>, scope: Scope): ReportPlan<'ltv'> {
  return {
    queries: { rows: ltvSql(r.spec, scope) },
    shape: (rows) =>
      byGroup<'ltv'>(rows.rows, !!scope.spec.breakdown, (g) => fields(g, r.spec, scope), segmentOrder(scope)),
  };
}
