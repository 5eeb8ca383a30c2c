import { Badge, Group, Paper, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { EVENT_TYPES, type Page, type StoredEvent } from '../api/types.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { EventTable } from '../components/event-table.tsx';
import { useFormat } from '../components/format.ts';

export const LIVE_POLL_MS = 2_000;

/** The newest events, polled every 2 s, filtered by type, event name and user id. */
export function LiveEventsPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const [type, setType] = useState<string | null>(null);
  const [event, setEvent] = useState('');
  const [userId, setUserId] = useState('');
  const [live, setLive] = useState(true);
  const [filters] = useDebouncedValue({ type, event: event.trim(), userId: userId.trim() }, 300);
  const query = useQuery({
    queryKey: ['events', 'live', filters],
    queryFn: () => api<Page<StoredEvent>>('/events', { query: { ...filters, limit: 50 } }),
    refetchInterval: live ? LIVE_POLL_MS : false,
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('events.title')}</Title>
        <Group gap="xs">
          {live && (
            <Badge color="green" variant="dot" data-testid="live-badge">
              {t('events.live')}
            </Badge>
          )}
          <Switch
            checked={live}
            onChange={(e) => setLive(e.currentTarget.checked)}
            label={t('events.autoRefresh')}
            data-testid="live-toggle"
          />
        </Group>
      </Group>
      <Paper withBorder p="sm">
        <Group align="end" grow>
          <Select
            label={t('events.type')}
            placeholder={t('events.anyType')}
            data={EVENT_TYPES.map((v) => ({ value: v, label: v }))}
            value={type}
            onChange={setType}
            clearable
            data-testid="filter-type"
          />
          <TextInput
            label={t('events.event')}
            placeholder={t('events.eventPlaceholder')}
            value={event}
            onChange={(e) => setEvent(e.currentTarget.value)}
            data-testid="filter-event"
          />
          <TextInput
            label={t('events.userId')}
            placeholder={t('events.userIdPlaceholder')}
            value={userId}
            onChange={(e) => setUserId(e.currentTarget.value)}
            data-testid="filter-user"
          />
        </Group>
      </Paper>
      {query.isError && <ErrorAlert error={query.error} />}
      {query.data && (
        <>
          <Text size="xs" c="dimmed">
            {t('events.shown', { count: query.data.data.length })}
            {query.dataUpdatedAt > 0 &&
              ` · ${t('events.updatedAt', { time: f.dateTime(new Date(query.dataUpdatedAt).toISOString()) })}`}
          </Text>
          <EventTable events={query.data.data} />
        </>
      )}
    </Stack>
  );
}
