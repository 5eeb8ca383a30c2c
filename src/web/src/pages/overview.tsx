import { Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api/client.ts';
import type { OverviewReport, Page, StoredEvent } from '../api/types.ts';
import { Chart } from '../components/chart.tsx';
import { EventTable } from '../components/event-table.tsx';
import { useFormat } from '../components/format.ts';
import { QueryView } from '../components/query-view.tsx';
import { OverviewLive } from './overview-live.tsx';
import { countBy } from './overview-stats.ts';

const RECENT = 100;
const DAYS = 30;

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Paper withBorder p="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700} data-testid={testId}>
        {value}
      </Text>
    </Paper>
  );
}

/** `POST /reports/overview` for the last 30 days; null when this server has no reports API. */
async function overview(): Promise<OverviewReport | null> {
  const to = new Date();
  const from = new Date(to.getTime() - (DAYS - 1) * 86_400_000);
  try {
    return await api<OverviewReport>('/reports/overview', {
      method: 'POST',
      body: { from: from.toISOString().slice(0, 10), to: to.toISOString(), granularity: 'day' },
    });
  } catch (err) {
    if (err instanceof ApiError && err.status === 404 && err.message.startsWith('No route')) return null;
    throw err;
  }
}

function Activity() {
  const { t } = useTranslation();
  const f = useFormat();
  const query = useQuery({ queryKey: ['reports', 'overview', DAYS], queryFn: overview, staleTime: 60_000 });
  return (
    <QueryView query={query}>
      {(report) =>
        report === null ? null : (
          <Stack>
            <Title order={4}>{t('overview.activity', { count: DAYS })}</Title>
            <SimpleGrid cols={{ base: 2, md: 4 }}>
              <Stat label={t('overview.dau')} value={f.number(report.totals.dau)} testId="stat-dau" />
              <Stat label={t('overview.wau')} value={f.number(report.totals.wau)} />
              <Stat label={t('overview.mau')} value={f.number(report.totals.mau)} />
              <Stat label={t('overview.stickiness')} value={f.percent(report.totals.stickiness)} />
            </SimpleGrid>
            <Paper withBorder p="sm">
              <Chart
                testId="activity-chart"
                option={{
                  tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => f.number(Number(v)) },
                  legend: { bottom: 0 },
                  grid: { left: 56, right: 56, top: 36, bottom: 48 },
                  xAxis: { type: 'category', data: report.series.map((s) => f.day(s.date)) },
                  yAxis: [
                    {
                      type: 'value',
                      name: t('overview.users'),
                      minInterval: 1,
                      axisLabel: { formatter: f.number },
                    },
                    {
                      type: 'value',
                      name: t('overview.events'),
                      minInterval: 1,
                      axisLabel: { formatter: f.number },
                    },
                  ],
                  series: [
                    {
                      name: t('overview.newUsers'),
                      type: 'bar',
                      stack: 'u',
                      data: report.series.map((s) => s.newUsers),
                    },
                    {
                      name: t('overview.returningUsers'),
                      type: 'bar',
                      stack: 'u',
                      data: report.series.map((s) => s.returningUsers),
                    },
                    {
                      name: t('overview.events'),
                      type: 'line',
                      yAxisIndex: 1,
                      smooth: true,
                      data: report.series.map((s) => s.events),
                    },
                  ],
                }}
              />
            </Paper>
          </Stack>
        )
      }
    </QueryView>
  );
}

function Recent() {
  const { t } = useTranslation();
  const f = useFormat();
  const query = useQuery({
    queryKey: ['events', 'recent', RECENT],
    queryFn: () => api<Page<StoredEvent>>('/events', { query: { limit: RECENT } }),
    refetchInterval: 5_000,
    staleTime: 0,
  });
  return (
    <QueryView query={query}>
      {({ data }) => {
        const byType = countBy(data, (e) => e.type);
        const byName = countBy(
          data.filter((e) => e.event),
          (e) => e.event,
        ).slice(0, 10);
        return (
          <Stack>
            <Title order={4}>{t('overview.recent', { count: data.length })}</Title>
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <Paper withBorder p="sm">
                <Text fw={600} size="sm" mb="xs">
                  {t('overview.byType')}
                </Text>
                {byType.length === 0 ? (
                  <Text c="dimmed" size="sm">
                    {t('events.none')}
                  </Text>
                ) : (
                  <Chart
                    testId="type-chart"
                    height={220}
                    option={{
                      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => f.number(Number(v)) },
                      grid: { left: 40, right: 16, top: 8, bottom: 28 },
                      xAxis: { type: 'category', data: byType.map(([k]) => k) },
                      yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: f.number } },
                      series: [{ name: t('overview.events'), type: 'bar', data: byType.map(([, n]) => n) }],
                    }}
                  />
                )}
              </Paper>
              <Paper withBorder p="sm">
                <Text fw={600} size="sm" mb="xs">
                  {t('overview.topEvents')}
                </Text>
                <Table data-testid="top-events">
                  <Table.Tbody>
                    {byName.map(([name, n]) => (
                      <Table.Tr key={name}>
                        <Table.Td>{name}</Table.Td>
                        <Table.Td ta="right">{f.number(n)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Paper>
            </SimpleGrid>
            <Group justify="space-between">
              <Text fw={600} size="sm">
                {t('overview.latest')}
              </Text>
            </Group>
            <EventTable events={data.slice(0, 10)} />
          </Stack>
        );
      }}
    </QueryView>
  );
}

/** Activity from the reports API when there is one, and what the latest events say. */
export function OverviewPage() {
  const { t } = useTranslation();
  return (
    <Stack gap="lg">
      <Title order={2}>{t('overview.title')}</Title>
      <Activity />
      <OverviewLive />
      <Recent />
    </Stack>
  );
}
