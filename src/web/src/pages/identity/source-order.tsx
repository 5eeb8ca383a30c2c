import { ActionIcon, Button, Group, Select, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { sourcesQuery } from '../../api/sources.ts';
import type { FieldProps } from './rules-fields.tsx';
import { move } from './settings-form.ts';

// The priority lists' ↑/↓ buttons and the trait conflict rule's ordered list of sources.

/** ↑ / ↓ buttons that move an item of a priority list. */
export function MoveButtons({
  index,
  length,
  onMove,
  disabled,
  testId,
}: {
  index: number;
  length: number;
  onMove: (to: number) => void;
  disabled: boolean;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Group gap={2} wrap="nowrap">
      <ActionIcon
        variant="subtle"
        size="sm"
        aria-label={t('identityRules.moveUp')}
        disabled={disabled || index === 0}
        onClick={() => onMove(index - 1)}
        data-testid={`${testId}-up`}
      >
        ↑
      </ActionIcon>
      <ActionIcon
        variant="subtle"
        size="sm"
        aria-label={t('identityRules.moveDown')}
        disabled={disabled || index === length - 1}
        onClick={() => onMove(index + 1)}
        data-testid={`${testId}-down`}
      >
        ↓
      </ActionIcon>
    </Group>
  );
}

/** The ordered list of sources for the source-priority trait rule. */
export function SourceOrder({ form, onChange, errors, readOnly }: FieldProps) {
  const { t } = useTranslation();
  const sources = useQuery(sourcesQuery);
  const names = new Map((sources.data?.data ?? []).map((s) => [s.id, s.name]));
  const available = (sources.data?.data ?? []).filter((s) => !form.sourceOrder.includes(s.id));
  const set = (sourceOrder: string[]) => onChange({ ...form, sourceOrder });
  return (
    <Stack gap={4} data-testid="source-order">
      {form.sourceOrder.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('identityRules.noSources')}
        </Text>
      )}
      {form.sourceOrder.map((id, i) => (
        <Group key={id} gap="xs" wrap="nowrap" data-testid="source-order-item">
          <Text size="sm" w={18}>
            {i + 1}
          </Text>
          <MoveButtons
            index={i}
            length={form.sourceOrder.length}
            disabled={readOnly}
            onMove={(to) => set(move(form.sourceOrder, i, to))}
            testId={`source-${i}`}
          />
          <Text size="sm">{names.get(id) ?? id}</Text>
          {!readOnly && (
            <Button
              variant="subtle"
              color="red"
              size="compact-xs"
              onClick={() => set(form.sourceOrder.filter((s) => s !== id))}
            >
              {t('identityRules.remove')}
            </Button>
          )}
        </Group>
      ))}
      {errors['/traitConflict/sourceOrder'] && (
        <Text size="sm" c="red" data-testid="source-order-error">
          {errors['/traitConflict/sourceOrder']}
        </Text>
      )}
      {!readOnly && (
        <Select
          size="xs"
          w={260}
          placeholder={t('identityRules.addSource')}
          data={available.map((s) => ({ value: s.id, label: s.name }))}
          value={null}
          onChange={(v) => v && set([...form.sourceOrder, v])}
          nothingFoundMessage={t('identityRules.noMoreSources')}
          data-testid="source-add"
        />
      )}
    </Stack>
  );
}
