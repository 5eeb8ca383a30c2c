import { Alert, Badge, Button, Group, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { changePassword, logoutEverywhere } from '../../api/users.ts';
import { useAuth } from '../../auth.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';

function ChangePassword() {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const change = useMutation({
    mutationFn: changePassword,
    onSuccess: () => {
      setCurrent('');
      setNext('');
      setConfirm('');
    },
  });
  const mismatch = confirm !== '' && confirm !== next;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!mismatch) change.mutate({ currentPassword: current, newPassword: next });
  };
  return (
    <Paper withBorder p="md">
      <form onSubmit={submit}>
        <Stack gap="sm" maw={420}>
          <Title order={4}>{t('users.account.passwordTitle')}</Title>
          <PasswordInput
            label={t('users.account.current')}
            value={current}
            onChange={(e) => setCurrent(e.currentTarget.value)}
            autoComplete="current-password"
            data-testid="account-current"
          />
          <PasswordInput
            label={t('users.account.new')}
            description={t('users.policy')}
            value={next}
            onChange={(e) => setNext(e.currentTarget.value)}
            autoComplete="new-password"
            data-testid="account-new"
          />
          <PasswordInput
            label={t('users.account.confirm')}
            value={confirm}
            onChange={(e) => setConfirm(e.currentTarget.value)}
            error={mismatch ? t('users.mismatch') : undefined}
            autoComplete="new-password"
            data-testid="account-confirm"
          />
          {change.isError && <ErrorAlert error={change.error} />}
          {change.isSuccess && (
            <Alert color="green" variant="light" data-testid="account-changed">
              {t('users.account.changed')}
            </Alert>
          )}
          <Group>
            <Button
              type="submit"
              loading={change.isPending}
              disabled={!current || !next || mismatch}
              data-testid="account-change"
            >
              {t('users.account.change')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** The signed-in user: who and where, change password, sign out everywhere. */
export function AccountPage() {
  const { t } = useTranslation();
  const auth = useAuth();
  const queryClient = useQueryClient();
  const everywhere = useMutation({
    mutationFn: logoutEverywhere,
    onSuccess: () => {
      queryClient.clear();
      auth.signOut();
    },
  });
  const s = auth.session;
  if (!s)
    return (
      <Stack>
        <Title order={2}>{t('users.account.title')}</Title>
        <Alert variant="light" color="blue" data-testid="account-token">
          {t('users.account.tokenMode')}
        </Alert>
      </Stack>
    );
  return (
    <Stack>
      <Title order={2}>{t('users.account.title')}</Title>
      <Paper withBorder p="md">
        <Stack gap={4}>
          <Text fw={600}>{s.user.name || s.user.email}</Text>
          <Text size="sm" c="dimmed" data-testid="account-email">
            {s.user.email}
          </Text>
          <Group gap="xs">
            <Text size="sm">{t('users.account.roleIn', { workspace: s.workspace.name })}</Text>
            <Badge variant="light" data-testid="account-role">
              {t(`roles.${s.role}`)}
            </Badge>
          </Group>
        </Stack>
      </Paper>
      <ChangePassword />
      <Paper withBorder p="md">
        <Stack gap="sm" align="start">
          <Title order={4}>{t('users.account.everywhereTitle')}</Title>
          <Text size="sm" c="dimmed">
            {t('users.account.everywhereHint')}
          </Text>
          {everywhere.isError && <ErrorAlert error={everywhere.error} />}
          <Button
            color="red"
            variant="light"
            loading={everywhere.isPending}
            onClick={() => everywhere.mutate()}
            data-testid="sign-out-everywhere"
          >
            {t('users.account.everywhere')}
          </Button>
        </Stack>
      </Paper>
    </Stack>
  );
}
