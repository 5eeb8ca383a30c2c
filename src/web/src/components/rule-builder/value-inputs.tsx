/** Inputs for the pieces conditions share: an operator with its value, a time window, property filters. */
import { ActionIcon, Button, Group, NumberInput, Select, Stack, TagsInput, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  type Json,
  type JsonObject,
  parseScalar,
  relativeOf,
  scalarType,
  VALUE_OPS,
  valueShape,
  withOp,
} from './vocabulary.ts';

const num = (v: string | number): number => (typeof v === 'number' ? v : Number(v) || 0);

export function OpSelect({
  ops,
  value,
  onChange,
  testId,
}: {
  ops: readonly string[];
  value: string;
  onChange: (op: string) => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <Select
      size="xs"
      w={190}
      aria-label={t('ruleBuilder.operator')}
      data={ops.map((op) => ({ value: op, label: t(`ruleBuilder.ops.${op}`) }))}
      value={ops.includes(value) ? value : null}
      placeholder={value}
      onChange={(op) => op && onChange(op)}
      allowDeselect={false}
      data-testid={testId}
    />
  );
}

/** `{days:N}` / `{hours:N}`. */
export function RelativeInput({ value, onChange }: { value: Json; onChange: (v: Json) => void }) {
  const { t } = useTranslation();
  const rel = relativeOf(value) ?? { unit: 'days' as const, n: 30 };
  return (
    <Group gap={4} wrap="nowrap">
      <NumberInput
        size="xs"
        w={90}
        min={0}
        aria-label={t('ruleBuilder.amount')}
        value={rel.n}
        onChange={(n) => onChange({ [rel.unit]: num(n) })}
        data-testid="relative-amount"
      />
      <Select
        size="xs"
        w={110}
        aria-label={t('ruleBuilder.unit')}
        data={[
          { value: 'days', label: t('ruleBuilder.units.days') },
          { value: 'hours', label: t('ruleBuilder.units.hours') },
        ]}
        value={rel.unit}
        onChange={(u) => u && onChange({ [u]: rel.n })}
        allowDeselect={false}
      />
    </Group>
  );
}

/** A point in time: N days/hours ago or an ISO date. */
function TimeInput({ value, onChange }: { value: Json; onChange: (v: Json) => void }) {
  const { t } = useTranslation();
  const isDate = typeof value === 'string';
  return (
    <Group gap={4} wrap="nowrap">
      <Select
        size="xs"
        w={130}
        aria-label={t('ruleBuilder.timeMode')}
        data={[
          { value: 'ago', label: t('ruleBuilder.timeModes.ago') },
          { value: 'date', label: t('ruleBuilder.timeModes.date') },
        ]}
        value={isDate ? 'date' : 'ago'}
        onChange={(m) => onChange(m === 'date' ? new Date().toISOString().slice(0, 10) : { days: 30 })}
        allowDeselect={false}
      />
      {isDate ? (
        <TextInput
          size="xs"
          type="date"
          aria-label={t('ruleBuilder.date')}
          value={value.slice(0, 10)}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      ) : (
        <RelativeInput value={value} onChange={onChange} />
      )}
    </Group>
  );
}

type ScalarKind = 'string' | 'number' | 'boolean';

function TypeSelect({ value, onChange }: { value: ScalarKind; onChange: (k: ScalarKind) => void }) {
  const { t } = useTranslation();
  return (
    <Select
      size="xs"
      w={100}
      aria-label={t('ruleBuilder.valueType')}
      data={(['string', 'number', 'boolean'] as const).map((k) => ({
        value: k,
        label: t(`ruleBuilder.types.${k}`),
      }))}
      value={value}
      onChange={(k) => k && onChange(k as ScalarKind)}
      allowDeselect={false}
    />
  );
}

