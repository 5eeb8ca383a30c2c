import { ActionIcon, Badge, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchPiiSettings, type PiiSettings, savePiiSettings } from '../../api/audit.ts';
import { useAuth } from '../../auth.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { QueryView } from '../../components/query-view.tsx';

function Editor({ settings }: { settings: PiiSettings }) {
  const { t } = useTranslation();
  const { session } = useAuth();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  // A session knows its role; with an API token the server decides (and says so when it refuses).
  const canEdit = !session || session.role === 'owner' || session.role === 'admin';
  const save = useMutation({
    mutationFn: savePiiSettings,
    onSuccess: (saved) => {
      setName('');
      queryClient.setQueryData(['pii-settings'], saved);
    },
  });
  const add = (e: FormEvent) => {
    e.preventDefault();
    const field = name.trim();
    if (field) save.mutate([...settings.fields, field]);
  };
  const rows = [
    ...settings.defaults.map((f) => ({ field: f, custom: false })),
    ...settings.fields.map((f) => ({ field: f, custom: true })),
  ];
  return (
    <Stack>
      {canEdit && (
        <Paper withBorder p="sm">
          <form onSubmit={add}>
            <Group align="end">
              <TextInput
                label={t('pii.field')}
                placeholder="passport, billing.card"
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
                style={{ flex: 1 }}
                data-testid="pii-field-input"
              />
              <Button
                type="submit"
                loading={save.isPending}
                disabled={!name.trim()}
                data-testid="pii-field-add"
              >
                {t('pii.add')}
              </Button>
            </Group>
          </form>
        </Paper>
      )}
      {save.isError && <ErrorAlert error={save.error} />}
      <Table data-testid="pii-fields">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('pii.field')}</Table.Th>
            <Table.Th>{t('pii.kind')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={`${r.custom}:${r.field}`} data-testid="pii-field-row" data-field={r.field}>
              <Table.Td>{r.field}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={r.custom ? 'blue' : 'gray'}>
                  {t(r.custom ? 'pii.custom' : 'pii.default')}
                </Badge>
              </Table.Td>
              <Table.Td>
                {r.custom && canEdit && (
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={t('pii.remove', { field: r.field })}
                    onClick={() => save.mutate(settings.fields.filter((f) => f !== r.field))}
                    data-testid={`pii-remove-${r.field}`}
                  >
                    ×
                  </ActionIcon>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

/** Settings → PII fields: the traits masked for roles that may not see personal data. */
export function PiiFieldsPage() {
  const { t } = useTranslation();
  const query = useQuery({ queryKey: ['pii-settings'], queryFn: fetchPiiSettings });
  return (
    <Stack>
      <Title order={2}>{t('pii.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('pii.intro')}
      </Text>
      <QueryView query={query}>{(settings) => <Editor settings={settings} />}</QueryView>
    </Stack>
  );
}
