/** One editor per condition kind of the rule language (specs/segment-rules.md). */
import {
  ActionIcon,
  Button,
  Checkbox,
  Group,
  JsonInput,
  RangeSlider,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { segmentsApi } from '../../api/segments.ts';
import { FiltersEditor, PredicateEditor, WindowEditor } from './value-inputs.tsx';
import {
  AGGREGATE_FNS,
  BUILTIN_TRAITS,
  type BuiltinTrait,
  CHANNELS,
  type ConditionKind,
  type Json,
  type JsonObject,
  NUMBER_OPS,
  RFM_CELL_NAMES,
  TIME_BUILTINS,
  traitOps,
  VALUE_OPS,
  withBuiltin,
} from './vocabulary.ts';

interface EditorProps {
  cond: JsonObject;
  onChange: (c: JsonObject) => void;
}

/** `key` set, or removed when `v` is undefined. */
function put(obj: JsonObject, key: string, v: Json | undefined): JsonObject {
  const { [key]: _old, ...rest } = obj;
  return v === undefined ? rest : { ...rest, [key]: v };
}

function EventName({ value, onChange }: { value: Json | undefined; onChange: (v: string | null) => void }) {
  const { t } = useTranslation();
  const any = value === null;
  return (
    <Group gap={6} wrap="nowrap">
      <TextInput
        size="xs"
        w={200}
        aria-label={t('ruleBuilder.event')}
        placeholder={t('ruleBuilder.eventPlaceholder')}
        value={any ? '' : String(value ?? '')}
        disabled={any}
        onChange={(e) => onChange(e.currentTarget.value)}
        data-testid="event-input"
      />
      <Checkbox
        size="xs"
        label={t('ruleBuilder.anyEvent')}
        checked={any}
        onChange={(e) => onChange(e.currentTarget.checked ? null : '')}
      />
    </Group>
  );
}

function Labelled({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Group gap={6} wrap="nowrap" align="center">
      <Text size="xs" c="dimmed" w={80} style={{ flexShrink: 0 }}>
        {label}
      </Text>
      {children}
    </Group>
  );
}

function TraitEditor({ cond, onChange }: EditorProps) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="wrap" align="start">
      <TextInput
        size="xs"
        w={180}
        aria-label={t('ruleBuilder.trait')}
        placeholder={t('ruleBuilder.traitPlaceholder')}
        value={String(cond.trait ?? '')}
        onChange={(e) => onChange({ ...cond, trait: e.currentTarget.value })}
        data-testid="trait-input"
      />
      <PredicateEditor pred={cond} ops={VALUE_OPS} onChange={onChange} />
    </Group>
  );
}

function BuiltinEditor({ cond, onChange }: EditorProps) {
  const { t } = useTranslation();
  const trait = String(cond.trait) as BuiltinTrait;
  return (
    <Group gap={4} wrap="wrap" align="start">
      <Select
        size="xs"
        w={180}
        aria-label={t('ruleBuilder.builtin')}
        data={BUILTIN_TRAITS.map((b) => ({ value: b, label: t(`ruleBuilder.builtins.${b.slice(1)}`) }))}
        value={trait}
        onChange={(b) => b && onChange(withBuiltin(cond, b as BuiltinTrait))}
        allowDeselect={false}
        data-testid="builtin-select"
      />
      <PredicateEditor
        pred={cond}
        ops={traitOps(trait)}
        onChange={onChange}
        numeric={trait === '$eventCount'}
        dates={(TIME_BUILTINS as readonly string[]).includes(trait)}
      />
    </Group>
  );
}

function DidEditor({ cond, onChange }: EditorProps) {
  const { t } = useTranslation();
  const count = (cond.count as JsonObject | undefined) ?? { op: 'gte', value: 1 };
  return (
    <Stack gap={6}>
      <Labelled label={t('ruleBuilder.event')}>
        <EventName value={cond.event} onChange={(e) => onChange({ ...cond, event: e })} />
      </Labelled>
      <Labelled label={t('ruleBuilder.times')}>
        <PredicateEditor
          pred={count}
          ops={NUMBER_OPS}
          numeric
          onChange={(c) => onChange({ ...cond, count: c })}
        />
      </Labelled>
      <Labelled label={t('ruleBuilder.when')}>
        <WindowEditor value={cond.within} onChange={(w) => onChange(put(cond, 'within', w))} />
      </Labelled>
      <Labelled label={t('ruleBuilder.where')}>
        <FiltersEditor value={cond.where} onChange={(w) => onChange(put(cond, 'where', w))} />
      </Labelled>
    </Stack>
  );
}

