import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  Title,
} from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api } from '../api/client.ts';
import type { Merge, Page, Profile, StoredEvent } from '../api/types.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { EventTable } from '../components/event-table.tsx';
import { useFormat } from '../components/format.ts';
import { QueryView } from '../components/query-view.tsx';
import { UndoMerge } from './identity/undo-merge.tsx';
import { profileLabel } from './profile-label.ts';
import { Devices, Identities, Section, Traits } from './profile-sections.tsx';
import { ProfileSegments } from './segments/profile-segments.tsx';

function linked(m: Merge): string {
  return Array.isArray(m.linkedBy)
    ? m.linkedBy.map((l: { kind?: string; value?: string }) => `${l.kind}:${l.value}`).join(', ')
    : '—';
}

function Merges({ id }: { id: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const query = useQuery({
    queryKey: ['profiles', id, 'merges'],
    queryFn: () => api<Page<Merge>>(`/profiles/${encodeURIComponent(id)}/merges`),
  });
  return (
    <QueryView query={query}>
      {({ data }) =>
        data.length === 0 ? (
          <Text c="dimmed" size="sm" data-testid="no-merges">
            {t('profile.noMerges')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={600}>
            <Table data-testid="merges">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('profile.mergedAt')}</Table.Th>
                  <Table.Th>{t('profile.mergedProfile')}</Table.Th>
                  <Table.Th>{t('profile.reason')}</Table.Th>
                  <Table.Th>{t('profile.linkedBy')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.map((m) => (
                  <Table.Tr key={m.id}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{f.dateTime(m.at)}</Table.Td>
                    <Table.Td>
                      {m.mergedId}
                      {m.undoneAt && (
                        <Badge size="xs" color="gray" ml={4}>
                          {t('profile.undone')}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {m.reason}
                      </Text>
                    </Table.Td>
                    <Table.Td style={{ wordBreak: 'break-all' }}>{linked(m)}</Table.Td>
                    <Table.Td>
                      <UndoMerge merge={m} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )
      }
    </QueryView>
  );
}

function Timeline({ id }: { id: string }) {
  const { t } = useTranslation();
  const query = useInfiniteQuery({
    queryKey: ['profiles', id, 'events'],
    queryFn: ({ pageParam }) =>
      api<Page<StoredEvent>>(`/profiles/${encodeURIComponent(id)}/events`, {
        query: { limit: 50, cursor: pageParam },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  if (query.isError) return <ErrorAlert error={query.error} />;
  const events = query.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Stack gap="xs" data-testid="timeline">
      <EventTable events={events} showProfile={false} />
      {query.hasNextPage && (
        <Button variant="default" onClick={() => query.fetchNextPage()} loading={query.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}
    </Stack>
  );
}

function Card({ p }: { p: Profile }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <Stack>
      <Group justify="space-between" align="start">
        <Stack gap={2}>
          <Title order={2} data-testid="profile-title">
            {profileLabel(p)}
          </Title>
          <Text size="sm" c="dimmed" ff="monospace">
            {p.id}
          </Text>
        </Stack>
        <Stack gap={2} align="end">
          <Text size="xs" c="dimmed">
            {t('profile.firstSeen')}: {f.dateTime(p.firstSeen)}
          </Text>
          <Text size="xs" c="dimmed">
            {t('profile.lastSeen')}: {f.dateTime(p.lastSeen)}
          </Text>
        </Stack>
      </Group>
      {p.redirectedFrom && (
        <Alert variant="light" color="blue" data-testid="redirected">
          {t('profile.redirected', { id: p.redirectedFrom })}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Section title={t('profile.traits')}>
          <Traits p={p} />
        </Section>
        <Section title={t('profile.identities', { count: p.identities.length })}>
          <Identities p={p} />
        </Section>
        <Section title={t('profile.devices')}>
          <Devices p={p} />
        </Section>
        <Section title={t('profile.segmentsAndMerges')}>
          <Stack gap="xs">
            <Group gap={4}>
              <ProfileSegments ids={p.segments} />
            </Group>
            <Text size="sm">
              {t('profile.mergedFrom', { count: p.mergedFrom.length })}{' '}
              {p.mergedFrom.map((id) => (
                <Anchor key={id} component={Link} to={`/profiles/${id}`} size="sm" mr={4}>
                  {id}
                </Anchor>
              ))}
            </Text>
          </Stack>
        </Section>
      </SimpleGrid>
      <Tabs defaultValue="timeline" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="timeline" data-testid="tab-timeline">
            {t('profile.timeline')}
          </Tabs.Tab>
          <Tabs.Tab value="merges" data-testid="tab-merges">
            {t('profile.mergeHistory')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="timeline" pt="sm">
          <Timeline id={p.id} />
        </Tabs.Panel>
        <Tabs.Panel value="merges" pt="sm">
          <Merges id={p.id} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

/** One profile: traits with their sources, identities, devices, push tokens, merges, timeline. */
export function ProfilePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const query = useQuery({
    queryKey: ['profiles', id],
    queryFn: () => api<Profile>(`/profiles/${encodeURIComponent(id)}`),
  });
  return (
    <Stack>
      <Anchor component={Link} to="/profiles" size="sm">
        ← {t('profile.back')}
      </Anchor>
      <QueryView query={query}>{(p) => <Card p={p} />}</QueryView>
    </Stack>
  );
}
