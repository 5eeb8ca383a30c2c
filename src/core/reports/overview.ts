/**
 * overview: per bucket, active users (≥ 1 event), new users (first event ever in the bucket),
 * returning users (active − new), sessions starting in the bucket (runs of one profile's events
 * with gaps ≤ 30 min, counted in the bucket of their first event) and events; totals DAU, WAU,
 * MAU (means over the local days, ISO weeks and months the range touches) and stickiness
 * (DAU / MAU). One pass over the profiles' events: history before `from` only tells whether a
 * profile is new.
 */
import { param, raw, type SqlFragment, sql } from '../sql.ts';
import { byGroup, num, type ReportPlan, type Row, ratio } from './plan.ts';
import type { ResultOf } from './results.ts';
import { profilesSql, type Scope, segmentOrder, withGroups } from './source.ts';
import type { Granularity } from './spec.ts';
import { bucketCount, bucketsOf, SESSION_GAP_MS } from './time.ts';
import type { Resolved } from './validate.ts';

export function overviewDefaults(r: Resolved<'overview'>) {
  return { granularity: (r.spec.granularity ?? 'day') as Granularity };
}

/**
 * Rows (grp, kind, bucket, users, sum_a, sum_b, sum_c): kind 'bucket' per bucket of the series
 * with events, sessions and new users; kind 'totals' with the profile-days, -weeks and -months.
 */
export function overviewSql(scope: Scope, granularity: Granularity): SqlFragment {
  const from = param(scope.from, 'Int64');
  const tz = param(scope.tz, 'String');
  const gap = param(SESSION_GAP_MS, 'Int64');
  const ms = sql`toUnixTimestamp64Milli(e.timestamp)`;
  const profiles = profilesSql(scope, { from: null, to: scope.to, keepIf: sql`${ms} >= ${from}` }, [
    { name: 'before', fn: 'count', expr: sql`1`, when: sql`${ms} < ${from}` },
    { name: 't', fn: 'array', expr: ms, when: sql`${ms} >= ${from} - ${gap}` },
  ]);
  const day = (x: SqlFragment) => sql`toDate(toTimeZone(fromUnixTimestamp64Milli(${x}, 'UTC'), ${tz}))`;
  const bucket = (d: string) =>
    raw(granularity === 'day' ? d : granularity === 'week' ? `toMonday(${d})` : `toStartOfMonth(${d})`);
  // Per profile: a cell per bucket of the series, and one 'totals' cell with the numbers of
  // distinct local days, weeks and months it was active in (their sums over profiles, divided by
  // the number of days, weeks and months, are the mean daily, weekly and monthly actives).
  const perProfile = sql`
    SELECT pid, arrayPushBack(
        arrayMap(b -> ('bucket', b, countEqual(buckets, b), countEqual(sbuckets, b), toUInt64(before = 0 AND b = buckets[1])),
          arrayDistinct(buckets)),
        ('totals', toDate(0), length(arrayDistinct(days)), length(arrayDistinct(arrayMap(x -> toMonday(x), days))),
          length(arrayDistinct(arrayMap(x -> toStartOfMonth(x), days))))
      ) AS cells
    FROM (
      SELECT pid, before, days, arrayMap(d -> ${bucket('d')}, days) AS buckets, arrayMap(d -> ${bucket('d')}, sdays) AS sbuckets
      FROM (
        SELECT pid, before,
          arrayMap(x -> ${day(raw('x'))}, arrayFilter(x -> x >= ${from}, t)) AS days,
          arrayMap(x -> ${day(raw('x'))},
            arrayFilter((x, d, i) -> x >= ${from} AND (i = 1 OR d > ${gap}), t, arrayDifference(t), arrayEnumerate(t))) AS sdays
        FROM (${profiles})))`;
  return sql`
    SELECT grp, c.1 AS kind, toString(c.2) AS bucket, count() AS users, sum(c.3) AS sum_a, sum(c.4) AS sum_b, sum(c.5) AS sum_c
    FROM (${withGroups(scope, perProfile)})
    ARRAY JOIN cells AS c
    GROUP BY grp, kind, bucket`;
}

function fields(rows: Row[], scope: Scope, g: Granularity): ResultOf<'overview'> {
  const cell = new Map(rows.filter((r) => r.kind === 'bucket').map((r) => [String(r.bucket), r]));
  const totals = rows.find((r) => r.kind === 'totals');
  const mean = (sum: unknown, kind: Granularity) =>
    num(sum) / bucketCount(scope.from, scope.to, scope.tz, kind);
  const series = bucketsOf(scope.from, scope.to, scope.tz, g).map((date) => {
    const r = cell.get(date);
    const active = num(r?.users);
    const fresh = num(r?.sum_c);
    return {
      date,
      activeUsers: active,
      newUsers: fresh,
      returningUsers: active - fresh,
      sessions: num(r?.sum_b),
      events: num(r?.sum_a),
    };
  });
  const dau = mean(totals?.sum_a, 'day');
  const mau = mean(totals?.sum_c, 'month');
  return { series, totals: { dau, wau: mean(totals?.sum_b, 'week'), mau, stickiness: ratio(dau, mau) } };
}

export function overviewPlan(r: Resolved<'overview'>, scope: Scope): ReportPlan<'overview'> {
  const { granularity } = overviewDefaults(r);
  return {
    queries: { cells: overviewSql(scope, granularity) },
    shape: (rows) =>
      byGroup<'overview'>(
        rows.cells,
        !!scope.spec.breakdown,
        (g) => fields(g, scope, granularity),
        segmentOrder(scope),
      ),
  };
}
