/**
 * The spec form of a report kind: the common fields (dates, time zone, segment, breakdown,
 * filters) and the kind's own. Edits a FormState; spec-form.ts turns it into the spec.
 */
import { ActionIcon, Button, Group, Paper, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { type ReportKind, segmentsQuery } from '../../api/reports.ts';
import type { Page, StoredEvent } from '../../api/types.ts';
import { KindFields, type SetState } from './kind-fields.tsx';
import { eventSuggestions, FILTER_OPS, type FilterRow, type FormState } from './spec-form.ts';

/** Event names for the pickers: the latest 1000 events' names, then the common ones. */
function useEventNames(): string[] {
  const { data } = useQuery({
    queryKey: ['events', 'names'],
    queryFn: () => api<Page<StoredEvent>>('/events', { query: { limit: 1000, type: 'track' } }),
    staleTime: 60_000,
  });
  return eventSuggestions((data?.data ?? []).map((e) => e.event));
}

const ZONES: string[] = (() => {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone');
  } catch {
    return ['UTC', 'Europe/Moscow'];
  }
})();

function Filters({ s, set }: { s: FormState; set: SetState }) {
  const { t } = useTranslation();
  const update = (i: number, patch: Partial<FilterRow>) =>
    set({ filters: s.filters.map((f, j) => (j === i ? { ...f, ...patch } : f)) });
  return (
    <Stack gap={6}>
      <Text size="sm" fw={500}>
        {t('reports.form.filters')}
      </Text>
      {s.filters.map((f, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: filters are positional
        <Group key={i} gap={6} wrap="nowrap" align="flex-end">
          <Select
            w={120}
            value={f.target}
            onChange={(v) => update(i, { target: (v as FilterRow['target']) ?? 'property' })}
            data={[
              { value: 'property', label: t('reports.form.property') },
              { value: 'trait', label: t('reports.form.trait') },
            ]}
            allowDeselect={false}
          />
          <TextInput
            style={{ flex: 1 }}
            value={f.name}
            placeholder="utm_source"
            onChange={(e) => update(i, { name: e.currentTarget.value })}
          />
          <Select
            w={130}
            value={f.op}
            onChange={(v) => update(i, { op: (v as FilterRow['op']) ?? 'eq' })}
            data={FILTER_OPS.map((op) => ({ value: op, label: t(`reports.ops.${op}`) }))}
            allowDeselect={false}
          />
          <TextInput
            style={{ flex: 1 }}
            value={f.value}
            disabled={f.op === 'exists' || f.op === 'not_exists'}
            placeholder={f.op === 'in' || f.op === 'not_in' ? 'a, b' : ''}
            onChange={(e) => update(i, { value: e.currentTarget.value })}
          />
          <ActionIcon
            variant="subtle"
            color="gray"
            mb={6}
            onClick={() => set({ filters: s.filters.filter((_, j) => j !== i) })}
            aria-label={t('reports.form.removeFilter')}
          >
            ×
          </ActionIcon>
        </Group>
      ))}
      <Group>
        <Button
          size="xs"
          variant="light"
          onClick={() =>
            set({ filters: [...s.filters, { target: 'property', name: '', op: 'eq', value: '' }] })
          }
          data-testid="add-filter"
        >
          {t('reports.form.addFilter')}
        </Button>
      </Group>
    </Stack>
  );
}

function Common({ s, set }: { s: FormState; set: SetState }) {
  const { t } = useTranslation();
  const segments = useQuery({ ...segmentsQuery, staleTime: 60_000 });
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
      <TextInput
        type="date"
        label={t('reports.form.from')}
        value={s.from}
        onChange={(e) => set({ from: e.currentTarget.value })}
        data-testid="report-from"
      />
      <TextInput
        type="date"
        label={t('reports.form.to')}
        value={s.to}
        onChange={(e) => set({ to: e.currentTarget.value })}
        data-testid="report-to"
      />
      <Select
        label={t('reports.form.timezone')}
        value={s.timezone}
        onChange={(v) => set({ timezone: v ?? 'UTC' })}
        data={ZONES.includes(s.timezone) ? ZONES : [s.timezone, ...ZONES]}
        searchable
        allowDeselect={false}
        data-testid="report-timezone"
      />
      <Select
        label={t('reports.form.segment')}
        placeholder={t('reports.allUsers')}
        value={s.segmentId}
        onChange={(v) => set({ segmentId: v })}
        data={(segments.data?.data ?? []).map((g) => ({ value: g.id, label: g.name }))}
        clearable
        searchable
        error={segments.isError ? t('reports.form.segmentsFailed') : undefined}
        data-testid="report-segment"
      />
      <Select
        label={t('reports.form.breakdown')}
        value={s.breakdown.type}
        onChange={(v) =>
          set({ breakdown: { ...s.breakdown, type: (v as FormState['breakdown']['type']) ?? 'none' } })
        }
        data={[
          { value: 'none', label: t('reports.form.noBreakdown') },
          { value: 'property', label: t('reports.form.property') },
          { value: 'trait', label: t('reports.form.trait') },
        ]}
        allowDeselect={false}
        data-testid="report-breakdown"
      />
      {s.breakdown.type !== 'none' && (
        <TextInput
          label={t('reports.form.breakdownName')}
          value={s.breakdown.name}
          placeholder={s.breakdown.type === 'trait' ? 'city' : 'utm_source'}
          onChange={(e) => set({ breakdown: { ...s.breakdown, name: e.currentTarget.value } })}
          data-testid="report-breakdown-name"
        />
      )}
    </SimpleGrid>
  );
}

/** The whole form; `onRun` when the user asks for the report. */
export function ReportForm({
  kind,
  state,
  onChange,
  onRun,
  running,
}: {
  kind: ReportKind;
  state: FormState;
  onChange: (s: FormState) => void;
  onRun: () => void;
  running: boolean;
}) {
  const { t } = useTranslation();
  const names = useEventNames();
  const set: SetState = (patch) => onChange({ ...state, ...patch });
  return (
    <Paper withBorder p="md">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onRun();
        }}
      >
        <Stack gap="md">
          <Common s={state} set={set} />
          <SimpleGrid cols={{ base: 1, sm: 2, lg: kind === 'funnel' ? 2 : 4 }}>
            <KindFields kind={kind} s={state} set={set} names={names} />
          </SimpleGrid>
          <Filters s={state} set={set} />
          <Group>
            <Button type="submit" loading={running} data-testid="report-run">
              {t('reports.run')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