function ScalarInput({ value, onChange }: { value: Json; onChange: (v: Json) => void }) {
  const { t } = useTranslation();
  const kind = scalarType(value);
  const input =
    kind === 'boolean' ? (
      <Select
        size="xs"
        w={100}
        aria-label={t('ruleBuilder.value')}
        data={[
          { value: 'true', label: t('ruleBuilder.true') },
          { value: 'false', label: t('ruleBuilder.false') },
        ]}
        value={String(value)}
        onChange={(v) => onChange(v === 'true')}
        allowDeselect={false}
      />
    ) : kind === 'number' ? (
      <NumberInput
        size="xs"
        w={120}
        aria-label={t('ruleBuilder.value')}
        value={value as number}
        onChange={(n) => onChange(num(n))}
        data-testid="value-input"
      />
    ) : (
      <TextInput
        size="xs"
        aria-label={t('ruleBuilder.value')}
        value={String(value ?? '')}
        onChange={(e) => onChange(e.currentTarget.value)}
        data-testid="value-input"
      />
    );
  return (
    <Group gap={4} wrap="nowrap">
      <TypeSelect value={kind} onChange={(k) => onChange(parseScalar(String(value ?? ''), k))} />
      {input}
    </Group>
  );
}

function ListInput({ value, onChange }: { value: Json; onChange: (v: Json) => void }) {
  const { t } = useTranslation();
  const list = Array.isArray(value) ? value : [];
  const kind = list.length > 0 && typeof list[0] === 'number' ? 'number' : 'string';
  const set = (items: string[], k: ScalarKind) => onChange(items.map((s) => parseScalar(s, k)));
  return (
    <Group gap={4} wrap="nowrap" style={{ flex: 1 }}>
      <TypeSelect value={kind} onChange={(k) => set(list.map(String), k)} />
      <TagsInput
        size="xs"
        style={{ flex: 1, minWidth: 160 }}
        aria-label={t('ruleBuilder.values')}
        placeholder={t('ruleBuilder.valuesHint')}
        value={list.map(String)}
        onChange={(items) => set(items, kind)}
        data-testid="list-input"
      />
    </Group>
  );
}

function RangeInput({
  value,
  onChange,
  dates,
}: {
  value: Json;
  onChange: (v: Json) => void;
  dates?: boolean;
}) {
  const { t } = useTranslation();
  const [lo, hi] = Array.isArray(value) && value.length === 2 ? value : [0, 0];
  const asDates = dates ?? typeof lo === 'string';
  const one = (v: Json, set: (x: Json) => void, label: string) =>
    asDates ? (
      <TextInput
        size="xs"
        type="date"
        aria-label={label}
        value={String(v ?? '').slice(0, 10)}
        onChange={(e) => set(e.currentTarget.value)}
      />
    ) : (
      <NumberInput
        size="xs"
        w={110}
        aria-label={label}
        value={Number(v) || 0}
        onChange={(n) => set(num(n))}
      />
    );
  return (
    <Group gap={4} wrap="nowrap">
      {dates === undefined && (
        <Select
          size="xs"
          w={100}
          aria-label={t('ruleBuilder.valueType')}
          data={[
            { value: 'number', label: t('ruleBuilder.types.number') },
            { value: 'date', label: t('ruleBuilder.types.date') },
          ]}
          value={asDates ? 'date' : 'number'}
          onChange={(k) => onChange(k === 'date' ? ['', ''] : [0, 0])}
          allowDeselect={false}
        />
      )}
      {one(lo, (x) => onChange([x, hi]), t('ruleBuilder.from'))}
      {one(hi, (x) => onChange([lo, x]), t('ruleBuilder.to'))}
    </Group>
  );
}

/**
 * An operator and the value it needs (`{op, value}` inside a condition). `numeric`: counts and
 * aggregates; `dates`: `between` takes dates (first/last seen).
 */
