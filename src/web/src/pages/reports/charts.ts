/**
 * Report results as ECharts options: one pure function per visualisation, given the result (or
 * one breakdown group of it), the formatters of the console's language and translated labels.
 * No React: unit-tested with plain objects.
 */
import type { EChartsOption } from 'echarts-for-react/lib/types';
import type { FieldsOf } from '../../api/reports.ts';

export interface Fmt {
  number: (n: number) => string;
  percent: (n: number | null) => string;
  /** A local date `YYYY-MM-DD` as a short day. */
  day: (ymd: string) => string;
}

/** Translated series and axis names (keys as used below). */
export type Labels = Record<string, string>;

export const axisTooltip = (fmt: Fmt) => ({
  trigger: 'axis' as const,
  valueFormatter: (v: unknown) => (typeof v === 'number' ? fmt.number(v) : String(v ?? '—')),
});

export const valueAxis = (fmt: Fmt, name?: string) => ({
  type: 'value' as const,
  name,
  axisLabel: { formatter: (v: number) => fmt.number(v) },
});

/** A funnel group: its label and steps. */
export interface FunnelGroup {
  label: string;
  steps: FieldsOf<'funnel'>['steps'];
}

/** Users per step as bars, one series per group; the label on a bar is the conversion from start. */
export function funnelOption(groups: FunnelGroup[], fmt: Fmt, l: Labels): EChartsOption {
  const events = groups[0]?.steps.map((s, i) => `${i + 1}. ${s.event}`) ?? [];
  return {
    tooltip: { ...axisTooltip(fmt), axisPointer: { type: 'shadow' } },
    legend: groups.length > 1 ? { bottom: 0 } : undefined,
    grid: { left: 56, right: 16, top: 24, bottom: groups.length > 1 ? 48 : 32 },
    xAxis: { type: 'category', data: events, axisLabel: { interval: 0, width: 110, overflow: 'truncate' } },
    yAxis: { ...valueAxis(fmt, l.users), minInterval: 1 },
    series: groups.map((g) => ({
      name: g.label,
      type: 'bar',
      data: g.steps.map((s) => s.users),
      label: {
        show: true,
        position: 'top',
        formatter: (p: { dataIndex: number }) =>
          fmt.percent(g.steps[p.dataIndex]?.conversionFromStart ?? null),
      },
    })),
  };
}

/** Share of the cohort retained in period k (null for an empty cohort). */
export function retentionShare(size: number, retained: number): number | null {
  return size > 0 ? retained / size : null;
}

/** Cohorts (rows, newest at the top) × periods (columns) coloured by the share retained. */
export function retentionOption(result: FieldsOf<'retention'>, fmt: Fmt, l: Labels): EChartsOption {
  const cohorts = result.cohorts;
  const periods = Math.max(0, ...cohorts.map((c) => c.retained.length));
  const data: [number, number, number | null, number][] = [];
  for (const [row, c] of cohorts.entries()) {
    // An empty cohort has no shares: its row stays blank.
    if (c.size === 0) continue;
    for (const [k, n] of c.retained.entries()) data.push([k, row, retentionShare(c.size, n), n]);
  }
  return {
    tooltip: {
      formatter: (p: unknown) => {
        const [k, row, share, n] = (p as { data: [number, number, number | null, number] }).data;
        return `${fmt.day(cohorts[row].cohort)} · ${l.period} ${k}<br/>${fmt.number(n)} / ${fmt.number(cohorts[row].size)} (${fmt.percent(share)})`;
      },
    },
    grid: { left: 110, right: 16, top: 28, bottom: 40 },
    xAxis: {
      type: 'category',
      name: l.period,
      nameLocation: 'middle',
      nameGap: 26,
      data: Array.from({ length: periods }, (_, k) => String(k)),
      splitArea: { show: true },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: cohorts.map((c) => `${fmt.day(c.cohort)} (${fmt.number(c.size)})`),
      splitArea: { show: true },
    },
    visualMap: { min: 0, max: 1, dimension: 2, show: false, inRange: { color: ['#f1f5fb', '#1c7ed6'] } },
    series: [
      {
        name: l.retained,
        type: 'heatmap',
        data: data.map(([k, row, share, n]) => [k, row, share ?? 0, n]),
        label: {
          show: true,
          fontSize: 10,
          formatter: (p: unknown) => fmt.percent((p as { data: number[] }).data[2]),
        },
      },
    ],
  };
}

/** Paths as a Sankey: nodes by (step, event), links weighted by users. */
export function pathsOption(result: FieldsOf<'paths'>, fmt: Fmt): EChartsOption {
  const byId = new Map(result.nodes.map((n) => [n.id, n]));
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const d = (
          p as { dataType: string; data: { name?: string; source?: string; target?: string; value: number } }
        ).data;
        const name = (id: string | undefined) => (id ? (byId.get(id)?.event ?? id) : '');
        return d.source
          ? `${name(d.source)} → ${name(d.target)}: ${fmt.number(d.value)}`
          : `${name(d.name)}: ${fmt.number(d.value)}`;
      },
    },
    series: [
      {
        type: 'sankey',
        left: 8,
        right: 120,
        top: 8,
        bottom: 8,
        nodeAlign: 'left',
        emphasis: { focus: 'adjacency' },
        data: result.nodes.map((n) => ({ name: n.id, value: n.users, depth: n.step - 1 })),
        links: result.links.map((k) => ({ source: k.source, target: k.target, value: k.users })),
        label: { formatter: (p: unknown) => byId.get((p as { name: string }).name)?.event ?? '' },
        lineStyle: { color: 'gradient', opacity: 0.4 },
      },
    ],
  };
}

