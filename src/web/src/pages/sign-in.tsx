import { Alert, Button, Center, Code, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { api } from '../api/client.ts';
import type { Page, Source } from '../api/types.ts';
import { useAuth } from '../auth.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { LanguageSwitch } from '../components/language-switch.tsx';

/** Sign-in with an API token, checked by listing sources before it is kept. */
export function SignInPage() {
  const { t } = useTranslation();
  const auth = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [token, setToken] = useState('');
  const check = useMutation({
    mutationFn: (candidate: string) =>
      api<Page<Source>>('/sources', { query: { limit: 1 }, token: candidate }),
    onSuccess: (_data, candidate) => {
      auth.signIn(candidate);
      const from = (location.state as { from?: string } | null)?.from;
      navigate(from && from !== '/sign-in' ? from : '/', { replace: true });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (token.trim()) check.mutate(token.trim());
  };
  return (
    <Center mih="100vh" p="md" bg="var(--mantine-color-gray-0)">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={460}>
        <form onSubmit={submit}>
          <Stack>
            <Stack gap={2}>
              <Title order={2}>{t('app.name')}</Title>
              <Text c="dimmed" size="sm">
                {t('signIn.subtitle')}
              </Text>
            </Stack>
            {auth.expired && (
              <Alert color="yellow" variant="light" data-testid="session-expired">
                {t('signIn.expired')}
              </Alert>
            )}
            <PasswordInput
              label={t('signIn.tokenLabel')}
              placeholder={t('signIn.tokenPlaceholder')}
              value={token}
              onChange={(e) => setToken(e.currentTarget.value)}
              autoFocus
              data-testid="token-input"
            />
            {check.isError && <ErrorAlert error={check.error} title={t('signIn.failed')} />}
            <Button type="submit" loading={check.isPending} disabled={!token.trim()} data-testid="sign-in">
              {t('signIn.submit')}
            </Button>
            <Alert variant="light" color="blue" title={t('signIn.hintTitle')}>
              <Text size="sm">
                <Trans i18nKey="signIn.hint" components={{ code: <Code /> }} />
              </Text>
              <Code block mt="xs">
                cat data/bootstrap-token
              </Code>
            </Alert>
            <LanguageSwitch />
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
