/** What the report views share: formatters and labels of the language, tables, stat boxes. */
import { Paper, ScrollArea, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldsOf, ReportKind } from '../../api/reports.ts';
import { useFormat } from '../../components/format.ts';
import { durationParts, type Fmt, type Labels } from './charts.ts';

/** The names the chart mappers label series and axes with. */
const LABELS = [
  'users',
  'period',
  'retained',
  'revenuePerUser',
  'recency',
  'frequency',
  'revenue',
  'spend',
  'romi',
  'views',
  'viewers',
  'newUsers',
  'returningUsers',
  'sessions',
  'events',
  'orders',
  'buyers',
  'new',
  'renewed',
  'churned',
  'active',
  'mrr',
];

/** Formatters and labels of the console's language for the chart mappers. */
export function useReportFormat() {
  const { t } = useTranslation();
  const f = useFormat();
  const money = new Intl.NumberFormat(f.locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const fmt: Fmt = { number: f.number, percent: f.percent, day: f.day };
  const labels: Labels = Object.fromEntries(LABELS.map((k) => [k, t(`reports.fields.${k}`)]));
  const duration = (s: number | null) => {
    if (s === null) return '—';
    const { value, unit } = durationParts(s);
    return t(`reports.units.${unit}`, { value: f.number(value) });
  };
  const ratio = (n: number | null) => (n === null ? '—' : f.number(n));
  return {
    t,
    f,
    fmt,
    labels,
    duration,
    ratio,
    money: (n: number | null) => (n === null ? '—' : money.format(n)),
  };
}

export type F = ReturnType<typeof useReportFormat>;

export function DataTable({ head, rows, testId }: { head: string[]; rows: ReactNode[][]; testId?: string }) {
  return (
    <ScrollArea.Autosize mah={420}>
      <Table striped highlightOnHover data-testid={testId} fz="sm">
        <Table.Thead>
          <Table.Tr>
            {head.map((h, i) => (
              <Table.Th key={h} ta={i === 0 ? 'left' : 'right'}>
                {h}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((cells, r) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional
            <Table.Tr key={r}>
              {cells.map((c, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
                <Table.Td key={i} ta={i === 0 ? 'left' : 'right'}>
                  {c}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
}

export function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Paper withBorder p="xs">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} data-testid={testId}>
        {value}
      </Text>
    </Paper>
  );
}

export function Empty() {
  const { t } = useTranslation();
  return (
    <Text c="dimmed" size="sm" p="md" ta="center" data-testid="report-empty">
      {t('reports.empty')}
    </Text>
  );
}

/** What every kind's view gets. */
export interface Props<K extends ReportKind> {
  fields: FieldsOf<K>;
  spec: Record<string, unknown>;
  tile: boolean;
  height: number;
  x: F;
}
