/**
 * revenue: per bucket, `orders` = order events, `revenue` = sum of their numeric revenue property,
 * `aov` = revenue / orders, `buyers` = distinct ordering profiles, `repeatBuyers` = buyers with an
 * order in the bucket on a local day after the day of their first order ever.
 */
import { param, raw, type SqlFragment, sql } from '../sql.ts';
import { revenueSql } from './columns.ts';
import { byGroup, num, type ReportPlan, type Row, ratio } from './plan.ts';
import type { ResultOf } from './results.ts';
import { profilesSql, type Scope, segmentOrder, withGroups } from './source.ts';
import type { Granularity, SpecOf } from './spec.ts';
import { bucketOfMsSql, bucketsOf } from './time.ts';
import type { Resolved } from './validate.ts';

export function revenueDefaults(spec: SpecOf<'revenue'>) {
  return {
    orderEvent: spec.orderEvent ?? 'Order Completed',
    revenueProperty: spec.revenueProperty ?? 'revenue',
    granularity: (spec.granularity ?? 'day') as Granularity,
  };
}

/** Rows (grp, bucket, orders, revenue, buyers, repeat_buyers). */
export function revenueSeriesSql(spec: SpecOf<'revenue'>, scope: Scope): SqlFragment {
  const { orderEvent, revenueProperty, granularity } = revenueDefaults(spec);
  const ms = sql`toUnixTimestamp64Milli(e.timestamp)`;
  const from = param(scope.from, 'Int64');
  const profiles = profilesSql(
    scope,
    { from: null, to: scope.to, events: [orderEvent], keepIf: sql`${ms} >= ${from}`, perEvent: true },
    [
      { name: 'first', fn: 'min', expr: ms },
      {
        name: 'orders',
        fn: 'array',
        expr: [ms, sql`toFloat64(${revenueSql(revenueProperty)})`],
        when: sql`${ms} >= ${from}`,
      },
    ],
  );
  const day = (x: SqlFragment) => bucketOfMsSql(x, 'day', scope.tz);
  const bucket = (x: SqlFragment) => bucketOfMsSql(x, granularity, scope.tz);
  const perProfile = sql`SELECT pid, arrayMap(b -> (b,
        arrayCount(x -> ${bucket(raw('x.1'))} = b, orders),
        arraySum(arrayMap(x -> if(${bucket(raw('x.1'))} = b, x.2, 0), orders)),
        toUInt8(arrayExists(x -> ${bucket(raw('x.1'))} = b AND ${day(raw('x.1'))} > fd, orders))),
      arrayDistinct(arrayMap(x -> ${bucket(raw('x.1'))}, orders))) AS cells
    FROM (SELECT pid, orders, ${day(sql`assumeNotNull(first)`)} AS fd FROM (${profiles}))`;
  return sql`SELECT grp, toString(c.1) AS bucket, sum(c.2) AS orders, sum(c.3) AS revenue, count() AS buyers,
      sum(c.4) AS repeat_buyers
    FROM (${withGroups(scope, perProfile)}) ARRAY JOIN cells AS c
    GROUP BY grp, bucket`;
}

function fields(rows: Row[], spec: SpecOf<'revenue'>, scope: Scope): ResultOf<'revenue'> {
  const { granularity } = revenueDefaults(spec);
  const cell = new Map(rows.map((r) => [String(r.bucket), r]));
  return {
    series: bucketsOf(scope.from, scope.to, scope.tz, granularity).map((date) => {
      const r = cell.get(date);
      const orders = num(r?.orders);
      const revenue = num(r?.revenue);
      return {
        date,
        orders,
        revenue,
        aov: ratio(revenue, orders),
        buyers: num(r?.buyers),
        repeatBuyers: num(r?.repeat_buyers),
      };
    }),
  };
}

export function revenuePlan(r: Resolved<'revenue'>, scope: Scope): ReportPlan<'revenue'> {
  return {
    queries: { series: revenueSeriesSql(r.spec, scope) },
    shape: (rows) =>
      byGroup<'revenue'>(
        rows.series,
        !!scope.spec.breakdown,
        (g) => fields(g, r.spec, scope),
        segmentOrder(scope),
      ),
  };
}
