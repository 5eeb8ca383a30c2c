/**
 * attribution: a touch is the first event of a session (a run of one profile's events with gaps ≤
 * 30 min) when that event carries a campaign (`context.campaign.source`, else `utm_source`); at
 * the same millisecond an event with a campaign comes first (then by channel name). The channel is
 * the source, "source / medium" or the campaign name ("(none)" for an empty part). Each conversion
 * event in [from, to) is credited to its profile's touches with conversion − lookback ≤ touch ≤
 * conversion: all to the earliest (first_touch), all to the latest (last_touch), equally
 * (linear), by weights 2^(−age / 7 days) normalised (time_decay), or 40 % first, 40 % last and
 * 20 % shared by the ones between (position_based; one touch takes all, two split 50/50).
 * Conversions without a touch go to "(none)". Spend = cost of spend rows whose UTC date (00:00)
 * lies in [from, to); cac = spend / conversions, romi = (revenue − spend) / spend,
 * roas = revenue / spend.
 */
import { param, raw, type SqlFragment, sql } from '../sql.ts';
import { type ChannelKind, channelSql, eventChannelSql, revenueSql } from './columns.ts';
import { byGroup, num, type ReportPlan, type Row, ratio } from './plan.ts';
import type { ResultOf } from './results.ts';
import { profilesSql, type Scope, segmentOrder, TOTAL, withGroups } from './source.ts';
import type { SpecOf } from './spec.ts';
import { DAY_MS, SESSION_GAP_MS } from './time.ts';
import type { Resolved } from './validate.ts';

export const NO_TOUCH = '(none)';
export const HALF_LIFE_MS = 7 * DAY_MS;

export type Model = 'first_touch' | 'last_touch' | 'linear' | 'time_decay' | 'position_based';

export function attributionDefaults(spec: SpecOf<'attribution'>) {
  return {
    conversionEvent: spec.conversionEvent ?? 'Order Completed',
    revenueProperty: spec.revenueProperty ?? 'revenue',
    model: (spec.model ?? 'last_touch') as Model,
    lookbackMs: (spec.lookbackDays ?? 30) * DAY_MS,
    channel: (spec.channel ?? 'source') as ChannelKind,
  };
}

/**
 * Weight of touch `t` (index i, 1-based) among the `n` eligible touches of conversion `c`;
 * `total` is the sum of the time-decay factors of those touches.
 */
function weightSql(model: Model): SqlFragment {
  switch (model) {
    case 'first_touch':
      return sql`if(i = 1, 1., 0.)`;
    case 'last_touch':
      return sql`if(i = n, 1., 0.)`;
    case 'linear':
      return sql`1. / n`;
    case 'time_decay':
      return sql`exp2(-(c.1 - t.1) / ${param(HALF_LIFE_MS, 'Float64')}) / total`;
    case 'position_based':
      return sql`multiIf(n = 1, 1., n = 2, 0.5, i = 1 OR i = n, 0.4, 0.2 / (n - 2))`;
  }
}

