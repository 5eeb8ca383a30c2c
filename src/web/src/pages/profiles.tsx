import {
  Anchor,
  Button,
  Center,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../api/client.ts';
import { IDENTIFIER_KINDS, type Page, type Profile } from '../api/types.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { useFormat } from '../components/format.ts';
import { profileLabel } from './profile-label.ts';

function Lookup() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [kind, setKind] = useState<string>('email');
  const [value, setValue] = useState('');
  const lookup = useMutation({
    mutationFn: (identifier: string) => api<Page<Profile>>('/profiles', { query: { identifier } }),
    onSuccess: (page) => {
      if (page.data[0]) navigate(`/profiles/${page.data[0].id}`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (value.trim()) lookup.mutate(`${kind}:${value.trim()}`);
  };
  return (
    <Paper withBorder p="sm">
      <form onSubmit={submit}>
        <Stack gap="xs">
          <Text fw={600} size="sm">
            {t('profiles.lookupTitle')}
          </Text>
          <Group align="end">
            <Select
              label={t('profiles.identifierKind')}
              data={IDENTIFIER_KINDS.map((k) => ({ value: k, label: t(`identifiers.${k}`) }))}
              value={kind}
              onChange={(v) => setKind(v ?? 'email')}
              allowDeselect={false}
              w={200}
              data-testid="lookup-kind"
            />
            <TextInput
              label={t('profiles.identifierValue')}
              placeholder={t('profiles.identifierPlaceholder')}
              value={value}
              onChange={(e) => setValue(e.currentTarget.value)}
              style={{ flex: 1 }}
              data-testid="lookup-value"
            />
            <Button type="submit" loading={lookup.isPending} data-testid="lookup-submit">
              {t('profiles.lookup')}
            </Button>
          </Group>
          {lookup.isError && <ErrorAlert error={lookup.error} title={t('profiles.lookupFailed')} />}
        </Stack>
      </form>
    </Paper>
  );
}

const first = (p: Profile, type: string) => p.identities.find((i) => i.type === type)?.value ?? '—';

function Results({ q }: { q: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const query = useInfiniteQuery({
    queryKey: ['profiles', 'search', q],
    queryFn: ({ pageParam }) =>
      api<Page<Profile>>('/profiles', { query: { q, limit: 50, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  if (query.isPending)
    return (
      <Center p="lg">
        <Loader size="sm" />
      </Center>
    );
  if (query.isError) return <ErrorAlert error={query.error} />;
  const data = query.data.pages.flatMap((page) => page.data);
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed" data-testid="search-count">
        {query.hasNextPage
          ? t('profiles.shownMore', { count: data.length })
          : t('profiles.found', { count: data.length })}
      </Text>
      {data.length > 0 && (
        <Table.ScrollContainer minWidth={720}>
          <Table highlightOnHover data-testid="profile-results">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('profiles.name')}</Table.Th>
                <Table.Th>{t('identifiers.email')}</Table.Th>
                <Table.Th>{t('identifiers.phone')}</Table.Th>
                <Table.Th>{t('identifiers.user_id')}</Table.Th>
                <Table.Th>{t('profiles.lastSeen')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/profiles/${p.id}`} data-testid="profile-link">
                      {profileLabel(p)}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {p.id}
                    </Text>
                  </Table.Td>
                  <Table.Td>{first(p, 'email')}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{first(p, 'phone')}</Table.Td>
                  <Table.Td>{first(p, 'user_id')}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{f.dateTime(p.lastSeen)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {query.hasNextPage && (
        <Button variant="default" onClick={() => query.fetchNextPage()} loading={query.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}
    </Stack>
  );
}

/** Search by name, email or phone prefix, and lookup by any identifier. */
export function ProfilesPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setParams(text.trim() ? { q: text.trim() } : {});
  };
  return (
    <Stack>
      <Title order={2}>{t('profiles.title')}</Title>
      <form onSubmit={submit}>
        <Group align="end">
          <TextInput
            label={t('profiles.search')}
            placeholder={t('profiles.searchPlaceholder')}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            style={{ flex: 1 }}
            data-testid="profile-search"
          />
          <Button type="submit" data-testid="profile-search-submit">
            {t('profiles.searchButton')}
          </Button>
        </Group>
      </form>
      {q ? (
        <Results q={q} />
      ) : (
        <Text c="dimmed" size="sm">
          {t('profiles.searchHint')}
        </Text>
      )}
      <Lookup />
    </Stack>
  );
}
