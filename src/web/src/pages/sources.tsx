import { Button, Code, Group, Paper, Stack, Table, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { sourcesQuery } from '../api/sources.ts';
import type { Source } from '../api/types.ts';
import { ConfirmModal } from '../components/confirm-modal.tsx';
import { CopyCode, CopyIconButton } from '../components/copy-code.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { useFormat } from '../components/format.ts';
import { QueryView } from '../components/query-view.tsx';
import { SNIPPET_IDS, snippets } from './snippets.ts';

function SnippetTabs({ source }: { source: Source }) {
  const { t } = useTranslation();
  const list = snippets(window.location.origin, source.writeKey);
  return (
    <Paper withBorder p="sm" data-testid="snippets">
      <Text fw={600} size="sm" mb="xs">
        {t('sources.snippetsFor', { name: source.name })}
      </Text>
      <Tabs defaultValue={SNIPPET_IDS[0]}>
        <Tabs.List>
          {list.map((s) => (
            <Tabs.Tab key={s.id} value={s.id} data-testid={`snippet-tab-${s.id}`}>
              {t(`sources.sdk.${s.id}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {list.map((s) => (
          <Tabs.Panel key={s.id} value={s.id} pt="sm">
            <Stack gap="xs">
              <Group justify="space-between">
                {s.install ? <Code>{s.install}</Code> : <span />}
                <CopyIconButton value={s.code} />
              </Group>
              <Code block data-testid={`snippet-${s.id}`} style={{ fontSize: 12 }}>
                {s.code}
              </Code>
            </Stack>
          </Tabs.Panel>
        ))}
      </Tabs>
      <Text size="xs" c="dimmed" mt="xs">
        {t('sources.docsHint')}
      </Text>
    </Paper>
  );
}

function CreateSource({ onCreated }: { onCreated: (s: Source) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: (n: string) => api<Source>('/sources', { method: 'POST', body: { name: n } }),
    onSuccess: (s) => {
      setName('');
      void queryClient.invalidateQueries({ queryKey: ['sources'] });
      onCreated(s);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(name.trim());
  };
  return (
    <Paper withBorder p="sm">
      <form onSubmit={submit}>
        <Stack gap="xs">
          <Group align="end">
            <TextInput
              label={t('sources.newName')}
              placeholder={t('sources.namePlaceholder')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              style={{ flex: 1 }}
              data-testid="source-name"
            />
            <Button
              type="submit"
              loading={create.isPending}
              disabled={!name.trim()}
              data-testid="source-create"
            >
              {t('sources.create')}
            </Button>
          </Group>
          {create.isError && <ErrorAlert error={create.error} />}
        </Stack>
      </form>
    </Paper>
  );
}

/** Sources (write keys): list, create, delete, and code for every SDK. */
export function SourcesPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<Source | null>(null);
  const [deleting, setDeleting] = useState<Source | null>(null);
  const query = useQuery(sourcesQuery);
  const remove = useMutation({
    mutationFn: (s: Source) => api<void>(`/sources/${encodeURIComponent(s.id)}`, { method: 'DELETE' }),
    onSuccess: (_r, s) => {
      setDeleting(null);
      if (selected?.id === s.id) setSelected(null);
      void queryClient.invalidateQueries({ queryKey: ['sources'] });
    },
  });
  return (
    <Stack>
      <Title order={2}>{t('sources.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('sources.intro')}
      </Text>
      <CreateSource onCreated={setSelected} />
      <QueryView query={query}>
        {({ data }) =>
          data.length === 0 ? (
            <Text c="dimmed" size="sm">
              {t('sources.empty')}
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={640}>
              <Table highlightOnHover data-testid="sources-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('sources.name')}</Table.Th>
                    <Table.Th>{t('sources.writeKey')}</Table.Th>
                    <Table.Th>{t('sources.created')}</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.map((s) => (
                    <Table.Tr
                      key={s.id}
                      bg={selected?.id === s.id ? 'var(--mantine-color-blue-light)' : undefined}
                    >
                      <Table.Td>{s.name}</Table.Td>
                      <Table.Td>
                        <CopyCode value={s.writeKey} />
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{f.dateTime(s.createdAt)}</Table.Td>
                      <Table.Td>
                        <Group gap="xs" justify="end" wrap="nowrap">
                          <Button
                            size="xs"
                            variant="light"
                            onClick={() => setSelected(s)}
                            data-testid="show-snippets"
                          >
                            {t('sources.snippets')}
                          </Button>
                          <Button size="xs" variant="subtle" color="red" onClick={() => setDeleting(s)}>
                            {t('common.delete')}
                          </Button>
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryView>
      {selected && <SnippetTabs source={selected} />}
      <ConfirmModal
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title={t('sources.deleteTitle')}
        message={t('sources.deleteConfirm', { name: deleting?.name ?? '' })}
        confirmLabel={t('common.delete')}
        onConfirm={() => deleting && remove.mutate(deleting)}
        pending={remove.isPending}
        error={remove.error}
        testId="confirm-delete"
      />
    </Stack>
  );
}
