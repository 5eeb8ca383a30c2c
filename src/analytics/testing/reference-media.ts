/** Brute-force content and subscriptions (see reference-scope.ts). */
import type { Dataset } from './dataset.ts';
import {
  byProfile,
  day,
  numeric,
  type Period,
  periodStart,
  periodsOf,
  type RefCommon,
  ratio,
  scope,
  text,
  valueAt,
  withBreakdown,
} from './reference-scope.ts';

const RANK: Record<string, number> = {
  'Video Playback Completed': 0,
  'Video Playback Paused': 1,
  'Video Playback Seek Completed': 2,
  'Video Playback Started': 3,
};

const bytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

export function refContent(
  ds: Dataset,
  ws: string,
  spec: RefCommon & { contentProperty?: string; limit?: number },
) {
  const s = scope(ds, ws, spec);
  const prop = spec.contentProperty ?? 'content_id';
  const limit = spec.limit ?? 100;
  interface Item {
    views: number;
    pauses: number;
    seeks: number;
    completer: boolean;
    watch: number;
  }
  const per = new Map<string, Map<string, Item>>();
  for (const [pid, evs] of byProfile(s.events, s.from, s.to)) {
    const items = new Map<string, { t: number; rank: number; watch: number }[]>();
    for (const e of evs) {
      if (!(e.event in RANK)) continue;
      const key = text(valueAt(e.properties, prop));
      if (key === null) continue;
      const list = items.get(key) ?? [];
      list.push({ t: e.ts, rank: RANK[e.event], watch: numeric(valueAt(e.properties, 'watch_seconds')) });
      items.set(key, list);
    }
    if (items.size === 0) continue;
    const out = new Map<string, Item>();
    for (const [key, list] of items) {
      list.sort((a, b) => a.t - b.t || a.rank - b.rank);
      const best: number[] = [];
      let view = 0;
      for (const x of list) {
        if (x.rank === 3) view++;
        if (view > 0) best[view] = Math.max(best[view] ?? 0, x.watch);
      }
      const views = list.filter((x) => x.rank === 3).length;
      out.set(key, {
        views,
        pauses: list.filter((x) => x.rank === 1).length,
        seeks: list.filter((x) => x.rank === 2).length,
        completer: views > 0 && list.some((x) => x.rank === 0),
        watch: best.reduce((sum, w) => sum + (w ?? 0), 0),
      });
    }
    per.set(pid, out);
  }
  return withBreakdown(s, per.keys(), (pids) => {
    const rows = new Map<
      string,
      { views: number; viewers: number; completers: number; watch: number; pauses: number; seeks: number }
    >();
    for (const pid of pids) {
      for (const [content, x] of per.get(pid)!) {
        const r = rows.get(content) ?? { views: 0, viewers: 0, completers: 0, watch: 0, pauses: 0, seeks: 0 };
        r.views += x.views;
        r.viewers += x.views > 0 ? 1 : 0;
        r.completers += x.completer ? 1 : 0;
        r.watch += x.watch;
        r.pauses += x.pauses;
        r.seeks += x.seeks;
        rows.set(content, r);
      }
    }
    return {
      rows: [...rows]
        .sort((a, b) => b[1].views - a[1].views || bytes(a[0], b[0]))
        .slice(0, limit)
        .map(([content, r]) => ({
          content,
          views: r.views,
          viewers: r.viewers,
          completionRate: ratio(r.completers, r.viewers),
          avgWatchSeconds: ratio(r.watch, r.views),
          pauses: r.pauses,
          seeks: r.seeks,
        })),
    };
  });
}

const KIND: Record<string, number> = {
  'Subscription Started': 1,
  'Subscription Renewed': 2,
  'Subscription Cancelled': 3,
};

interface SubEv {
  t: number;
  kind: number;
  plan: string;
  hasPrice: boolean;
  price: number;
  period: number;
  bucket: string;
}

