/** Time series, attribution and content results as ECharts options (see charts.ts). */
import type { EChartsOption } from 'echarts-for-react/lib/types';
import type { FieldsOf } from '../../api/reports.ts';
import { axisTooltip, type Fmt, type Labels, valueAxis } from './charts.ts';

/** Spend and credited revenue per channel (bars), ROMI as a line on a second axis. */
export function attributionOption(result: FieldsOf<'attribution'>, fmt: Fmt, l: Labels): EChartsOption {
  const rows = result.rows.slice(0, 20);
  return {
    tooltip: axisTooltip(fmt),
    legend: { bottom: 0 },
    grid: { left: 64, right: 56, top: 28, bottom: 72 },
    xAxis: { type: 'category', data: rows.map((r) => r.channel), axisLabel: { rotate: 20 } },
    yAxis: [valueAxis(fmt), { type: 'value', axisLabel: { formatter: (v: number) => fmt.percent(v) } }],
    series: [
      { name: l.spend, type: 'bar', data: rows.map((r) => r.spend ?? 0) },
      { name: l.revenue, type: 'bar', data: rows.map((r) => r.revenue) },
      {
        name: l.romi,
        type: 'line',
        yAxisIndex: 1,
        data: rows.map((r) => r.romi),
        tooltip: { valueFormatter: (v: unknown) => fmt.percent(typeof v === 'number' ? v : null) },
      },
    ],
  };
}

/** A time series: bars and lines by field, the lines named in `lines` on a second axis. */
export function seriesOption<T extends { date: string }>(
  series: T[],
  fields: { key: keyof T & string; type: 'bar' | 'line'; axis?: 0 | 1; stack?: string }[],
  fmt: Fmt,
  l: Labels,
): EChartsOption {
  const twoAxes = fields.some((f) => f.axis === 1);
  return {
    tooltip: axisTooltip(fmt),
    legend: { bottom: 0 },
    grid: { left: 56, right: twoAxes ? 64 : 16, top: 28, bottom: 48 },
    xAxis: { type: 'category', data: series.map((s) => fmt.day(s.date)) },
    yAxis: twoAxes ? [valueAxis(fmt), valueAxis(fmt)] : valueAxis(fmt),
    series: fields.map((f) => ({
      name: l[f.key] ?? f.key,
      type: f.type,
      yAxisIndex: f.axis ?? 0,
      stack: f.stack,
      data: series.map((s) => s[f.key] as unknown as number | null),
    })),
  };
}

export const overviewOption = (r: FieldsOf<'overview'>, fmt: Fmt, l: Labels) =>
  seriesOption(
    r.series,
    [
      { key: 'newUsers', type: 'bar', stack: 'u' },
      { key: 'returningUsers', type: 'bar', stack: 'u' },
      { key: 'sessions', type: 'line', axis: 1 },
      { key: 'events', type: 'line', axis: 1 },
    ],
    fmt,
    l,
  );

export const revenueOption = (r: FieldsOf<'revenue'>, fmt: Fmt, l: Labels) =>
  seriesOption(
    r.series,
    [
      { key: 'revenue', type: 'bar' },
      { key: 'orders', type: 'line', axis: 1 },
      { key: 'buyers', type: 'line', axis: 1 },
    ],
    fmt,
    l,
  );

export const subscriptionsOption = (r: FieldsOf<'subscriptions'>, fmt: Fmt, l: Labels) =>
  seriesOption(
    r.series,
    [
      { key: 'new', type: 'bar' },
      { key: 'renewed', type: 'bar' },
      { key: 'churned', type: 'bar' },
      { key: 'active', type: 'line' },
      { key: 'mrr', type: 'line', axis: 1 },
    ],
    fmt,
    l,
  );

/** The most viewed items: views and unique viewers. */
export function contentOption(result: FieldsOf<'content'>, fmt: Fmt, l: Labels): EChartsOption {
  const rows = result.rows.slice(0, 15);
  return {
    tooltip: { ...axisTooltip(fmt), axisPointer: { type: 'shadow' } },
    legend: { bottom: 0 },
    grid: { left: 140, right: 16, top: 16, bottom: 48 },
    yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.content) },
    xAxis: valueAxis(fmt),
    series: [
      { name: l.views, type: 'bar', data: rows.map((r) => r.views) },
      { name: l.viewers, type: 'bar', data: rows.map((r) => r.viewers) },
    ],
  };
}
