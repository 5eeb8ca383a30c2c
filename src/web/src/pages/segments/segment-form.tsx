/** A segment's definition: name, description, tags, type, schedule and (dynamic) its rule with a live size. */
import {
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  TagsInput,
  Textarea,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import type { Segment } from '../../api/segments.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { RuleBuilder } from '../../components/rule-builder/rule-builder.tsx';
import { SizePreview, useRulePreview } from '../../components/rule-builder/size-preview.tsx';
import type { Json } from '../../components/rule-builder/vocabulary.ts';

type ScheduleMode = 'minutes' | 'cron' | 'manual';

function scheduleMode(s: Segment['schedule'] | undefined): ScheduleMode {
  return typeof s === 'string' ? 'cron' : s === null ? 'manual' : 'minutes';
}

export function SegmentForm({
  initial,
  onSave,
  saving,
  error,
  submitLabel,
}: {
  initial: Segment | null;
  onSave: (body: Record<string, unknown>) => void;
  saving: boolean;
  error: unknown;
  submitLabel: string;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState(initial?.name ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [tags, setTags] = useState<string[]>(initial?.tags ?? []);
  const [type, setType] = useState<'dynamic' | 'static'>(initial?.type ?? 'dynamic');
  const [mode, setMode] = useState<ScheduleMode>(scheduleMode(initial?.schedule));
  const [minutes, setMinutes] = useState<number>(
    typeof initial?.schedule === 'number' ? initial.schedule : 15,
  );
  const [cron, setCron] = useState<string>(
    typeof initial?.schedule === 'string' ? initial.schedule : '0 * * * *',
  );
  const [rule, setRule] = useState<Json | null>((initial?.rule as Json | undefined) ?? null);
  const dynamic = type === 'dynamic';
  const preview = useRulePreview(dynamic ? rule : null);
  const previewError = preview.query.error instanceof ApiError ? preview.query.error : null;
  const saveError = error instanceof ApiError ? error : null;
  const details = (saveError?.details.length ? saveError : previewError)?.details ?? [];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: Record<string, unknown> = { name: name.trim(), description, tags };
    if (!initial) body.type = type;
    if (dynamic) {
      body.rule = rule;
      body.schedule = mode === 'minutes' ? minutes : mode === 'cron' ? cron.trim() : null;
    }
    onSave(body);
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <Group align="start" grow>
          <TextInput
            label={t('segments.name')}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            data-testid="segment-name"
          />
          <TagsInput label={t('segments.tags')} value={tags} onChange={setTags} data-testid="segment-tags" />
        </Group>
        <Textarea
          label={t('segments.description')}
          autosize
          minRows={1}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          data-testid="segment-description"
        />
        <Group align="end">
          <Select
            label={t('segments.type')}
            w={160}
            data={(['dynamic', 'static'] as const).map((v) => ({
              value: v,
              label: t(`segments.types.${v}`),
            }))}
            value={type}
            disabled={initial !== null}
            onChange={(v) => v && setType(v as 'dynamic' | 'static')}
            allowDeselect={false}
            data-testid="segment-type"
          />
          {dynamic && (
            <>
              <Select
                label={t('segments.schedule')}
                w={200}
                data={(['minutes', 'cron', 'manual'] as const).map((m) => ({
                  value: m,
                  label: t(`segments.scheduleModes.${m}`),
                }))}
                value={mode}
                onChange={(v) => v && setMode(v as ScheduleMode)}
                allowDeselect={false}
                data-testid="segment-schedule"
              />
              {mode === 'minutes' && (
                <NumberInput
                  label={t('segments.everyMinutes')}
                  w={140}
                  min={1}
                  max={10080}
                  value={minutes}
                  onChange={(v) => setMinutes(Number(v) || 1)}
                />
              )}
              {mode === 'cron' && (
                <TextInput
                  label={t('segments.cron')}
                  w={180}
                  value={cron}
                  onChange={(e) => setCron(e.currentTarget.value)}
                  placeholder="*/30 * * * *"
                />
              )}
            </>
          )}
        </Group>
        {dynamic && (
          <Paper withBorder p="sm">
            <Stack gap="xs">
              <Group justify="space-between">
                <SizePreview preview={preview} />
              </Group>
              <RuleBuilder initial={rule} onChange={setRule} errors={details} selfId={initial?.id} />
            </Stack>
          </Paper>
        )}
        {error ? <ErrorAlert error={error} /> : null}
        <Group>
          <Button type="submit" loading={saving} disabled={!name.trim()} data-testid="segment-save">
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
