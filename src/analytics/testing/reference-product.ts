/** Brute-force overview, funnel, retention and paths (see reference-scope.ts). */
import type { Dataset } from './dataset.ts';
import {
  byProfile,
  day,
  holds,
  median,
  type Period,
  periodIndex,
  periodStart,
  periodsOf,
  type REv,
  type RefCommon,
  type RefFilter,
  ratio,
  scope,
  valueAt,
  withBreakdown,
} from './reference-scope.ts';

const GAP = 30 * 60_000;

export function refOverview(ds: Dataset, ws: string, spec: RefCommon & { granularity?: Period }) {
  const s = scope(ds, ws, spec);
  const g = spec.granularity ?? 'day';
  const history = byProfile(s.events, Number.NEGATIVE_INFINITY, s.to);
  interface P {
    days: string[];
    starts: number[];
    isNew: boolean;
  }
  const per = new Map<string, P>();
  for (const [pid, evs] of history) {
    const inRange = evs.filter((e) => e.ts >= s.from);
    if (inRange.length === 0) continue;
    const times = new Set(evs.map((e) => e.ts));
    const starts = [...new Set(inRange.map((e) => e.ts))].filter(
      (t) => ![...times].some((u) => u >= t - GAP && u < t),
    );
    per.set(pid, {
      days: inRange.map((e) => day(e.ts, s.tz)),
      starts,
      isNew: !evs.some((e) => e.ts < s.from),
    });
  }
  const activeIn = (pids: Set<string>, p: Period, bucket: string) =>
    [...pids].filter((pid) => per.get(pid)!.days.some((d) => periodStart(d, p) === bucket)).length;
  return withBreakdown(s, per.keys(), (pids) => {
    const series = periodsOf(s.from, s.to, s.tz, g).map((date) => {
      let events = 0;
      let sessions = 0;
      let fresh = 0;
      for (const pid of pids) {
        const x = per.get(pid)!;
        events += x.days.filter((d) => periodStart(d, g) === date).length;
        sessions += x.starts.filter((t) => periodStart(day(t, s.tz), g) === date).length;
        if (x.isNew && periodStart(x.days[0], g) === date) fresh++;
      }
      const active = activeIn(pids, g, date);
      return { date, activeUsers: active, newUsers: fresh, returningUsers: active - fresh, sessions, events };
    });
    const mean = (p: Period) => {
      const buckets = periodsOf(s.from, s.to, s.tz, p);
      return buckets.reduce((sum, b) => sum + activeIn(pids, p, b), 0) / buckets.length;
    };
    const dau = mean('day');
    const mau = mean('month');
    return { series, totals: { dau, wau: mean('week'), mau, stickiness: ratio(dau, mau) } };
  });
}

export interface RefFunnelSpec extends RefCommon {
  steps: { event: string; where?: RefFilter[] }[];
  window?: { days: number } | { hours: number };
  order?: 'strict' | 'any';
}

/** Same millisecond: by the lowest step matched, then by the set of steps as a bit mask. */
function tieOrder(a: number[], b: number[]): number {
  const mask = (xs: number[]) => xs.reduce((m, j) => m + 2 ** (j - 1), 0);
  return a[0] - b[0] || mask(a) - mask(b);
}

/** Deepest step and, per step k ≥ 2 reached, the gap of the first arrival at k (strict order). */
function strictFunnel(rows: { t: number; steps: number[] }[], n: number, w: number) {
  // best[i][j]: latest chain start among chains that end with row i serving step j.
  const best: (number | undefined)[][] = rows.map(() => Array(n + 1).fill(undefined));
  rows.forEach((row, i) => {
    for (const j of row.steps) {
      if (j === 1) {
        best[i][1] = row.t;
        continue;
      }
      for (let k = 0; k < i; k++) {
        const start = best[k][j - 1];
        if (start !== undefined && row.t - start <= w && (best[i][j] === undefined || start > best[i][j]!))
          best[i][j] = start;
      }
    }
  });
  let level = 0;
  const gaps: number[] = [];
  for (let j = 1; j <= n; j++) {
    const first = rows.findIndex((_, i) => best[i][j] !== undefined);
    if (first < 0) break;
    level = j;
    if (j > 1) {
      let prev = -1;
      for (let k = 0; k < first; k++) if (best[k][j - 1] !== undefined) prev = k;
      gaps[j] = rows[first].t - rows[prev].t;
    }
  }
  return { level, gaps };
}

function anyFunnel(rows: { t: number; steps: number[] }[], n: number, w: number): number {
  let level = 0;
  for (const r of rows) {
    const seen = new Set(rows.filter((x) => x.t >= r.t && x.t <= r.t + w).flatMap((x) => x.steps));
    let k = 0;
    while (k < n && seen.has(k + 1)) k++;
    level = Math.max(level, k);
  }
  return level;
}

