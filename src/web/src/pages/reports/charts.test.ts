import { describe, expect, it } from 'vitest';
import {
  durationParts,
  type Fmt,
  funnelOption,
  groupsOf,
  ltvOption,
  pathsOption,
  retentionOption,
  rfmGrid,
  rfmNamed,
  rfmOption,
} from './charts.ts';
import { attributionOption, subscriptionsOption } from './series-charts.ts';

const fmt: Fmt = {
  number: (n) => String(n),
  percent: (n) => (n === null ? '—' : `${Math.round(n * 1000) / 10}%`),
  day: (d) => `d:${d}`,
};
const l = new Proxy({} as Record<string, string>, { get: (_, k) => `L:${String(k)}` });

// biome-ignore lint/suspicious/noExplicitAny: reading into chart options
type Any = any;

const step = (event: string, users: number, fromStart: number | null) => ({
  event,
  users,
  conversionFromStart: fromStart,
  conversionFromPrevious: null,
  medianSecondsFromPrevious: null,
});

describe('report charts', () => {
  it('draws a funnel: a bar per step and group, labelled with the conversion from start', () => {
    const o: Any = funnelOption(
      [
        { label: 'All', steps: [step('View', 4, 1), step('Order', 1, 0.25)] },
        { label: 'yandex', steps: [step('View', 2, 1), step('Order', 0, 0)] },
      ],
      fmt,
      l,
    );
    expect(o.xAxis.data).toEqual(['1. View', '2. Order']);
    expect(o.series.map((s: Any) => [s.name, s.data])).toEqual([
      ['All', [4, 1]],
      ['yandex', [2, 0]],
    ]);
    expect(o.series[0].label.formatter({ dataIndex: 1 })).toBe('25%');
    expect(o.legend).toBeDefined();
  });

  it('draws retention as cohort × period cells holding the share retained, empty cohorts blank', () => {
    const o: Any = retentionOption(
      {
        cohorts: [
          { cohort: '2026-03-02', size: 4, retained: [4, 2, 1] },
          { cohort: '2026-03-09', size: 0, retained: [0, 0] },
        ],
      },
      fmt,
      l,
    );
    expect(o.xAxis.data).toEqual(['0', '1', '2']);
    expect(o.yAxis.data).toEqual(['d:2026-03-02 (4)', 'd:2026-03-09 (0)']);
    expect(o.series[0].data).toEqual([
      [0, 0, 1, 4],
      [1, 0, 0.5, 2],
      [2, 0, 0.25, 1],
    ]);
    expect(o.tooltip.formatter({ data: [1, 0, 0.5, 2] })).toContain('2 / 4 (50%)');
    // Coloured by the share (dimension 2), not by the count.
    expect(o.visualMap).toMatchObject({ min: 0, max: 1, dimension: 2 });
  });

  it('draws paths as a Sankey with step depths and event labels', () => {
    const o: Any = pathsOption(
      {
        nodes: [
          { id: '1:A', step: 1, event: 'A', users: 3 },
          { id: '2:B', step: 2, event: 'B', users: 2 },
          { id: '2:(other)', step: 2, event: '(other)', users: 1 },
        ],
        links: [
          { source: '1:A', target: '2:B', users: 2 },
          { source: '1:A', target: '2:(other)', users: 1 },
        ],
      },
      fmt,
    );
    const s = o.series[0];
    expect(s.type).toBe('sankey');
    expect(s.data).toEqual([
      { name: '1:A', value: 3, depth: 0 },
      { name: '2:B', value: 2, depth: 1 },
      { name: '2:(other)', value: 1, depth: 1 },
    ]);
    expect(s.links[0]).toEqual({ source: '1:A', target: '2:B', value: 2 });
    expect(s.label.formatter({ name: '2:(other)' })).toBe('(other)');
    expect(o.tooltip.formatter({ data: { source: '1:A', target: '2:B', value: 2 } })).toBe('A → B: 2');
  });

  it('draws LTV lines per cohort (dated) or channel (as is)', () => {
    const r = { rows: [{ key: '2026-03-02', users: 10, cumulativeRevenuePerUser: [1, 2.5, 3] }] };
    const byCohort: Any = ltvOption(r, fmt, l, true);
    expect(byCohort.series[0]).toMatchObject({ name: 'd:2026-03-02 (10)', data: [1, 2.5, 3] });
    expect(byCohort.xAxis.data).toEqual(['0', '1', '2']);
    const byChannel: Any = ltvOption({ rows: [{ ...r.rows[0], key: 'yandex' }] }, fmt, l, false);
    expect(byChannel.series[0].name).toBe('yandex (10)');
  });

  it('sums RFM cells over monetary into the R × F grid and by name', () => {
    const cells = [
      { name: 'Champions', r: 5, f: 5, m: 5, users: 3, revenue: 300 },
      { name: 'Champions', r: 5, f: 5, m: 4, users: 2, revenue: 100 },
      { name: 'At risk', r: 1, f: 4, m: 3, users: 4, revenue: 80 },
    ];
    expect(rfmGrid({ cells })).toEqual([
      { r: 5, f: 5, users: 5, revenue: 400, name: 'Champions' },
      { r: 1, f: 4, users: 4, revenue: 80, name: 'At risk' },
    ]);
    expect(rfmNamed({ cells })).toEqual([
      { name: 'Champions', users: 5, revenue: 400 },
      { name: 'At risk', users: 4, revenue: 80 },
    ]);
    const o: Any = rfmOption({ cells }, fmt, l);
    expect(o.series[0].data).toEqual([
      [4, 4, 5],
      [0, 3, 4],
    ]);
    expect(o.visualMap.max).toBe(5);
  });

  it('draws attribution spend and revenue bars with ROMI, missing spend as 0', () => {
    const o: Any = attributionOption(
      {
        rows: [
          { channel: 'yandex', spend: 100, conversions: 2, revenue: 300, cac: 50, romi: 2, roas: 3 },
          {
            channel: 'direct',
            spend: null,
            conversions: 1.5,
            revenue: 50,
            cac: null,
            romi: null,
            roas: null,
          },
        ],
      },
      fmt,
      l,
    );
    expect(o.xAxis.data).toEqual(['yandex', 'direct']);
    expect(o.series.map((s: Any) => s.data)).toEqual([
      [100, 0],
      [300, 50],
      [2, null],
    ]);
  });

  it('draws subscription series with MRR on the second axis', () => {
    const o: Any = subscriptionsOption(
      {
        series: [
          { date: '2026-03-01', active: 5, new: 2, renewed: 1, churned: 1, mrr: 49.5, churnRate: 0.2 },
        ],
      },
      fmt,
      l,
    );
    expect(o.xAxis.data).toEqual(['d:2026-03-01']);
    const mrr = o.series.find((s: Any) => s.name === 'L:mrr');
    expect(mrr).toMatchObject({ type: 'line', yAxisIndex: 1, data: [49.5] });
    expect(o.yAxis).toHaveLength(2);
  });

  it('lists the whole result, then each breakdown group', () => {
    const groups = groupsOf<{ rows: number[] }>({
      rows: [1],
      breakdown: [
        { value: 'a', rows: [2] },
        { value: null, rows: [3] },
      ],
    });
    expect(groups.map((g) => [g.value, g.fields])).toEqual([
      [undefined, { rows: [1] }],
      ['a', { rows: [2] }],
      [null, { rows: [3] }],
    ]);
    expect(groupsOf({ rows: [] })).toHaveLength(1);
  });

  it('reads durations in their largest unit', () => {
    expect(durationParts(42)).toEqual({ value: 42, unit: 's' });
    expect(durationParts(90)).toEqual({ value: 1.5, unit: 'min' });
    expect(durationParts(7200)).toEqual({ value: 2, unit: 'h' });
    expect(durationParts(3 * 86_400)).toEqual({ value: 3, unit: 'd' });
  });
});
