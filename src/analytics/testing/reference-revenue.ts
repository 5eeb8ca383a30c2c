/** Brute-force ltv, rfm and revenue (see reference-scope.ts); campaign helpers for attribution. */
import type { Dataset, Ev, Json } from './dataset.ts';
import {
  byProfile,
  day,
  numeric,
  type Period,
  periodIndex,
  periodStart,
  periodsOf,
  type RefCommon,
  ratio,
  scope,
  valueAt,
  withBreakdown,
} from './reference-scope.ts';

const DAY = 86_400_000;

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** (source, medium, name) of the campaign an event carries; source '' = none. */
export function campaignOf(e: Ev): [string, string, string] {
  const c = valueAt(e.context, 'campaign');
  const cs = str(valueAt(e.context, 'campaign.source'));
  if (c && cs !== '')
    return [cs, str(valueAt(e.context, 'campaign.medium')), str(valueAt(e.context, 'campaign.name'))];
  const p: Json = e.properties;
  return [str(p.utm_source), str(p.utm_medium), str(p.utm_campaign)];
}

export function channelName(kind: string, source: string, medium: string, campaign: string): string {
  const none = (x: string) => (x === '' ? '(none)' : x);
  if (kind === 'source') return source;
  if (kind === 'source_medium') return `${source} / ${none(medium)}`;
  return none(campaign);
}

const bytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

export interface RefLtvSpec extends RefCommon {
  revenueProperty?: string;
  period?: Period;
  periods?: number;
  by?: 'cohort' | 'channel';
}

export function refLtv(ds: Dataset, ws: string, spec: RefLtvSpec) {
  const s = scope(ds, ws, spec);
  const p = spec.period ?? 'month';
  const periods = spec.periods ?? 6;
  const by = spec.by ?? 'cohort';
  const prop = spec.revenueProperty ?? 'revenue';
  const per = new Map<string, { key: string; cum: number[] }>();
  for (const [pid, evs] of byProfile(s.events, Number.NEGATIVE_INFINITY, s.to)) {
    const first = evs[0];
    if (first.ts < s.from) continue;
    const cohort = periodStart(day(first.ts, s.tz), p);
    let key = cohort;
    if (by === 'channel') {
      const touches = evs
        .map((e) => ({ t: e.ts, src: campaignOf(e)[0] }))
        .filter((x) => x.src !== '')
        .sort((a, b) => a.t - b.t || bytes(a.src, b.src));
      key = touches[0]?.src ?? '(none)';
    }
    const cum = Array(periods + 1).fill(0);
    for (const e of evs) {
      const rev = numeric(valueAt(e.properties, prop));
      if (rev === 0) continue;
      const k = periodIndex(cohort, periodStart(day(e.ts, s.tz), p), p);
      for (let j = k; j <= periods; j++) cum[j] += rev;
    }
    per.set(pid, { key, cum });
  }
  const lastPeriod = periodStart(day(s.to - 1, s.tz), p);
  return withBreakdown(s, per.keys(), (pids) => {
    const keys = new Map<string, { users: number; sums: number[] }>();
    for (const pid of pids) {
      const x = per.get(pid)!;
      const k = keys.get(x.key) ?? { users: 0, sums: Array(periods + 1).fill(0) };
      k.users++;
      x.cum.forEach((v, j) => {
        k.sums[j] += v;
      });
      keys.set(x.key, k);
    }
    const rows = [...keys].map(([key, { users, sums }]) => {
      const observable = by === 'cohort' ? Math.min(periods, periodIndex(key, lastPeriod, p)) : periods;
      return { key, users, cumulativeRevenuePerUser: sums.slice(0, observable + 1).map((v) => v / users) };
    });
    rows.sort((a, b) => (by === 'cohort' ? 0 : b.users - a.users) || (a.key < b.key ? -1 : 1));
    return { rows };
  });
}

const CELLS: [string, [number, number], [number, number]][] = [
  ['champions', [5, 5], [4, 5]],
  ['loyal', [3, 4], [4, 5]],
  ['potential_loyalists', [4, 5], [2, 3]],
  ['new_customers', [5, 5], [1, 1]],
  ['promising', [4, 4], [1, 1]],
  ['need_attention', [3, 3], [3, 3]],
  ['about_to_sleep', [3, 3], [1, 2]],
  ['at_risk', [1, 2], [3, 4]],
  ['cant_lose', [1, 2], [5, 5]],
  ['hibernating', [2, 2], [1, 2]],
  ['lost', [1, 1], [1, 2]],
];

