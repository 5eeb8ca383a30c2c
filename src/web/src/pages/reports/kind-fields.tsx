/** The fields of each report kind's own spec part (funnel steps, retention periods, model…). */
import {
  ActionIcon,
  Autocomplete,
  Button,
  Group,
  NumberInput,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ReportKind } from '../../api/reports.ts';
import { CHANNELS, type FormState, GRANULARITIES, MODELS } from './spec-form.ts';

export type SetState = (patch: Partial<FormState>) => void;

/** An event name with the workspace's names suggested (any name may be typed). */
export function EventInput(props: {
  label?: string;
  value: string;
  onChange: (v: string) => void;
  names: string[];
  placeholder?: string;
  testId: string;
}) {
  return (
    <Autocomplete
      label={props.label}
      value={props.value}
      onChange={props.onChange}
      data={props.names}
      placeholder={props.placeholder}
      data-testid={props.testId}
      limit={30}
    />
  );
}

function FunnelSteps({ s, set, names }: { s: FormState; set: SetState; names: string[] }) {
  const { t } = useTranslation();
  const update = (i: number, v: string) => set({ steps: s.steps.map((e, j) => (j === i ? v : e)) });
  return (
    <Stack gap={6}>
      <Text size="sm" fw={500}>
        {t('reports.form.steps')}
      </Text>
      {s.steps.map((step, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: steps are positional
        <Group key={i} gap={6} wrap="nowrap">
          <Text size="sm" w={20} c="dimmed">
            {i + 1}.
          </Text>
          <div style={{ flex: 1 }}>
            <EventInput value={step} onChange={(v) => update(i, v)} names={names} testId={`step-${i + 1}`} />
          </div>
          <ActionIcon
            variant="subtle"
            color="gray"
            disabled={s.steps.length <= 2}
            onClick={() => set({ steps: s.steps.filter((_, j) => j !== i) })}
            aria-label={t('reports.form.removeStep')}
          >
            ×
          </ActionIcon>
        </Group>
      ))}
      <Group>
        <Button
          size="xs"
          variant="light"
          disabled={s.steps.length >= 10}
          onClick={() => set({ steps: [...s.steps, ''] })}
          data-testid="add-step"
        >
          {t('reports.form.addStep')}
        </Button>
      </Group>
    </Stack>
  );
}

/** The fields of `kind`'s own part of the spec. */
export function KindFields({
  kind,
  s,
  set,
  names,
}: {
  kind: ReportKind;
  s: FormState;
  set: SetState;
  names: string[];
}) {
  const { t } = useTranslation();
  const choice = <K extends keyof FormState>(
    key: K,
    values: readonly string[],
    label: string,
    prefix: string,
  ) => (
    <Select
      label={label}
      value={String(s[key])}
      onChange={(v) => v && set({ [key]: v } as Partial<FormState>)}
      data={values.map((v) => ({ value: v, label: t(`${prefix}.${v}`) }))}
      allowDeselect={false}
      data-testid={`field-${key}`}
    />
  );
  const num = (key: keyof FormState, label: string, min: number, max: number) => (
    <NumberInput
      label={label}
      value={s[key] as number}
      min={min}
      max={max}
      onChange={(v) => set({ [key]: typeof v === 'number' ? v : min } as Partial<FormState>)}
      data-testid={`field-${key}`}
    />
  );
  const event = (key: keyof FormState, label: string, placeholder?: string) => (
    <EventInput
      label={label}
      value={s[key] as string}
      onChange={(v) => set({ [key]: v } as Partial<FormState>)}
      names={names}
      placeholder={placeholder}
      testId={`field-${key}`}
    />
  );
  const text = (key: keyof FormState, label: string, placeholder?: string) => (
    <TextInput
      label={label}
      value={s[key] as string}
      placeholder={placeholder}
      onChange={(e) => set({ [key]: e.currentTarget.value } as Partial<FormState>)}
      data-testid={`field-${key}`}
    />
  );
  const granularity = choice(
    'granularity',
    GRANULARITIES,
    t('reports.form.granularity'),
    'reports.granularity',
  );
  const period = choice('period', GRANULARITIES, t('reports.form.period'), 'reports.granularity');
  const periods = num('periods', t('reports.form.periods'), 1, 120);
  const revenue = text('revenueProperty', t('reports.form.revenueProperty'), 'revenue');
  switch (kind) {
    case 'overview':
      return granularity;
    case 'funnel':
      return (
        <>
          <FunnelSteps s={s} set={set} names={names} />
          <Stack gap="xs">
            <Group grow>
              {num('window', t('reports.form.window'), 1, s.windowUnit === 'days' ? 366 : 8784)}
              {choice('windowUnit', ['days', 'hours'], t('reports.form.windowUnit'), 'reports.units.names')}
            </Group>
            {choice('order', ['strict', 'any'], t('reports.form.order'), 'reports.order')}
          </Stack>
        </>
      );
    case 'retention':
      return (
        <>
          {event('cohortEvent', t('reports.form.cohortEvent'), t('reports.form.anyEvent'))}
          {event('returnEvent', t('reports.form.returnEvent'), t('reports.form.anyEvent'))}
          {period}
          {periods}
        </>
      );
    case 'ltv':
      return (
        <>
          {choice('by', ['cohort', 'channel'], t('reports.form.by'), 'reports.by')}
          {period}
          {periods}
          {revenue}
        </>
      );
    case 'rfm':
      return (
        <>
          {event('purchaseEvent', t('reports.form.purchaseEvent'))}
          {revenue}
        </>
      );
    case 'paths':
      return (
        <>
          {choice('anchor', ['start', 'end'], t('reports.form.anchor'), 'reports.anchor')}
          {event('anchorEvent', t('reports.form.anchorEvent'))}
          {num('pathSteps', t('reports.form.pathSteps'), 2, 6)}
          {num('topN', t('reports.form.topN'), 1, 50)}
        </>
      );
    case 'attribution':
      return (
        <>
          {event('conversionEvent', t('reports.form.conversionEvent'))}
          {choice('model', MODELS, t('reports.form.model'), 'reports.models')}
          {num('lookbackDays', t('reports.form.lookbackDays'), 1, 365)}
          {choice('channel', CHANNELS, t('reports.form.channel'), 'reports.channels')}
          {revenue}
        </>
      );
    case 'revenue':
      return (
        <>
          {event('orderEvent', t('reports.form.orderEvent'))}
          {revenue}
          {granularity}
        </>
      );
    case 'content':
      return text('contentProperty', t('reports.form.contentProperty'), 'content_id');
    case 'subscriptions':
      return (
        <>
          {text('plan', t('reports.form.plan'), t('reports.form.allPlans'))}
          {granularity}
        </>
      );
  }
}
