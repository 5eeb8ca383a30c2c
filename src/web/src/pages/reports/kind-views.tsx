/** The visualisation of each report kind: its chart and, outside dashboard tiles, its table. */
import { SimpleGrid, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import type { FieldsOf, ReportKind } from '../../api/reports.ts';
import { Chart } from '../../components/chart.tsx';
import { funnelOption, ltvOption, pathsOption, retentionOption, rfmNamed, rfmOption } from './charts.ts';
import {
  attributionOption,
  contentOption,
  overviewOption,
  revenueOption,
  subscriptionsOption,
} from './series-charts.ts';
import { DataTable, Empty, type Props, Stat } from './view-parts.tsx';

function Overview({ fields: r, tile, height, x }: Props<'overview'>) {
  const { t, f, fmt, labels } = x;
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Stat label={t('reports.fields.dau')} value={f.number(r.totals.dau)} testId="report-dau" />
        <Stat label={t('reports.fields.wau')} value={f.number(r.totals.wau)} />
        <Stat label={t('reports.fields.mau')} value={f.number(r.totals.mau)} />
        <Stat label={t('reports.fields.stickiness')} value={f.percent(r.totals.stickiness)} />
      </SimpleGrid>
      {r.series.length === 0 ? (
        <Empty />
      ) : (
        <Chart
          testId="chart-overview"
          height={tile ? height - 70 : height}
          option={overviewOption(r, fmt, labels)}
        />
      )}
    </Stack>
  );
}

export function Funnel({
  groups,
  tile,
  height,
  x,
}: { groups: { label: string; fields: FieldsOf<'funnel'> }[] } & Omit<Props<'funnel'>, 'fields' | 'spec'>) {
  const { t, f, fmt, labels, duration } = x;
  const chartGroups = groups.map((g) => ({ label: g.label, steps: g.fields.steps }));
  if ((groups[0]?.fields.steps[0]?.users ?? 0) === 0) return <Empty />;
  return (
    <Stack gap="sm">
      <Chart testId="chart-funnel" height={height} option={funnelOption(chartGroups, fmt, labels)} />
      {!tile && (
        <DataTable
          testId="funnel-table"
          head={[
            t('reports.fields.step'),
            t('reports.fields.users'),
            t('reports.fields.conversionFromStart'),
            t('reports.fields.conversionFromPrevious'),
            t('reports.fields.medianTime'),
          ]}
          rows={groups[0].fields.steps.map((s, i) => [
            `${i + 1}. ${s.event}`,
            <span key="u" data-testid={`funnel-step-${i + 1}`}>
              {f.number(s.users)}
            </span>,
            f.percent(s.conversionFromStart),
            f.percent(s.conversionFromPrevious),
            i === 0 ? '—' : duration(s.medianSecondsFromPrevious),
          ])}
        />
      )}
      {!tile && groups.length > 1 && (
        // One row per breakdown group: users at each step (conversion from start).
        <DataTable
          testId="funnel-breakdown-table"
          head={[
            t('reports.form.breakdown'),
            ...groups[0].fields.steps.map((s, i) => `${i + 1}. ${s.event}`),
          ]}
          rows={groups
            .slice(1)
            .map((g) => [
              g.label,
              ...g.fields.steps.map((s, i) =>
                i === 0 ? f.number(s.users) : `${f.number(s.users)} (${f.percent(s.conversionFromStart)})`,
              ),
            ])}
        />
      )}
    </Stack>
  );
}

function Retention({ fields: r, height, x }: Props<'retention'>) {
  if (r.cohorts.length === 0) return <Empty />;
  const h = Math.max(height, 60 + r.cohorts.length * 28);
  return <Chart testId="chart-retention" height={h} option={retentionOption(r, x.fmt, x.labels)} />;
}

function Paths({ fields: r, height, x }: Props<'paths'>) {
  if (r.nodes.length === 0) return <Empty />;
  return <Chart testId="chart-paths" height={Math.max(height, 420)} option={pathsOption(r, x.fmt)} />;
}

function Ltv({ fields: r, spec, height, x }: Props<'ltv'>) {
  if (r.rows.length === 0) return <Empty />;
  return (
    <Chart testId="chart-ltv" height={height} option={ltvOption(r, x.fmt, x.labels, spec.by !== 'channel')} />
  );
}

