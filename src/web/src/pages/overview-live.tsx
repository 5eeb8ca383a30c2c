/**
 * The live part of the overview: events per second over the last minute (the overview report
 * over [now − 60 s, now), polled every 10 s) and the top event names of the last 7 days
 * (`GET /events/stats`).
 */
import { Paper, SimpleGrid, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { runReport } from '../api/reports.ts';
import { Chart } from '../components/chart.tsx';
import { useFormat } from '../components/format.ts';
import { QueryView } from '../components/query-view.tsx';

const WINDOW_S = 60;
const TOP = 7;
const WEEK_MS = 7 * 86_400_000;
/** Polls kept for the sparkline (5 minutes). */
const KEEP = 30;

/** Events stored with a timestamp in the last minute, per second. */
async function eventsPerSecond(): Promise<number> {
  const to = new Date();
  const from = new Date(to.getTime() - WINDOW_S * 1000);
  const report = await runReport('overview', { from: from.toISOString(), to: to.toISOString() });
  return report.series.reduce((n, s) => n + s.events, 0) / WINDOW_S;
}

export function OverviewLive() {
  const { t } = useTranslation();
  const f = useFormat();
  const eps = useQuery({
    queryKey: ['overview', 'eps'],
    queryFn: eventsPerSecond,
    refetchInterval: 10_000,
    staleTime: 0,
  });
  // The rate at each poll since the page opened, for the sparkline.
  const [samples, setSamples] = useState<[number, number][]>([]);
  useEffect(() => {
    if (eps.data !== undefined)
      setSamples((prev) => [...prev, [eps.dataUpdatedAt, eps.data] as [number, number]].slice(-KEEP));
  }, [eps.data, eps.dataUpdatedAt]);
  const week = useQuery({
    queryKey: ['overview', 'week-events'],
    queryFn: () =>
      api<{ data: { event: string; count: number; profiles: number }[] }>('/events/stats', {
        query: { type: 'track', limit: TOP, from: new Date(Date.now() - WEEK_MS).toISOString() },
      }),
    refetchInterval: 60_000,
  });
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      <Paper withBorder p="md">
        <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
          {t('reports.live.eps')}
        </Text>
        <QueryView query={eps}>
          {(n) => (
            <Text size="xl" fw={700} data-testid="stat-eps">
              {f.number(n)}
            </Text>
          )}
        </QueryView>
        <Text size="xs" c="dimmed">
          {t('reports.live.epsHint')}
        </Text>
        {samples.length > 1 && (
          <Chart
            testId="eps-chart"
            height={150}
            option={{
              animation: false,
              grid: { left: 40, right: 8, top: 12, bottom: 24 },
              tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => f.number(Number(v)) },
              xAxis: { type: 'time', axisLabel: { hideOverlap: true } },
              yAxis: { type: 'value', minInterval: 0.1, axisLabel: { formatter: f.number } },
              series: [
                {
                  name: t('reports.live.eps'),
                  type: 'line',
                  showSymbol: false,
                  areaStyle: {},
                  data: samples,
                },
              ],
            }}
          />
        )}
      </Paper>
      <Paper withBorder p="md">
        <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
          {t('reports.live.topEvents')}
        </Text>
        <QueryView query={week}>
          {({ data: top }) => {
            if (top.length === 0)
              return (
                <Text size="sm" c="dimmed">
                  {t('reports.live.noEvents')}
                </Text>
              );
            return (
              <Table data-testid="top-events-week" fz="sm">
                <Table.Tbody>
                  {top.map((row) => (
                    <Table.Tr key={row.event}>
                      <Table.Td>{row.event}</Table.Td>
                      <Table.Td ta="right">{f.number(row.count)}</Table.Td>
                      <Table.Td ta="right" c="dimmed">
                        {t('reports.live.profiles', { count: row.profiles, n: f.number(row.profiles) })}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            );
          }}
        </QueryView>
      </Paper>
    </SimpleGrid>
  );
}