function AggregateEditor({ cond, onChange }: EditorProps) {
  const { t } = useTranslation();
  const agg = (cond.aggregate as JsonObject | undefined) ?? { fn: 'sum' };
  const fn = String(agg.fn ?? 'sum');
  return (
    <Stack gap={6}>
      <Labelled label={t('ruleBuilder.event')}>
        <EventName value={cond.event} onChange={(e) => onChange({ ...cond, event: e })} />
      </Labelled>
      <Labelled label={t('ruleBuilder.aggregate')}>
        <Group gap={4} wrap="wrap">
          <Select
            size="xs"
            w={170}
            aria-label={t('ruleBuilder.function')}
            data={AGGREGATE_FNS.map((f) => ({ value: f, label: t(`ruleBuilder.fns.${f}`) }))}
            value={fn}
            onChange={(f) =>
              f &&
              onChange({
                ...cond,
                aggregate: put(
                  { ...agg, fn: f },
                  'property',
                  f === 'count' ? undefined : (agg.property ?? ''),
                ),
              })
            }
            allowDeselect={false}
            data-testid="fn-select"
          />
          {fn !== 'count' && (
            <TextInput
              size="xs"
              w={160}
              aria-label={t('ruleBuilder.property')}
              placeholder={t('ruleBuilder.property')}
              value={String(agg.property ?? '')}
              onChange={(e) => onChange({ ...cond, aggregate: { ...agg, property: e.currentTarget.value } })}
            />
          )}
          <PredicateEditor pred={cond} ops={NUMBER_OPS} numeric onChange={onChange} />
        </Group>
      </Labelled>
      <Labelled label={t('ruleBuilder.when')}>
        <WindowEditor value={cond.within} onChange={(w) => onChange(put(cond, 'within', w))} />
      </Labelled>
      <Labelled label={t('ruleBuilder.where')}>
        <FiltersEditor value={cond.where} onChange={(w) => onChange(put(cond, 'where', w))} />
      </Labelled>
    </Stack>
  );
}

function SequenceEditor({ cond, onChange }: EditorProps) {
  const { t } = useTranslation();
  const steps = (Array.isArray(cond.sequence) ? cond.sequence : []) as JsonObject[];
  const setSteps = (next: JsonObject[]) => onChange({ ...cond, sequence: next });
  return (
    <Stack gap={6}>
      {steps.map((step, i) => (
        <Stack
          // biome-ignore lint/suspicious/noArrayIndexKey: steps are identified by their place
          key={i}
          gap={4}
          pl="xs"
          style={{ borderLeft: '2px solid var(--mantine-color-blue-3)' }}
          data-testid="sequence-step"
        >
          <Group gap={6} wrap="nowrap">
            <Text size="xs" fw={600} w={70}>
              {t('ruleBuilder.step', { n: i + 1 })}
            </Text>
            <EventName
              value={step.event}
              onChange={(e) => setSteps(steps.map((s, j) => (j === i ? { ...s, event: e } : s)))}
            />
            <ActionIcon
              variant="subtle"
              color="gray"
              aria-label={t('ruleBuilder.remove')}
              disabled={steps.length <= 1}
              onClick={() => setSteps(steps.filter((_, j) => j !== i))}
            >
              ✕
            </ActionIcon>
          </Group>
          <Labelled label={t('ruleBuilder.where')}>
            <FiltersEditor
              value={step.where}
              onChange={(w) => setSteps(steps.map((s, j) => (j === i ? put(s, 'where', w) : s)))}
            />
          </Labelled>
        </Stack>
      ))}
      <Button
        size="compact-xs"
        variant="subtle"
        w="fit-content"
        onClick={() => setSteps([...steps, { event: '' }])}
        data-testid="add-step"
      >
        + {t('ruleBuilder.addStep')}
      </Button>
      <Labelled label={t('ruleBuilder.within')}>
        <WindowEditor value={cond.within} onChange={(w) => onChange(put(cond, 'within', w))} />
      </Labelled>
    </Stack>
  );
}

