/** One segment: freshness, recompute, export; tabs for its definition, members and history. */
import { Alert, Anchor, Badge, Group, Paper, SimpleGrid, Stack, Tabs, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { type Segment, segmentsApi } from '../../api/segments.ts';
import { useFormat } from '../../components/format.ts';
import { QueryView } from '../../components/query-view.tsx';
import { ExportPanel, RecomputePanel, UploadPanel } from './actions.tsx';
import { FreshnessBadge } from './freshness.tsx';
import { HistoryChart } from './history-chart.tsx';
import { MembersTable } from './members.tsx';
import { SegmentForm } from './segment-form.tsx';

function Fact({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={500} data-testid={testId}>
        {value}
      </Text>
    </Stack>
  );
}

function Header({ s }: { s: Segment }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <Stack gap="sm">
      <Group justify="space-between" align="start">
        <Stack gap={4}>
          <Group gap="xs">
            <Title order={2} data-testid="segment-title">
              {s.name}
            </Title>
            <FreshnessBadge segment={s} />
            <Badge variant="outline" size="sm">
              {t(`segments.types.${s.type}`)}
            </Badge>
            {s.realtime && (
              <Badge variant="light" color="grape" size="sm">
                {t('segments.realtime')}
              </Badge>
            )}
          </Group>
          {s.description && (
            <Text size="sm" c="dimmed">
              {s.description}
            </Text>
          )}
        </Stack>
        <Group align="start" gap="sm">
          {s.type === 'dynamic' && <RecomputePanel segment={s} />}
          <ExportPanel segment={s} />
        </Group>
      </Group>
      {s.lastError && (
        <Alert
          color="red"
          variant="light"
          title={t('segments.lastRunFailed')}
          data-testid="segment-last-error"
        >
          {s.lastError}
        </Alert>
      )}
      {s.staleReason === 'schedule_missed' && (
        <Alert color="yellow" variant="light" data-testid="segment-stale">
          {t('segments.scheduleMissed')}
        </Alert>
      )}
      <Paper withBorder p="sm">
        <SimpleGrid cols={{ base: 2, md: 5 }}>
          <Fact
            label={t('segments.size')}
            value={s.lastSize === null ? '—' : f.number(s.lastSize)}
            testId="segment-size"
          />
          <Fact label={t('segments.lastComputed')} value={f.dateTime(s.lastComputedAt)} />
          <Fact
            label={t('segments.duration')}
            value={s.lastDurationMs === null ? '—' : t('segments.ms', { ms: f.number(s.lastDurationMs) })}
          />
          <Fact label={t('segments.nextRun')} value={f.dateTime(s.nextRunAt)} />
          <Fact label={t('segments.updated')} value={f.dateTime(s.updatedAt)} />
        </SimpleGrid>
      </Paper>
    </Stack>
  );
}

function Definition({ s }: { s: Segment }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => segmentsApi.update(s.id, body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['segments'] }),
  });
  return (
    <Stack>
      <SegmentForm
        key={s.id}
        initial={s}
        onSave={(body) => save.mutate(body)}
        saving={save.isPending}
        error={save.error}
        submitLabel={t('segments.save')}
      />
      {save.isSuccess && (
        <Text size="sm" c="green" data-testid="segment-saved">
          {t('segments.saved')}
        </Text>
      )}
      {s.type === 'static' && <UploadPanel segment={s} />}
    </Stack>
  );
}

export function SegmentPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const query = useQuery({
    queryKey: ['segments', id],
    queryFn: () => segmentsApi.get(id),
    // Freshness moves on its own (schedule, real-time entry); a new segment is computed shortly.
    refetchInterval: (q) =>
      q.state.data?.type === 'dynamic' && !q.state.data.lastComputedAt ? 1_000 : 15_000,
  });
  return (
    <Stack>
      <Anchor component={Link} to="/segments" size="sm">
        ← {t('segments.back')}
      </Anchor>
      <QueryView query={query}>
        {(s) => (
          <Stack>
            <Header s={s} />
            <Tabs defaultValue="definition" keepMounted={false}>
              <Tabs.List>
                <Tabs.Tab value="definition" data-testid="tab-definition">
                  {t('segments.definition')}
                </Tabs.Tab>
                <Tabs.Tab value="members" data-testid="tab-members">
                  {t('segments.members')}
                </Tabs.Tab>
                <Tabs.Tab value="history" data-testid="tab-history">
                  {t('segments.history')}
                </Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="definition" pt="sm">
                <Definition s={s} />
              </Tabs.Panel>
              <Tabs.Panel value="members" pt="sm">
                <MembersTable id={s.id} />
              </Tabs.Panel>
              <Tabs.Panel value="history" pt="sm">
                <HistoryChart id={s.id} />
              </Tabs.Panel>
            </Tabs>
          </Stack>
        )}
      </QueryView>
    </Stack>
  );
}
