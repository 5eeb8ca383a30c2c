/** Live size of a rule: POST /segments/preview, debounced while the rule is edited. */
import { Group, Loader, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { segmentsApi } from '../../api/segments.ts';
import { useFormat } from '../format.ts';
import { countConditions, ruleToTree } from './rule-tree.ts';
import type { Json } from './vocabulary.ts';

export const PREVIEW_DEBOUNCE_MS = 400;

/** The preview of `rule` once it has rested for 400 ms; nothing while it holds no condition. */
export function useRulePreview(rule: Json | null) {
  const [settled] = useDebouncedValue(rule, PREVIEW_DEBOUNCE_MS);
  const key = JSON.stringify(settled);
  const enabled = settled !== null && countConditions(ruleToTree(settled)) > 0;
  const query = useQuery({
    queryKey: ['segments', 'preview', key],
    queryFn: () => segmentsApi.preview(settled),
    enabled,
    retry: false,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
  return { query, enabled, pending: key !== JSON.stringify(rule) || query.isFetching };
}

export function SizePreview({ preview }: { preview: ReturnType<typeof useRulePreview> }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { query, enabled, pending } = preview;
  if (!enabled)
    return (
      <Text size="sm" c="dimmed" data-testid="preview-empty">
        {t('ruleBuilder.previewEmpty')}
      </Text>
    );
  const error = query.error;
  return (
    <Group gap="xs" data-testid="preview">
      {pending && <Loader size="xs" />}
      {error ? (
        <Text size="sm" c="red" data-testid="preview-error">
          {error instanceof ApiError && error.details.length > 0
            ? t('ruleBuilder.previewInvalid', { count: error.details.length })
            : error.message}
        </Text>
      ) : query.data ? (
        <Text
          size="sm"
          data-testid="preview-size"
          data-size={query.data.size}
          c={pending ? 'dimmed' : undefined}
        >
          {t('ruleBuilder.previewSize', { count: query.data.size, size: f.number(query.data.size) })}
        </Text>
      ) : null}
    </Group>
  );
}