function RfmEditor({ cond, onChange }: EditorProps) {
  const { t } = useTranslation();
  const named = typeof cond.rfm === 'string';
  const scores = (named ? {} : (cond.rfm as JsonObject)) ?? {};
  return (
    <Stack gap={6}>
      <Select
        size="xs"
        w={200}
        aria-label={t('ruleBuilder.rfmMode')}
        data={[
          { value: 'cell', label: t('ruleBuilder.rfmModes.cell') },
          { value: 'scores', label: t('ruleBuilder.rfmModes.scores') },
        ]}
        value={named ? 'cell' : 'scores'}
        onChange={(m) => onChange({ rfm: m === 'cell' ? 'champions' : { r: [4, 5], f: [4, 5] } })}
        allowDeselect={false}
      />
      {named ? (
        <Select
          size="xs"
          w={240}
          aria-label={t('ruleBuilder.rfmCell')}
          data={RFM_CELL_NAMES.map((c) => ({ value: c, label: t(`ruleBuilder.rfmCells.${c}`) }))}
          value={String(cond.rfm)}
          onChange={(c) => c && onChange({ rfm: c })}
          allowDeselect={false}
          data-testid="rfm-cell"
        />
      ) : (
        (['r', 'f', 'm'] as const).map((k) => {
          const range = Array.isArray(scores[k]) ? (scores[k] as number[]) : null;
          return (
            <Group key={k} gap="sm" wrap="nowrap">
              <Checkbox
                size="xs"
                w={140}
                label={t(`ruleBuilder.rfmScores.${k}`)}
                checked={range !== null}
                onChange={(e) =>
                  onChange({ rfm: put(scores, k, e.currentTarget.checked ? [1, 5] : undefined) })
                }
              />
              {range && (
                <RangeSlider
                  w={200}
                  min={1}
                  max={5}
                  step={1}
                  minRange={0}
                  marks={[1, 2, 3, 4, 5].map((v) => ({ value: v, label: String(v) }))}
                  value={[range[0], range[1]]}
                  onChange={(v) => onChange({ rfm: { ...scores, [k]: [v[0], v[1]] } })}
                  mb="md"
                />
              )}
            </Group>
          );
        })
      )}
    </Stack>
  );
}

function SegmentRefEditor({ cond, onChange, selfId }: EditorProps & { selfId?: string }) {
  const { t } = useTranslation();
  const query = useQuery({ queryKey: ['segments', 'all'], queryFn: () => segmentsApi.list({ limit: 1000 }) });
  const options = (query.data?.data ?? [])
    .filter((s) => s.id !== selfId)
    .map((s) => ({ value: s.id, label: s.name }));
  const current = String(cond.segment ?? '');
  if (current && !options.some((o) => o.value === current)) options.push({ value: current, label: current });
  return (
    <Select
      size="xs"
      w={280}
      searchable
      aria-label={t('ruleBuilder.segment')}
      placeholder={t('ruleBuilder.segmentPlaceholder')}
      data={options}
      value={current || null}
      onChange={(id) => onChange({ segment: id ?? '' })}
      nothingFoundMessage={t('ruleBuilder.noSegments')}
      data-testid="segment-select"
    />
  );
}

function ReachableEditor({ cond, onChange }: EditorProps) {
  const { t } = useTranslation();
  return (
    <Select
      size="xs"
      w={200}
      aria-label={t('ruleBuilder.channel')}
      data={CHANNELS.map((c) => ({ value: c, label: t(`ruleBuilder.channels.${c}`) }))}
      value={String(cond.reachable)}
      onChange={(c) => c && onChange({ reachable: c })}
      allowDeselect={false}
      data-testid="channel-select"
    />
  );
}

/** A condition the builder does not know: its JSON, edited as text. */
function RawEditor({ cond, onChange }: { cond: Json; onChange: (c: Json) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(() => JSON.stringify(cond, null, 2));
  return (
    <JsonInput
      size="xs"
      autosize
      minRows={2}
      aria-label={t('ruleBuilder.rawCondition')}
      validationError={t('ruleBuilder.invalidJson')}
      value={text}
      onChange={(v) => {
        setText(v);
        try {
          onChange(JSON.parse(v) as Json);
        } catch {
          /* keep editing until it parses */
        }
      }}
    />
  );
}

/** The editor of a condition of `kind`. */
export function ConditionEditor({
  kind,
  cond,
  onChange,
  selfId,
}: {
  kind: ConditionKind | null;
  cond: Json;
  onChange: (c: Json) => void;
  selfId?: string;
}) {
  if (kind === null || typeof cond !== 'object' || cond === null || Array.isArray(cond))
    return <RawEditor cond={cond} onChange={onChange} />;
  const props = { cond, onChange };
  switch (kind) {
    case 'trait':
      return <TraitEditor {...props} />;
    case 'builtin':
      return <BuiltinEditor {...props} />;
    case 'did':
      return <DidEditor {...props} />;
    case 'aggregate':
      return <AggregateEditor {...props} />;
    case 'sequence':
      return <SequenceEditor {...props} />;
    case 'rfm':
      return <RfmEditor {...props} />;
    case 'segment':
      return <SegmentRefEditor {...props} selfId={selfId} />;
    case 'reachable':
      return <ReachableEditor {...props} />;
  }
}
