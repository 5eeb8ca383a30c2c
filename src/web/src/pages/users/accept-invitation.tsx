import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { acceptInvitation } from '../../api/users.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { LanguageSwitch } from '../../components/language-switch.tsx';

/** `/accept-invitation?token=…`: the invitee picks a name and a password, then signs in. */
export function AcceptInvitationPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const accept = useMutation({
    mutationFn: acceptInvitation,
    onSuccess: (r) => navigate('/sign-in', { replace: true, state: { email: r.email, accepted: true } }),
  });
  const mismatch = confirm !== '' && confirm !== password;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!mismatch && password) accept.mutate({ token, name: name.trim(), password });
  };
  return (
    <Center mih="100vh" p="md" bg="var(--mantine-color-gray-0)">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={460}>
        <form onSubmit={submit}>
          <Stack>
            <Stack gap={2}>
              <Title order={2}>{t('users.accept.title')}</Title>
              <Text c="dimmed" size="sm">
                {t('users.accept.intro')}
              </Text>
            </Stack>
            {!token && (
              <Alert color="red" variant="light">
                {t('users.accept.noToken')}
              </Alert>
            )}
            <TextInput
              label={t('users.accept.name')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              autoComplete="name"
              data-testid="invite-name"
            />
            <PasswordInput
              label={t('users.accept.password')}
              description={t('users.policy')}
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              autoComplete="new-password"
              data-testid="invite-password"
            />
            <PasswordInput
              label={t('users.accept.confirm')}
              value={confirm}
              onChange={(e) => setConfirm(e.currentTarget.value)}
              error={mismatch ? t('users.mismatch') : undefined}
              autoComplete="new-password"
              data-testid="invite-confirm"
            />
            <Text size="xs" c="dimmed">
              {t('users.accept.existing')}
            </Text>
            {accept.isError && <ErrorAlert error={accept.error} />}
            <Button
              type="submit"
              loading={accept.isPending}
              disabled={!token || !password || mismatch}
              data-testid="invite-accept"
            >
              {t('users.accept.submit')}
            </Button>
            <LanguageSwitch />
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