function Rfm({ fields: r, tile, height, x }: Props<'rfm'>) {
  const { t, f, fmt, labels, money } = x;
  if (r.cells.length === 0) return <Empty />;
  const cellName = (name: string) => t(`reports.rfmCells.${name}`, { defaultValue: name });
  return (
    <SimpleGrid cols={{ base: 1, lg: tile ? 1 : 2 }}>
      <Chart testId="chart-rfm" height={Math.max(height, 320)} option={rfmOption(r, fmt, labels, cellName)} />
      {!tile && (
        <DataTable
          testId="rfm-table"
          head={[t('reports.fields.cell'), t('reports.fields.users'), t('reports.fields.revenue')]}
          rows={rfmNamed(r).map((c) => [cellName(c.name), f.number(c.users), money(c.revenue)])}
        />
      )}
    </SimpleGrid>
  );
}

function Attribution({ fields: r, tile, height, x }: Props<'attribution'>) {
  const { t, f, fmt, labels, money, ratio } = x;
  if (r.rows.length === 0) return <Empty />;
  return (
    <Stack gap="sm">
      <Chart testId="chart-attribution" height={height} option={attributionOption(r, fmt, labels)} />
      {!tile && (
        <DataTable
          testId="attribution-table"
          head={['channel', 'spend', 'conversions', 'revenue', 'cac', 'romi', 'roas'].map((k) =>
            t(`reports.fields.${k}`),
          )}
          rows={r.rows.map((row) => [
            row.channel,
            money(row.spend),
            f.number(row.conversions),
            money(row.revenue),
            money(row.cac),
            f.percent(row.romi),
            ratio(row.roas),
          ])}
        />
      )}
    </Stack>
  );
}

function Revenue({ fields: r, tile, height, x }: Props<'revenue'>) {
  const { t, f, fmt, labels, money } = x;
  if (r.series.length === 0) return <Empty />;
  const revenue = r.series.reduce((a, s) => a + s.revenue, 0);
  const orders = r.series.reduce((a, s) => a + s.orders, 0);
  return (
    <Stack gap="sm">
      {!tile && (
        <SimpleGrid cols={{ base: 2, md: 3 }}>
          <Stat label={t('reports.fields.revenue')} value={money(revenue)} testId="revenue-total" />
          <Stat label={t('reports.fields.orders')} value={f.number(orders)} />
          <Stat label={t('reports.fields.aov')} value={money(orders ? revenue / orders : null)} />
        </SimpleGrid>
      )}
      <Chart testId="chart-revenue" height={height} option={revenueOption(r, fmt, labels)} />
    </Stack>
  );
}

function Content({ fields: r, tile, height, x }: Props<'content'>) {
  const { t, f, fmt, labels, duration } = x;
  if (r.rows.length === 0) return <Empty />;
  return (
    <Stack gap="sm">
      <Chart testId="chart-content" height={height} option={contentOption(r, fmt, labels)} />
      {!tile && (
        <DataTable
          testId="content-table"
          head={['content', 'views', 'viewers', 'completionRate', 'avgWatch', 'pauses', 'seeks'].map((k) =>
            t(`reports.fields.${k}`),
          )}
          rows={r.rows.map((row) => [
            row.content,
            f.number(row.views),
            f.number(row.viewers),
            f.percent(row.completionRate),
            duration(row.avgWatchSeconds),
            f.number(row.pauses),
            f.number(row.seeks),
          ])}
        />
      )}
    </Stack>
  );
}

function Subscriptions({ fields: r, tile, height, x }: Props<'subscriptions'>) {
  const { t, f, fmt, labels, money } = x;
  if (r.series.length === 0) return <Empty />;
  const last = r.series[r.series.length - 1];
  return (
    <Stack gap="sm">
      {!tile && (
        <SimpleGrid cols={{ base: 2, md: 4 }}>
          <Stat label={t('reports.fields.active')} value={f.number(last.active)} testId="subs-active" />
          <Stat label={t('reports.fields.mrr')} value={money(last.mrr)} />
          <Stat
            label={t('reports.fields.churned')}
            value={f.number(r.series.reduce((a, s) => a + s.churned, 0))}
          />
          <Stat label={t('reports.fields.churnRate')} value={f.percent(last.churnRate)} />
        </SimpleGrid>
      )}
      <Chart testId="chart-subscriptions" height={height} option={subscriptionsOption(r, fmt, labels)} />
    </Stack>
  );
}

/** The view of each kind but the funnel (which ReportView draws with all its groups). */
export const VIEWS: { [K in ReportKind]?: (p: Props<K>) => ReactNode } = {
  overview: Overview,
  retention: Retention,
  paths: Paths,
  ltv: Ltv,
  rfm: Rfm,
  attribution: Attribution,
  revenue: Revenue,
  content: Content,
  subscriptions: Subscriptions,
};