/** Rows (grp, channel, conversions, revenue) of the credited conversions. */
export function creditsSql(spec: SpecOf<'attribution'>, scope: Scope): SqlFragment {
  const { conversionEvent, revenueProperty, model, lookbackMs, channel } = attributionDefaults(spec);
  const lookback = param(lookbackMs, 'Int64');
  const from = param(scope.from, 'Int64');
  const ms = sql`toUnixTimestamp64Milli(e.timestamp)`;
  const ch = eventChannelSql(channel);
  const isConversion = sql`e.event = ${param(conversionEvent, 'String')}`;
  const profiles = profilesSql(
    scope,
    {
      from: scope.from - lookbackMs - SESSION_GAP_MS,
      to: scope.to,
      keepFirst: sql`${isConversion} AND ${ms} >= ${from}`,
    },
    [
      {
        name: 'ev',
        fn: 'array',
        expr: [
          ms,
          sql`toUInt8(${ch} = '')`,
          ch,
          sql`toUInt8(${isConversion})`,
          sql`if(${isConversion}, toFloat64(${revenueSql(revenueProperty)}), 0.)`,
        ],
      },
    ],
  );
  // Lambdas capture only scalars: an array used inside a lambda over another array is copied
  // for every element. Session starts come from the gaps to the previous event.
  const touches = sql`arrayMap(x -> (x.1, x.3), arrayFilter((x, gap, i) -> x.3 != '' AND x.1 >= ${from} - ${lookback}
      AND (i = 1 OR gap > ${param(SESSION_GAP_MS, 'Int64')}), ev, arrayDifference(arrayMap(x -> x.1, ev)), arrayEnumerate(ev)))`;
  const conversions = sql`arrayMap(x -> (x.1, x.5), arrayFilter(x -> x.4 = 1 AND x.1 >= ${from}, ev))`;
  const halfLife = param(HALF_LIFE_MS, 'Float64');
  const w = weightSql(model);
  const perConversion = sql`SELECT pid, c, el, length(el) AS n,
      arraySum(arrayMap(u -> exp2(-(c.1 - u.1) / ${halfLife}), el)) AS total
    FROM (SELECT pid, c, arrayFilter(t -> t.1 >= c.1 - ${lookback} AND t.1 <= c.1, touches) AS el
      FROM (SELECT pid, ${touches} AS touches, ${conversions} AS conversions FROM (${profiles}))
      ARRAY JOIN conversions AS c)`;
  const credits = sql`SELECT pid, if(n = 0, [(${param(NO_TOUCH, 'String')}, 1., c.2)],
      arrayFilter(x -> x.2 > 0, arrayMap((t, i) -> (t.2, ${w}, ${w} * c.2), el, arrayEnumerate(el)))) AS credits
    FROM (${perConversion})`;
  return sql`SELECT grp, x.1 AS channel, sum(x.2) AS conversions, sum(x.3) AS revenue
    FROM (${withGroups(scope, credits)}) ARRAY JOIN credits AS x
    GROUP BY grp, channel`;
}

/** Rows (channel, spend) of the spend table for [from, to) (UTC dates). */
export function spendSql(spec: SpecOf<'attribution'>, scope: Scope): SqlFragment {
  const { channel } = attributionDefaults(spec);
  const first = new Date(Math.ceil(scope.from / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
  const end = new Date(Math.ceil(scope.to / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
  const name = channelSql(channel, raw('source'), raw('medium'), raw('campaign'));
  return sql`SELECT ${name} AS channel, sum(cost) AS spend FROM marketing_spend FINAL
    WHERE workspace_id = ${param(scope.workspaceId, 'String')} AND date >= ${param(first, 'Date')} AND date < ${param(end, 'Date')}
    GROUP BY channel`;
}

function fields(rows: Row[], spend: Map<string, number> | null): ResultOf<'attribution'> {
  const channels = new Map<string, { conversions: number; revenue: number }>();
  for (const r of rows)
    channels.set(String(r.channel), { conversions: num(r.conversions), revenue: num(r.revenue) });
  if (spend)
    for (const ch of spend.keys()) if (!channels.has(ch)) channels.set(ch, { conversions: 0, revenue: 0 });
  const out = [...channels].map(([channel, { conversions, revenue }]) => {
    if (!spend) return { channel, spend: null, conversions, revenue, cac: null, romi: null, roas: null };
    const cost = spend.get(channel) ?? 0;
    return {
      channel,
      spend: cost,
      conversions,
      revenue,
      cac: ratio(cost, conversions),
      romi: ratio(revenue - cost, cost),
      roas: ratio(revenue, cost),
    };
  });
  out.sort(
    (a, b) => b.revenue - a.revenue || b.conversions - a.conversions || (a.channel < b.channel ? -1 : 1),
  );
  return { rows: out };
}

export function attributionPlan(r: Resolved<'attribution'>, scope: Scope): ReportPlan<'attribution'> {
  return {
    queries: { credits: creditsSql(r.spec, scope), spend: spendSql(r.spec, scope) },
    shape: (rows) => {
      const spend = new Map(rows.spend.map((s) => [String(s.channel), num(s.spend)]));
      return byGroup<'attribution'>(
        rows.credits,
        !!scope.spec.breakdown,
        (g, key) => fields(g, key === TOTAL ? spend : null),
        segmentOrder(scope),
      );
    },
  };
}
