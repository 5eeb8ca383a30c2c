/** Enters and exits per day with the size at the end of each day (GET /segments/{id}/history?bucket=day). */
import { SegmentedControl, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { segmentsApi } from '../../api/segments.ts';
import { Chart } from '../../components/chart.tsx';
import { useFormat } from '../../components/format.ts';
import { QueryView } from '../../components/query-view.tsx';

const RANGES = ['7', '30', '90'] as const;

export function HistoryChart({ id }: { id: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [days, setDays] = useState<string>('30');
  const from = new Date(Date.now() - Number(days) * 86_400_000).toISOString().slice(0, 10);
  const query = useQuery({
    queryKey: ['segments', id, 'history', from],
    queryFn: () => segmentsApi.historyDays(id, `${from}T00:00:00Z`),
  });
  return (
    <Stack gap="xs">
      <SegmentedControl
        size="xs"
        w="fit-content"
        data={RANGES.map((r) => ({ value: r, label: t('segments.lastDays', { count: Number(r) }) }))}
        value={days}
        onChange={setDays}
      />
      <QueryView query={query}>
        {({ data }) =>
          data.length === 0 ? (
            <Text c="dimmed" size="sm" data-testid="history-empty">
              {t('segments.noHistory')}
            </Text>
          ) : (
            <Chart
              testId="history-chart"
              option={{
                tooltip: { trigger: 'axis' },
                legend: { top: 0, left: 'center' },
                grid: { left: 48, right: 48, top: 64, bottom: 28 },
                xAxis: { type: 'category', data: data.map((d) => f.day(d.date)) },
                yAxis: [
                  { type: 'value', name: t('segments.changes'), minInterval: 1 },
                  { type: 'value', name: t('segments.size'), minInterval: 1, splitLine: { show: false } },
                ],
                series: [
                  {
                    name: t('segments.entered'),
                    type: 'bar',
                    stack: 'c',
                    data: data.map((d) => d.entered),
                    color: '#2f9e44',
                  },
                  {
                    name: t('segments.exited'),
                    type: 'bar',
                    stack: 'c',
                    data: data.map((d) => -d.exited),
                    color: '#e03131',
                  },
                  {
                    name: t('segments.size'),
                    type: 'line',
                    yAxisIndex: 1,
                    data: data.map((d) => d.size),
                    color: '#1971c2',
                  },
                ],
              }}
            />
          )
        }
      </QueryView>
    </Stack>
  );
}