export function refRfm(
  ds: Dataset,
  ws: string,
  spec: RefCommon & { purchaseEvent?: string; revenueProperty?: string },
) {
  const s = scope(ds, ws, spec);
  const event = spec.purchaseEvent ?? 'Order Completed';
  const prop = spec.revenueProperty ?? 'revenue';
  const buyers = new Map<string, { recency: number; frequency: number; monetary: number }>();
  for (const [pid, evs] of byProfile(s.events, s.from, s.to)) {
    const buys = evs.filter((e) => e.event === event);
    if (buys.length === 0) continue;
    const last = Math.max(...buys.map((e) => e.ts));
    buyers.set(pid, {
      recency: Math.floor((s.to - last) / DAY),
      frequency: buys.length,
      monetary: buys.reduce((sum, e) => sum + numeric(valueAt(e.properties, prop)), 0),
    });
  }
  const all = [...buyers.values()];
  const score = (worse: number) => 1 + Math.floor((5 * worse) / all.length);
  const scores = new Map(
    [...buyers].map(([pid, b]) => [
      pid,
      {
        r: score(all.filter((x) => x.recency > b.recency).length),
        f: score(all.filter((x) => x.frequency < b.frequency).length),
        m: score(all.filter((x) => x.monetary < b.monetary).length),
        monetary: b.monetary,
      },
    ]),
  );
  return withBreakdown(s, buyers.keys(), (pids) => {
    const cells = new Map<string, { r: number; f: number; m: number; users: number; revenue: number }>();
    for (const pid of pids) {
      const x = scores.get(pid)!;
      const key = `${x.r}${x.f}${x.m}`;
      const c = cells.get(key) ?? { r: x.r, f: x.f, m: x.m, users: 0, revenue: 0 };
      c.users++;
      c.revenue += x.monetary;
      cells.set(key, c);
    }
    return {
      cells: [...cells.values()]
        .map((c) => ({
          name: CELLS.find(([, r, f]) => c.r >= r[0] && c.r <= r[1] && c.f >= f[0] && c.f <= f[1])![0],
          ...c,
        }))
        .sort((a, b) => b.r - a.r || b.f - a.f || b.m - a.m),
    };
  });
}

export function refRevenue(
  ds: Dataset,
  ws: string,
  spec: RefCommon & { orderEvent?: string; revenueProperty?: string; granularity?: Period },
) {
  const s = scope(ds, ws, spec);
  const event = spec.orderEvent ?? 'Order Completed';
  const prop = spec.revenueProperty ?? 'revenue';
  const g = spec.granularity ?? 'day';
  const per = new Map<string, { firstDay: string; orders: { day: string; rev: number }[] }>();
  for (const [pid, evs] of byProfile(s.events, Number.NEGATIVE_INFINITY, s.to)) {
    const orders = evs.filter((e) => e.event === event);
    const inRange = orders.filter((e) => e.ts >= s.from);
    if (inRange.length === 0) continue;
    per.set(pid, {
      firstDay: day(orders[0].ts, s.tz),
      orders: inRange.map((e) => ({ day: day(e.ts, s.tz), rev: numeric(valueAt(e.properties, prop)) })),
    });
  }
  return withBreakdown(s, per.keys(), (pids) => ({
    series: periodsOf(s.from, s.to, s.tz, g).map((date) => {
      let orders = 0;
      let revenue = 0;
      let buyers = 0;
      let repeat = 0;
      for (const pid of pids) {
        const x = per.get(pid)!;
        const here = x.orders.filter((o) => periodStart(o.day, g) === date);
        if (here.length === 0) continue;
        orders += here.length;
        revenue += here.reduce((sum, o) => sum + o.rev, 0);
        buyers++;
        if (here.some((o) => o.day > x.firstDay)) repeat++;
      }
      return { date, orders, revenue, aov: ratio(revenue, orders), buyers, repeatBuyers: repeat };
    }),
  }));
}
