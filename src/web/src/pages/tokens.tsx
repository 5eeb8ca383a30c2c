import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, tokenStore } from '../api/client.ts';
import { type ApiToken, type CreatedToken, type Page, ROLES, type Role } from '../api/types.ts';
import { ConfirmModal } from '../components/confirm-modal.tsx';
import { CopyCode } from '../components/copy-code.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { useFormat } from '../components/format.ts';
import { QueryView } from '../components/query-view.tsx';

function CreateToken({ onCreated }: { onCreated: (t: CreatedToken) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('analyst');
  const create = useMutation({
    mutationFn: (body: { name: string; role: Role }) =>
      api<CreatedToken>('/tokens', { method: 'POST', body }),
    onSuccess: (created) => {
      setName('');
      void queryClient.invalidateQueries({ queryKey: ['tokens'] });
      onCreated(created);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ name: name.trim(), role });
  };
  return (
    <Paper withBorder p="sm">
      <form onSubmit={submit}>
        <Stack gap="xs">
          <Group align="end">
            <TextInput
              label={t('tokens.name')}
              placeholder={t('tokens.namePlaceholder')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              style={{ flex: 1 }}
              data-testid="token-name"
            />
            <Select
              label={t('tokens.role')}
              data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
              value={role}
              onChange={(v) => v && setRole(v as Role)}
              allowDeselect={false}
              w={180}
              data-testid="token-role"
            />
            <Button
              type="submit"
              loading={create.isPending}
              disabled={!name.trim()}
              data-testid="token-create"
            >
              {t('tokens.create')}
            </Button>
          </Group>
          <Text size="xs" c="dimmed">
            {t(`roles.${role}Hint`)}
          </Text>
          {create.isError && <ErrorAlert error={create.error} />}
        </Stack>
      </form>
    </Paper>
  );
}

/** Settings → API tokens: list (no secrets), create with a role (secret shown once), revoke. */
export function TokensPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const query = useQuery({
    queryKey: ['tokens'],
    queryFn: () => api<Page<ApiToken>>('/tokens', { query: { limit: 1000 } }),
  });
  const revoke = useMutation({
    mutationFn: (tok: ApiToken) => api<void>(`/tokens/${encodeURIComponent(tok.id)}`, { method: 'DELETE' }),
    onSuccess: (_r, tok) => {
      setRevoking(null);
      if (created?.id === tok.id) setCreated(null);
      void queryClient.invalidateQueries({ queryKey: ['tokens'] });
    },
  });
  const mine = tokenStore.get() ?? '';
  return (
    <Stack>
      <Title order={2}>{t('tokens.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('tokens.intro')}
      </Text>
      <CreateToken onCreated={setCreated} />
      {created && (
        <Alert
          color="green"
          variant="light"
          title={t('tokens.createdTitle', { name: created.name })}
          withCloseButton
          onClose={() => setCreated(null)}
          data-testid="token-secret"
        >
          <Stack gap="xs">
            <Text size="sm">{t('tokens.showOnce')}</Text>
            <CopyCode value={created.token} testId="token-secret-value" />
          </Stack>
        </Alert>
      )}
      <QueryView query={query}>
        {({ data }) => (
          <Table.ScrollContainer minWidth={640}>
            <Table highlightOnHover data-testid="tokens-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('tokens.name')}</Table.Th>
                  <Table.Th>{t('tokens.role')}</Table.Th>
                  <Table.Th>{t('tokens.prefix')}</Table.Th>
                  <Table.Th>{t('tokens.created')}</Table.Th>
                  <Table.Th>{t('tokens.lastUsed')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.map((tok) => (
                  <Table.Tr key={tok.id}>
                    <Table.Td>
                      {tok.name}{' '}
                      {mine.startsWith(tok.prefix) && (
                        <Badge size="xs" variant="light">
                          {t('tokens.current')}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{t(`roles.${tok.role}`)}</Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {tok.prefix}…
                      </Text>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{f.dateTime(tok.createdAt)}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {tok.lastUsedAt ? f.dateTime(tok.lastUsedAt) : t('tokens.never')}
                    </Table.Td>
                    <Table.Td>
                      <Button size="xs" variant="subtle" color="red" onClick={() => setRevoking(tok)}>
                        {t('tokens.revoke')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryView>
      <ConfirmModal
        opened={revoking !== null}
        onClose={() => setRevoking(null)}
        title={t('tokens.revokeTitle')}
        message={t('tokens.revokeConfirm', { name: revoking?.name ?? '' })}
        confirmLabel={t('tokens.revoke')}
        onConfirm={() => revoking && revoke.mutate(revoking)}
        pending={revoke.isPending}
        error={revoke.error}
        testId="confirm-revoke"
      >
        {revoking && mine.startsWith(revoking.prefix) && (
          <Alert color="orange" variant="light">
            {t('tokens.revokeSelf')}
          </Alert>
        )}
      </ConfirmModal>
    </Stack>
  );
}