function compareSub(a: SubEv, b: SubEv): number {
  return (
    a.t - b.t ||
    a.kind - b.kind ||
    bytes(a.plan, b.plan) ||
    Number(a.hasPrice) - Number(b.hasPrice) ||
    a.price - b.price ||
    a.period - b.period
  );
}

function stateOf(list: SubEv[]) {
  const last = <T>(f: (x: SubEv) => boolean, get: (x: SubEv) => T, dflt: T) => {
    for (let i = list.length - 1; i >= 0; i--) if (f(list[i])) return get(list[i]);
    return dflt;
  };
  return {
    active: list.length > 0 && list[list.length - 1].kind !== 3,
    plan: last(
      (x) => x.plan !== '',
      (x) => x.plan,
      '',
    ),
    price: last(
      (x) => x.hasPrice,
      (x) => x.price,
      0,
    ),
    period: last(
      (x) => x.period > 0,
      (x) => x.period,
      30,
    ),
  };
}

export function refSubscriptions(
  ds: Dataset,
  ws: string,
  spec: RefCommon & { plan?: string; granularity?: Period },
) {
  const s = scope(ds, ws, spec);
  const g = spec.granularity ?? 'month';
  const buckets = periodsOf(s.from, s.to, s.tz, g);
  const onPlan = (p: string) => spec.plan === undefined || p === spec.plan;
  type Cell = {
    active: number;
    activeStart: number;
    mrr: number;
    started: number;
    renewed: number;
    churned: number;
  };
  const per = new Map<string, Map<string, Cell>>();
  for (const [pid, evs] of byProfile(s.events, Number.NEGATIVE_INFINITY, s.to)) {
    const subs: SubEv[] = evs
      .filter((e) => e.event in KIND)
      .map((e) => {
        const plan = valueAt(e.properties, 'plan');
        const price = valueAt(e.properties, 'price');
        const period = numeric(valueAt(e.properties, 'billing_period_days'));
        return {
          t: e.ts,
          kind: KIND[e.event],
          plan: typeof plan === 'string' ? plan : '',
          hasPrice: price !== undefined && price !== null,
          price: numeric(price),
          period: Math.max(period, 0),
          bucket: periodStart(day(e.ts, s.tz), g),
        };
      })
      .sort(compareSub);
    if (subs.length === 0) continue;
    const plans = subs.map((_, i) => stateOf(subs.slice(0, i + 1)).plan);
    const cells = new Map<string, Cell>();
    for (const b of buckets) {
      const end = stateOf(subs.filter((x) => x.bucket <= b));
      const start = stateOf(subs.filter((x) => x.bucket < b));
      const active = end.active && onPlan(end.plan) ? 1 : 0;
      const flows = (k: number) =>
        subs.filter((x, i) => x.bucket === b && x.t >= s.from && x.kind === k && onPlan(plans[i])).length;
      const cell = {
        active,
        activeStart: start.active && onPlan(start.plan) ? 1 : 0,
        mrr: active ? (end.price * 30) / end.period : 0,
        started: flows(1),
        renewed: flows(2),
        churned: flows(3),
      };
      if (cell.active || cell.activeStart || cell.started || cell.renewed || cell.churned) cells.set(b, cell);
    }
    if (cells.size) per.set(pid, cells);
  }
  return withBreakdown(s, per.keys(), (pids) => ({
    series: buckets.map((date) => {
      const sum = { active: 0, activeStart: 0, mrr: 0, started: 0, renewed: 0, churned: 0 };
      for (const pid of pids) {
        const c = per.get(pid)!.get(date);
        if (!c) continue;
        for (const k of Object.keys(sum) as (keyof Cell)[]) sum[k] += c[k];
      }
      return {
        date,
        active: sum.active,
        new: sum.started,
        renewed: sum.renewed,
        churned: sum.churned,
        mrr: sum.mrr,
        churnRate: ratio(sum.churned, sum.activeStart),
      };
    }),
  }));
}