/** Cumulative revenue per user by period since acquisition, one line per cohort or channel. */
export function ltvOption(result: FieldsOf<'ltv'>, fmt: Fmt, l: Labels, byCohort: boolean): EChartsOption {
  const periods = Math.max(0, ...result.rows.map((r) => r.cumulativeRevenuePerUser.length));
  return {
    tooltip: axisTooltip(fmt),
    legend: { type: 'scroll', bottom: 0 },
    grid: { left: 64, right: 16, top: 28, bottom: 56 },
    xAxis: {
      type: 'category',
      name: l.period,
      data: Array.from({ length: periods }, (_, k) => String(k)),
    },
    yAxis: valueAxis(fmt, l.revenuePerUser),
    series: result.rows.map((r) => ({
      name: `${byCohort ? fmt.day(r.key) : r.key} (${fmt.number(r.users)})`,
      type: 'line',
      smooth: true,
      data: r.cumulativeRevenuePerUser,
    })),
  };
}

export interface RfmSquare {
  r: number;
  f: number;
  users: number;
  revenue: number;
  name: string;
}

/** The cells summed over monetary: the 5 × 5 recency × frequency grid, named. */
export function rfmGrid(result: FieldsOf<'rfm'>): RfmSquare[] {
  const grid = new Map<string, RfmSquare>();
  for (const c of result.cells) {
    const key = `${c.r}:${c.f}`;
    const sq = grid.get(key) ?? { r: c.r, f: c.f, users: 0, revenue: 0, name: c.name };
    sq.users += c.users;
    sq.revenue += c.revenue;
    grid.set(key, sq);
  }
  return [...grid.values()].sort((a, b) => b.r - a.r || b.f - a.f);
}

/** The named cells with their buyers and revenue, most buyers first. */
export function rfmNamed(result: FieldsOf<'rfm'>): { name: string; users: number; revenue: number }[] {
  const named = new Map<string, { name: string; users: number; revenue: number }>();
  for (const c of result.cells) {
    const n = named.get(c.name) ?? { name: c.name, users: 0, revenue: 0 };
    n.users += c.users;
    n.revenue += c.revenue;
    named.set(c.name, n);
  }
  return [...named.values()].sort((a, b) => b.users - a.users || a.name.localeCompare(b.name));
}

/** Recency (x) × frequency (y) heat-map of buyers, each square labelled with its cell's name. */
export function rfmOption(
  result: FieldsOf<'rfm'>,
  fmt: Fmt,
  l: Labels,
  cellName: (name: string) => string = (n) => n,
): EChartsOption {
  const squares = rfmGrid(result);
  const max = Math.max(1, ...squares.map((s) => s.users));
  const scores = ['1', '2', '3', '4', '5'];
  return {
    tooltip: {
      formatter: (p: unknown) => {
        const s = squares[(p as { dataIndex: number }).dataIndex];
        return `${cellName(s.name)}<br/>R ${s.r} · F ${s.f}<br/>${l.users}: ${fmt.number(s.users)}<br/>${l.revenue}: ${fmt.number(s.revenue)}`;
      },
    },
    grid: { left: 56, right: 16, top: 16, bottom: 48 },
    xAxis: { type: 'category', data: scores, name: l.recency, nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'category', data: scores, name: l.frequency, nameLocation: 'middle', nameGap: 32 },
    visualMap: { min: 0, max, show: false, inRange: { color: ['#f1f5fb', '#2f9e44'] } },
    series: [
      {
        type: 'heatmap',
        data: squares.map((s) => [s.r - 1, s.f - 1, s.users]),
        label: {
          show: true,
          fontSize: 10,
          lineHeight: 14,
          formatter: (p: unknown) => {
            const s = squares[(p as { dataIndex: number }).dataIndex];
            return `${cellName(s.name)}\n${fmt.number(s.users)}`;
          },
        },
      },
    ],
  };
}

/** One group of a result: the whole (`value` undefined) or one breakdown value (null = none). */
export interface Group<F> {
  key: string;
  value: string | null | undefined;
  fields: F;
}

/** The whole result first, then its breakdown groups. */
export function groupsOf<F extends object>(
  result: F & { breakdown?: (F & { value: string | null })[] },
): Group<F>[] {
  const { breakdown, ...whole } = result;
  const groups: Group<F>[] = [{ key: '*', value: undefined, fields: whole as unknown as F }];
  for (const [i, g] of (breakdown ?? []).entries()) {
    const { value, ...fields } = g;
    groups.push({ key: `${i}:${value ?? ''}`, value, fields: fields as unknown as F });
  }
  return groups;
}

/** A duration in its largest whole-ish unit: 90 → {value: 1.5, unit: 'min'}. */
export function durationParts(seconds: number): { value: number; unit: 's' | 'min' | 'h' | 'd' } {
  const abs = Math.abs(seconds);
  if (abs < 60) return { value: Math.round(seconds), unit: 's' };
  if (abs < 3600) return { value: Math.round(seconds / 6) / 10, unit: 'min' };
  if (abs < 86_400) return { value: Math.round(seconds / 360) / 10, unit: 'h' };
  return { value: Math.round(seconds / 8640) / 10, unit: 'd' };
}
