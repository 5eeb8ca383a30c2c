/**
 * retention: a profile's cohort is the period (day, ISO week or month, local to the time zone) of
 * its first-ever cohort event (any event when null), for first events in [from, to).
 * `retained[0]` is the cohort size; `retained[K]` the cohort's profiles with at least one return
 * event (any event when null) in period cohort + K. Return events at or after `to` are ignored;
 * periods that start at or after `to` are not listed.
 */
import { param, raw, type SqlFragment, sql } from '../sql.ts';
import { byGroup, num, type ReportPlan, type Row } from './plan.ts';
import type { ResultOf } from './results.ts';
import { profilesSql, type Scope, segmentOrder, withGroups } from './source.ts';
import type { Granularity, SpecOf } from './spec.ts';
import {
  bucketOf,
  bucketOfMsSql,
  bucketSql,
  bucketsOf,
  lastLocalDate,
  periodsBetween,
  periodsBetweenSql,
} from './time.ts';
import type { Resolved } from './validate.ts';

export function retentionDefaults(spec: SpecOf<'retention'>) {
  return {
    cohortEvent: spec.cohortEvent ?? null,
    returnEvent: spec.returnEvent ?? null,
    period: (spec.period ?? 'week') as Granularity,
    periods: spec.periods ?? 8,
  };
}

/** `e.event = name`, or true when name is null (any event). */
function isEvent(name: string | null): SqlFragment {
  return name === null ? sql`1` : sql`e.event = ${param(name, 'String')}`;
}

/** Rows (grp, cohort, k, users). */
export function retentionSql(spec: SpecOf<'retention'>, scope: Scope): SqlFragment {
  const { cohortEvent, returnEvent, period, periods } = retentionDefaults(spec);
  const from = param(scope.from, 'Int64');
  const ms = sql`toUnixTimestamp64Milli(e.timestamp)`;
  const names =
    cohortEvent !== null && returnEvent !== null ? [...new Set([cohortEvent, returnEvent])] : undefined;
  const profiles = profilesSql(
    scope,
    {
      from: null,
      to: scope.to,
      events: names,
      keepIf: sql`${isEvent(cohortEvent)} AND ${ms} >= ${from}`,
      dropIf: sql`${isEvent(cohortEvent)} AND ${ms} < ${from}`,
    },
    [
      { name: 'first', fn: 'min', expr: ms, when: isEvent(cohortEvent) },
      {
        name: 'returns',
        fn: 'array',
        expr: bucketSql(sql`e.timestamp`, period, scope.tz),
        when: sql`${isEvent(returnEvent)} AND ${ms} >= ${from}`,
      },
    ],
    sql`first IS NOT NULL AND first >= ${from}`,
  );
  const diff = periodsBetweenSql(raw('c'), raw('b'), period);
  const perProfile = sql`SELECT pid, c AS cohort,
      arrayConcat([0], arrayFilter(k -> k >= 1 AND k <= ${param(periods, 'Int64')}, arrayMap(b -> ${diff}, arrayDistinct(returns)))) AS ks
    FROM (SELECT pid, returns, ${bucketOfMsSql(sql`assumeNotNull(first)`, period, scope.tz)} AS c FROM (${profiles}))`;
  return sql`SELECT grp, toString(cohort) AS cohort, k, count() AS users
    FROM (${withGroups(scope, perProfile)}) ARRAY JOIN ks AS k
    GROUP BY grp, cohort, k`;
}

function fields(rows: Row[], spec: SpecOf<'retention'>, scope: Scope): ResultOf<'retention'> {
  const { period, periods } = retentionDefaults(spec);
  const cell = new Map(rows.map((r) => [`${r.cohort}/${num(r.k)}`, num(r.users)]));
  const lastBucket = bucketOf(lastLocalDate(scope.to, scope.tz), period);
  return {
    cohorts: bucketsOf(scope.from, scope.to, scope.tz, period).map((cohort) => {
      const observable = Math.min(periods, periodsBetween(cohort, lastBucket, period));
      const retained = Array.from({ length: observable + 1 }, (_, k) => cell.get(`${cohort}/${k}`) ?? 0);
      return { cohort, size: retained[0], retained };
    }),
  };
}

export function retentionPlan(r: Resolved<'retention'>, scope: Scope): ReportPlan<'retention'> {
  return {
    queries: { cohorts: retentionSql(r.spec, scope) },
    shape: (rows) =>
      byGroup<'retention'>(
        rows.cohorts,
        !!scope.spec.breakdown,
        (g) => fields(g, r.spec, scope),
        segmentOrder(scope),
      ),
  };
}
