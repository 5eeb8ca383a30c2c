/** Segments: search by name, filter by tag, type, size and last computation; create, copy, delete. */
import {
  Anchor,
  Badge,
  Button,
  Group,
  NumberInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { type Segment, segmentsApi } from '../../api/segments.ts';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFormat } from '../../components/format.ts';
import { FreshnessBadge } from './freshness.tsx';
import { COMPUTED_FILTERS, type ComputedFilter, matchesLocal } from './list-filters.ts';

function DeleteModal({ segment, onClose }: { segment: Segment | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (s: Segment) => segmentsApi.remove(s.id),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['segments'] });
      onClose();
    },
  });
  return (
    <ConfirmModal
      opened={segment !== null}
      onClose={onClose}
      title={t('segments.deleteTitle')}
      message={t('segments.deleteConfirm', { name: segment?.name ?? '' })}
      confirmLabel={t('common.delete')}
      onConfirm={() => segment && remove.mutate(segment)}
      pending={remove.isPending}
      error={remove.error}
      testId="confirm-delete"
    />
  );
}

export function SegmentsListPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [q, setQ] = useState('');
  const [tag, setTag] = useState('');
  const [type, setType] = useState<string | null>(null);
  const [minSize, setMinSize] = useState<number | null>(null);
  const [maxSize, setMaxSize] = useState<number | null>(null);
  const [computed, setComputed] = useState<ComputedFilter>('any');
  const [deleting, setDeleting] = useState<Segment | null>(null);
  const [search] = useDebouncedValue(q.trim(), 300);
  const [tagSearch] = useDebouncedValue(tag.trim(), 300);
  const query = useInfiniteQuery({
    queryKey: ['segments', 'list', search, tagSearch, type],
    queryFn: ({ pageParam }) =>
      segmentsApi.list({ q: search, tag: tagSearch, type: type ?? undefined, limit: 200, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const copy = useMutation({
    mutationFn: (s: Segment) =>
      segmentsApi.copy(s.id, t('segments.copyName', { name: s.name }).slice(0, 200)),
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: ['segments'] });
      navigate(`/segments/${created.id}`);
    },
  });
  const rows = (query.data?.pages.flatMap((p) => p.data) ?? []).filter((s) =>
    matchesLocal(s, { minSize, maxSize, computed }),
  );
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('segments.title')}</Title>
        <Button component={Link} to="/segments/new" data-testid="segment-new">
          {t('segments.create')}
        </Button>
      </Group>
      <Group align="end" gap="sm" wrap="wrap">
        <TextInput
          label={t('segments.search')}
          placeholder={t('segments.searchPlaceholder')}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          data-testid="segments-search"
        />
        <TextInput
          label={t('segments.tag')}
          value={tag}
          onChange={(e) => setTag(e.currentTarget.value)}
          w={140}
        />
        <Select
          label={t('segments.type')}
          w={150}
          clearable
          placeholder={t('segments.anyType')}
          data={(['dynamic', 'static'] as const).map((v) => ({ value: v, label: t(`segments.types.${v}`) }))}
          value={type}
          onChange={setType}
        />
        <NumberInput
          label={t('segments.minSize')}
          w={110}
          min={0}
          value={minSize ?? ''}
          onChange={(v) => setMinSize(v === '' ? null : Number(v))}
        />
        <NumberInput
          label={t('segments.maxSize')}
          w={110}
          min={0}
          value={maxSize ?? ''}
          onChange={(v) => setMaxSize(v === '' ? null : Number(v))}
        />
        <Select
          label={t('segments.lastComputed')}
          w={190}
          data={COMPUTED_FILTERS.map((c) => ({ value: c, label: t(`segments.computed.${c}`) }))}
          value={computed}
          onChange={(v) => v && setComputed(v as ComputedFilter)}
          allowDeselect={false}
        />
      </Group>
      {copy.isError && <ErrorAlert error={copy.error} />}
      {query.isError ? (
        <ErrorAlert error={query.error} />
      ) : (
        <Table.ScrollContainer minWidth={800}>
          <Table data-testid="segments-table" striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('segments.name')}</Table.Th>
                <Table.Th>{t('segments.type')}</Table.Th>
                <Table.Th style={{ textAlign: 'right' }}>{t('segments.size')}</Table.Th>
                <Table.Th>{t('segments.freshnessTitle')}</Table.Th>
                <Table.Th>{t('segments.lastComputed')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((s) => (
                <Table.Tr key={s.id} data-testid="segment-row">
                  <Table.Td>
                    <Anchor component={Link} to={`/segments/${s.id}`} fw={500}>
                      {s.name}
                    </Anchor>
                    <Group gap={4} mt={2}>
                      {s.tags.map((tg) => (
                        <Badge
                          key={tg}
                          size="xs"
                          variant="outline"
                          style={{ cursor: 'pointer' }}
                          onClick={() => setTag(tg)}
                        >
                          {tg}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>{t(`segments.types.${s.type}`)}</Table.Td>
                  <Table.Td style={{ textAlign: 'right' }}>
                    {s.lastSize === null ? '—' : f.number(s.lastSize)}
                  </Table.Td>
                  <Table.Td>
                    <FreshnessBadge segment={s} />
                    {s.lastError && (
                      <Text size="xs" c="red" lineClamp={2} maw={260} data-testid="segment-error">
                        {s.lastError}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{f.dateTime(s.lastComputedAt)}</Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="end" wrap="nowrap">
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        onClick={() => copy.mutate(s)}
                        loading={copy.isPending && copy.variables?.id === s.id}
                        data-testid="segment-copy"
                      >
                        {t('segments.copy')}
                      </Button>
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        color="red"
                        onClick={() => setDeleting(s)}
                        data-testid="segment-delete"
                      >
                        {t('common.delete')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {!query.isPending && rows.length === 0 && (
            <Text c="dimmed" size="sm" p="sm" data-testid="segments-empty">
              {t('segments.empty')}
            </Text>
          )}
        </Table.ScrollContainer>
      )}
      {query.hasNextPage && (
        <Button variant="default" onClick={() => query.fetchNextPage()} loading={query.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}
      <DeleteModal segment={deleting} onClose={() => setDeleting(null)} />
    </Stack>
  );
}