export function refFunnel(ds: Dataset, ws: string, spec: RefFunnelSpec) {
  const s = scope(ds, ws, spec);
  const n = spec.steps.length;
  const win = spec.window ?? { days: 7 };
  const w = 'days' in win ? win.days * 86_400_000 : win.hours * 3_600_000;
  const strict = (spec.order ?? 'strict') === 'strict';
  const matches = (e: REv, i: number) =>
    e.event === spec.steps[i].event &&
    (spec.steps[i].where ?? []).every((f) => holds(valueAt(e.properties, f.property!), f));
  const per = new Map<string, { level: number; gaps: number[] }>();
  for (const [pid, evs] of byProfile(s.events, s.from, s.to)) {
    const rows = evs
      .map((e) => ({ t: e.ts, steps: spec.steps.map((_, i) => i + 1).filter((j) => matches(e, j - 1)) }))
      .filter((r) => r.steps.length > 0)
      .sort((a, b) => a.t - b.t || tieOrder(a.steps, b.steps));
    const result = strict ? strictFunnel(rows, n, w) : { level: anyFunnel(rows, n, w), gaps: [] };
    if (result.level > 0) per.set(pid, result);
  }
  return withBreakdown(s, per.keys(), (pids) => {
    const users = spec.steps.map((_, i) => [...pids].filter((p) => per.get(p)!.level >= i + 1).length);
    return {
      steps: spec.steps.map((st, i) => {
        const reached = [...pids].filter((p) => per.get(p)!.level >= i + 1);
        return {
          event: st.event,
          users: users[i],
          conversionFromStart: ratio(users[i], users[0]),
          conversionFromPrevious: i === 0 ? ratio(users[0], users[0]) : ratio(users[i], users[i - 1]),
          medianSecondsFromPrevious:
            strict && i > 0 && reached.length > 0
              ? median(reached.map((p) => per.get(p)!.gaps[i + 1])) / 1000
              : null,
        };
      }),
    };
  });
}

export interface RefRetentionSpec extends RefCommon {
  cohortEvent?: string | null;
  returnEvent?: string | null;
  period?: Period;
  periods?: number;
}

export function refRetention(ds: Dataset, ws: string, spec: RefRetentionSpec) {
  const s = scope(ds, ws, spec);
  const p = spec.period ?? 'week';
  const periods = spec.periods ?? 8;
  const isCohort = (e: REv) => spec.cohortEvent == null || e.event === spec.cohortEvent;
  const isReturn = (e: REv) => spec.returnEvent == null || e.event === spec.returnEvent;
  const per = new Map<string, { cohort: string; ks: Set<number> }>();
  for (const [pid, evs] of byProfile(s.events, Number.NEGATIVE_INFINITY, s.to)) {
    const first = evs.find(isCohort);
    if (!first || first.ts < s.from) continue;
    const cohort = periodStart(day(first.ts, s.tz), p);
    const ks = new Set(
      evs.filter(isReturn).map((e) => periodIndex(cohort, periodStart(day(e.ts, s.tz), p), p)),
    );
    per.set(pid, { cohort, ks });
  }
  const lastPeriod = periodStart(day(s.to - 1, s.tz), p);
  return withBreakdown(s, per.keys(), (pids) => ({
    cohorts: periodsOf(s.from, s.to, s.tz, p).map((cohort) => {
      const members = [...pids].filter((x) => per.get(x)!.cohort === cohort);
      const observable = Math.min(periods, periodIndex(cohort, lastPeriod, p));
      const retained = Array.from({ length: observable + 1 }, (_, k) =>
        k === 0 ? members.length : members.filter((x) => per.get(x)!.ks.has(k)).length,
      );
      return { cohort, size: members.length, retained };
    }),
  }));
}

export interface RefPathsSpec extends RefCommon {
  start?: string;
  end?: string;
  steps?: number;
  topN?: number;
}

export function refPaths(ds: Dataset, ws: string, spec: RefPathsSpec) {
  const s = scope(ds, ws, spec);
  const steps = spec.steps ?? 4;
  const topN = spec.topN ?? 10;
  const paths = new Map<string, { step: number; event: string }[]>();
  for (const [pid, evs] of byProfile(s.events, s.from, s.to)) {
    const sorted = [...evs].sort(
      (a, b) => a.ts - b.ts || (a.event < b.event ? -1 : a.event > b.event ? 1 : 0),
    );
    const anchor = spec.start ?? spec.end;
    const i = sorted.findIndex((e) => e.event === anchor);
    if (i < 0) continue;
    const slice =
      spec.start !== undefined ? sorted.slice(i, i + steps) : sorted.slice(Math.max(0, i - steps + 1), i + 1);
    const offset = spec.start !== undefined ? 0 : steps - slice.length;
    paths.set(
      pid,
      slice.map((e, j) => ({ step: offset + j + 1, event: e.event })),
    );
  }
  return withBreakdown(s, paths.keys(), (pids) => {
    const count = new Map<string, number>(); // step/event
    for (const pid of pids)
      for (const n of paths.get(pid)!)
        count.set(`${n.step}/${n.event}`, (count.get(`${n.step}/${n.event}`) ?? 0) + 1);
    const keep = new Set<string>();
    for (let step = 1; step <= steps; step++) {
      const here = [...count]
        .filter(([k]) => k.startsWith(`${step}/`))
        .map(([k, c]) => ({ event: k.slice(k.indexOf('/') + 1), c }));
      here.sort((a, b) => b.c - a.c || (a.event < b.event ? -1 : 1));
      for (const h of here.slice(0, topN)) keep.add(`${step}/${h.event}`);
    }
    const label = (step: number, event: string) =>
      `${step}:${keep.has(`${step}/${event}`) ? event : '(other)'}`;
    const nodes = new Map<string, number>();
    const links = new Map<string, number>();
    for (const pid of pids) {
      const path = paths.get(pid)!;
      path.forEach((n, j) => {
        const id = label(n.step, n.event);
        nodes.set(id, (nodes.get(id) ?? 0) + 1);
        if (j + 1 < path.length) {
          const key = `${id}\u0000${label(path[j + 1].step, path[j + 1].event)}`;
          links.set(key, (links.get(key) ?? 0) + 1);
        }
      });
    }
    return {
      nodes: [...nodes].map(([id, users]) => ({
        id,
        step: Number(id.slice(0, id.indexOf(':'))),
        event: id.slice(id.indexOf(':') + 1),
        users,
      })),
      links: [...links].map(([k, users]) => {
        const [source, target] = k.split('\u0000');
        return { source, target, users };
      }),
    };
  });
}
