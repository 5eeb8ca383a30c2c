/** Dashboards: the workspace's list (`GET /dashboards`), a new one by name, delete. */
import { Anchor, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { dashboards } from '../../api/reports.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFormat } from '../../components/format.ts';
import { QueryView } from '../../components/query-view.tsx';

export function DashboardsPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [name, setName] = useState('');
  const list = useQuery({ queryKey: ['dashboards', 'list'], queryFn: dashboards.list });
  const create = useMutation({
    mutationFn: () => dashboards.create(name.trim()),
    onSuccess: (d) => {
      void client.invalidateQueries({ queryKey: ['dashboards', 'list'] });
      navigate(`/dashboards/${d.id}`);
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => dashboards.remove(id),
    onSuccess: () => client.invalidateQueries({ queryKey: ['dashboards', 'list'] }),
  });
  return (
    <Stack gap="md">
      <Title order={2}>{t('dashboards.title')}</Title>
      <Paper withBorder p="md">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (name.trim()) create.mutate();
          }}
        >
          <Group align="flex-end" gap="xs">
            <TextInput
              label={t('dashboards.newName')}
              placeholder={t('dashboards.namePlaceholder')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              data-testid="dashboard-name-input"
            />
            <Button
              type="submit"
              disabled={!name.trim()}
              loading={create.isPending}
              data-testid="dashboard-create"
            >
              {t('dashboards.create')}
            </Button>
          </Group>
        </form>
        {create.isError && <ErrorAlert error={create.error} />}
      </Paper>
      {remove.isError && <ErrorAlert error={remove.error} />}
      <QueryView query={list}>
        {({ data }) =>
          data.length === 0 ? (
            <Text c="dimmed">{t('dashboards.none')}</Text>
          ) : (
            <Table data-testid="dashboards-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('dashboards.name')}</Table.Th>
                  <Table.Th>{t('dashboards.tiles')}</Table.Th>
                  <Table.Th>{t('dashboards.updated')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.map((d) => (
                  <Table.Tr key={d.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/dashboards/${d.id}`}>
                        {d.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{t('dashboards.tileCount', { count: d.tiles.length })}</Table.Td>
                    <Table.Td>{f.dateTime(d.updatedAt)}</Table.Td>
                    <Table.Td ta="right">
                      <Button
                        size="xs"
                        color="red"
                        variant="subtle"
                        onClick={() =>
                          window.confirm(t('dashboards.confirmDelete', { name: d.name })) &&
                          remove.mutate(d.id)
                        }
                      >
                        {t('common.delete')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )
        }
      </QueryView>
    </Stack>
  );
}