export function PredicateEditor({
  pred,
  ops,
  onChange,
  numeric = false,
  dates,
}: {
  pred: JsonObject;
  ops: readonly string[];
  onChange: (p: JsonObject) => void;
  numeric?: boolean;
  dates?: boolean;
}) {
  const op = String(pred.op ?? '');
  const value = pred.value ?? null;
  const setValue = (v: Json) => onChange({ ...pred, value: v });
  const shape = valueShape(op);
  return (
    <Group gap={4} wrap="wrap" style={{ flex: 1 }}>
      <OpSelect
        ops={ops}
        value={op}
        onChange={(o) => onChange(withOp(pred, o, numeric))}
        testId="op-select"
      />
      {shape === 'scalar' &&
        (numeric ? (
          <NumberInput
            size="xs"
            w={120}
            value={Number(value) || 0}
            onChange={(n) => setValue(num(n))}
            data-testid="value-input"
          />
        ) : (
          <ScalarInput value={value} onChange={setValue} />
        ))}
      {shape === 'number' && (
        <NumberInput
          size="xs"
          w={120}
          value={Number(value) || 0}
          onChange={(n) => setValue(num(n))}
          data-testid="value-input"
        />
      )}
      {shape === 'text' && (
        <TextInput
          size="xs"
          value={String(value ?? '')}
          onChange={(e) => setValue(e.currentTarget.value)}
          data-testid="value-input"
        />
      )}
      {shape === 'list' && <ListInput value={value} onChange={setValue} />}
      {shape === 'range' && <RangeInput value={value} onChange={setValue} dates={numeric ? false : dates} />}
      {shape === 'time' && <TimeInput value={value} onChange={setValue} />}
      {shape === 'relative' && <RelativeInput value={value} onChange={setValue} />}
    </Group>
  );
}

/** `within`: all time, the last N days/hours, or between two dates. */
export function WindowEditor({
  value,
  onChange,
}: {
  value: Json | undefined;
  onChange: (v: Json | undefined) => void;
}) {
  const { t } = useTranslation();
  const rel = relativeOf(value);
  const range = value && typeof value === 'object' && !Array.isArray(value) && 'from' in value ? value : null;
  const mode = rel ? 'last' : range ? 'range' : 'all';
  const today = new Date().toISOString().slice(0, 10);
  return (
    <Group gap={4} wrap="nowrap">
      <Select
        size="xs"
        w={150}
        aria-label={t('ruleBuilder.window')}
        data={(['all', 'last', 'range'] as const).map((m) => ({
          value: m,
          label: t(`ruleBuilder.windows.${m}`),
        }))}
        value={mode}
        onChange={(m) =>
          onChange(m === 'last' ? { days: 30 } : m === 'range' ? { from: today, to: today } : undefined)
        }
        allowDeselect={false}
        data-testid="window-select"
      />
      {mode === 'last' && <RelativeInput value={value ?? null} onChange={onChange} />}
      {range && (
        <>
          <TextInput
            size="xs"
            type="date"
            aria-label={t('ruleBuilder.from')}
            value={String(range.from ?? '').slice(0, 10)}
            onChange={(e) => onChange({ ...range, from: e.currentTarget.value })}
          />
          <TextInput
            size="xs"
            type="date"
            aria-label={t('ruleBuilder.to')}
            value={String(range.to ?? '').slice(0, 10)}
            onChange={(e) => onChange({ ...range, to: e.currentTarget.value })}
          />
        </>
      )}
    </Group>
  );
}

/** `where`: property filters of an event, each a property with an operator and value. */
export function FiltersEditor({
  value,
  onChange,
}: {
  value: Json | undefined;
  onChange: (v: Json[] | undefined) => void;
}) {
  const { t } = useTranslation();
  const filters = (Array.isArray(value) ? value : []) as JsonObject[];
  const set = (next: JsonObject[]) => onChange(next.length ? next : undefined);
  return (
    <Stack gap={4}>
      {filters.map((f, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: filters have no identity but their place
        <Group key={i} gap={4} wrap="nowrap" align="start" data-testid="property-filter">
          <TextInput
            size="xs"
            w={160}
            aria-label={t('ruleBuilder.property')}
            placeholder={t('ruleBuilder.property')}
            value={String(f.property ?? '')}
            onChange={(e) =>
              set(filters.map((x, j) => (j === i ? { ...x, property: e.currentTarget.value } : x)))
            }
          />
          <PredicateEditor
            pred={f}
            ops={VALUE_OPS}
            onChange={(p) => set(filters.map((x, j) => (j === i ? p : x)))}
          />
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label={t('ruleBuilder.remove')}
            onClick={() => set(filters.filter((_, j) => j !== i))}
          >
            ✕
          </ActionIcon>
        </Group>
      ))}
      <Button
        size="compact-xs"
        variant="subtle"
        w="fit-content"
        onClick={() => set([...filters, { property: '', op: 'eq', value: '' }])}
        data-testid="add-filter"
      >
        + {t('ruleBuilder.addFilter')}
      </Button>
    </Stack>
  );
}
