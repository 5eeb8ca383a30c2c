/**
 * subscriptions, from `Subscription Started`, `Subscription Renewed` and `Subscription Cancelled`
 * events (at the same millisecond in that order). A profile's subscription state at an instant is
 * its latest such event before it: active unless that is a Cancelled. Its plan, price and
 * billing period are the latest non-empty `plan`, numeric `price` and positive
 * `billing_period_days` among its events so far (period 30 days without one).
 * Per bucket: `active` = profiles active at its end (or at `to`), `new` / `renewed` / `churned`
 * = Started / Renewed / Cancelled events in it (and in [from, to)), `mrr` = sum over active
 * profiles of price × 30 / period, `churnRate` = churned / profiles active at its start. With
 * `plan`, only events whose plan so far is it, and active profiles on it, count.
 */
import { param, raw, type SqlFragment, sql } from '../sql.ts';
import { jsonValue } from './filters.ts';
import { byGroup, num, type ReportPlan, type Row, ratio } from './plan.ts';
import type { ResultOf } from './results.ts';
import { profilesSql, type Scope, segmentOrder, withGroups } from './source.ts';
import type { Granularity, SpecOf } from './spec.ts';
import { bucketSql, bucketsOf } from './time.ts';
import type { Resolved } from './validate.ts';

export const SUBSCRIPTION_EVENTS = [
  'Subscription Started',
  'Subscription Renewed',
  'Subscription Cancelled',
] as const;
const CANCELLED = 3;
export const DEFAULT_PERIOD_DAYS = 30;

export function subscriptionsDefaults(spec: SpecOf<'subscriptions'>) {
  return { plan: spec.plan ?? null, granularity: (spec.granularity ?? 'month') as Granularity };
}

/** Rows (grp, bucket, n_active, n_started, n_renewed, n_churned, total_mrr, n_active_start). */
export function subscriptionsSql(spec: SpecOf<'subscriptions'>, scope: Scope): SqlFragment {
  const { plan, granularity } = subscriptionsDefaults(spec);
  const buckets = bucketsOf(scope.from, scope.to, scope.tz, granularity);
  const kind = sql`toUInt8(indexOf(${param(SUBSCRIPTION_EVENTS, 'Array(String)')}, e.event))`;
  const planV = jsonValue(sql`e.properties`, 'plan');
  const price = jsonValue(sql`e.properties`, 'price');
  const periodDays = jsonValue(sql`e.properties`, 'billing_period_days').num;
  const profiles = profilesSql(scope, { from: null, to: scope.to, events: SUBSCRIPTION_EVENTS }, [
    {
      name: 'ev',
      fn: 'array',
      // (ms, kind, plan or '', has price, price, period days or 0, bucket)
      expr: [
        sql`toUnixTimestamp64Milli(e.timestamp)`,
        kind,
        sql`if(${planV.isString}, ${planV.str}, '')`,
        sql`toUInt8(${price.present})`,
        sql`toFloat64(${price.num})`,
        sql`toFloat64(if(${periodDays} > 0, ${periodDays}, 0))`,
        bucketSql(sql`e.timestamp`, granularity, scope.tz),
      ],
    },
  ]);
  const from = param(scope.from, 'Int64');
  const onPlan = (p: SqlFragment) => (plan === null ? sql`1` : sql`${p} = ${param(plan, 'String')}`);
  const flows = (k: number) =>
    sql`arrayCount((x, p) -> x.7 = b AND x.1 >= ${from} AND x.2 = ${param(k, 'UInt8')} AND ${onPlan(raw('p'))}, ev, plans)`;
  const perBucket = sql`SELECT pid, b, toUInt8(se.1 AND ${onPlan(raw('se.2'))}) AS active,
      toUInt8(ss.1 AND ${onPlan(raw('ss.2'))}) AS active_start,
      if(active = 1, se.3 * ${param(DEFAULT_PERIOD_DAYS, 'Float64')} / se.4, 0.) AS mrr,
      ${flows(1)} AS started, ${flows(2)} AS renewed, ${flows(CANCELLED)} AS churned
    FROM (
      SELECT pid, ev, plans, b, ${stateSql(raw('upto'))} AS se, ${stateSql(raw('before'))} AS ss
      FROM (
        SELECT pid, ev, plans, b, arrayFilter(x -> x.7 <= b, ev) AS upto, arrayFilter(x -> x.7 < b, ev) AS before
        FROM (SELECT pid, ev, arrayMap(i -> arrayLast(y -> y.3 != '', arraySlice(ev, 1, i)).3, arrayEnumerate(ev)) AS plans
          FROM (${profiles}))
        ARRAY JOIN ${param(buckets, 'Array(Date)')} AS b))
    WHERE active = 1 OR active_start = 1 OR started > 0 OR renewed > 0 OR churned > 0`;
  return sql`SELECT grp, toString(b) AS bucket, sum(active) AS n_active, sum(started) AS n_started,
      sum(renewed) AS n_renewed, sum(churned) AS n_churned, sum(mrr) AS total_mrr, sum(active_start) AS n_active_start
    FROM (${withGroups(scope, perBucket)}) GROUP BY grp, bucket`;
}

/**
 * The subscription state after the (time-ordered) events of `list`: (active, plan, price, period
 * days). Plan, price and period are carried from the latest event that has them.
 */
function stateSql(list: SqlFragment): SqlFragment {
  return sql`(notEmpty(${list}) AND ${list}[-1].2 != ${param(CANCELLED, 'UInt8')},
    arrayLast(y -> y.3 != '', ${list}).3,
    arrayLast(y -> y.4 = 1, ${list}).5,
    if(arrayExists(y -> y.6 > 0, ${list}), arrayLast(y -> y.6 > 0, ${list}).6, ${param(DEFAULT_PERIOD_DAYS, 'Float64')}))`;
}

function fields(rows: Row[], spec: SpecOf<'subscriptions'>, scope: Scope): ResultOf<'subscriptions'> {
  const { granularity } = subscriptionsDefaults(spec);
  const cell = new Map(rows.map((r) => [String(r.bucket), r]));
  return {
    series: bucketsOf(scope.from, scope.to, scope.tz, granularity).map((date) => {
      const r = cell.get(date);
      const churned = num(r?.n_churned);
      return {
        date,
        active: num(r?.n_active),
        new: num(r?.n_started),
        renewed: num(r?.n_renewed),
        churned,
        mrr: num(r?.total_mrr),
        churnRate: ratio(churned, num(r?.n_active_start)),
      };
    }),
  };
}

export function subscriptionsPlan(r: Resolved<'subscriptions'>, scope: Scope): ReportPlan<'subscriptions'> {
  return {
    queries: { series: subscriptionsSql(r.spec, scope) },
    shape: (rows) =>
      byGroup<'subscriptions'>(
        rows.series,
        !!scope.spec.breakdown,
        (g) => fields(g, r.spec, scope),
        segmentOrder(scope),
      ),
  };
}
