import {
  Alert,
  Button,
  Center,
  Code,
  Divider,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { ApiError, api } from '../api/client.ts';
import type { Page, Source } from '../api/types.ts';
import { login } from '../api/users.ts';
import { useAuth } from '../auth.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { LanguageSwitch } from '../components/language-switch.tsx';

interface SignInState {
  from?: string;
  /** Set by the accept-invitation page. */
  email?: string;
  accepted?: boolean;
}

/** A failed password sign-in: wrong credentials and lockout in words, anything else as an error. */
function PasswordError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (error instanceof ApiError && error.status === 401)
    return (
      <Alert color="red" variant="light" data-testid="password-error">
        {t('users.signIn.wrong')}
      </Alert>
    );
  if (error instanceof ApiError && error.code === 'locked')
    return (
      <Alert color="orange" variant="light" data-testid="password-error">
        {t('users.signIn.locked')}
      </Alert>
    );
  return <ErrorAlert error={error} title={t('signIn.failed')} />;
}

/**
 * Sign-in: e-mail and password (a session cookie), or an API token (checked by listing sources
 * before it is kept in this tab).
 */
export function SignInPage() {
  const { t } = useTranslation();
  const auth = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const state = (location.state as SignInState | null) ?? {};
  const [email, setEmail] = useState(state.email ?? '');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const done = () => {
    queryClient.clear();
    navigate(state.from && state.from !== '/sign-in' ? state.from : '/', { replace: true });
  };
  const byPassword = useMutation({
    mutationFn: login,
    onSuccess: (session) => {
      auth.setSession(session);
      done();
    },
  });
  const check = useMutation({
    mutationFn: (candidate: string) =>
      api<Page<Source>>('/sources', { query: { limit: 1 }, token: candidate }),
    onSuccess: (_data, candidate) => {
      auth.signIn(candidate);
      done();
    },
  });
  const submitPassword = (e: FormEvent) => {
    e.preventDefault();
    if (email.trim() && password) byPassword.mutate({ email: email.trim(), password });
  };
  const submitToken = (e: FormEvent) => {
    e.preventDefault();
    if (token.trim()) check.mutate(token.trim());
  };
  return (
    <Center mih="100vh" p="md" bg="var(--mantine-color-gray-0)">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={460}>
        <Stack>
          <Stack gap={2}>
            <Title order={2}>{t('app.name')}</Title>
            <Text c="dimmed" size="sm">
              {t('users.signIn.subtitle')}
            </Text>
          </Stack>
          {auth.expired && (
            <Alert color="yellow" variant="light" data-testid="session-expired">
              {t('users.signIn.expired')}
            </Alert>
          )}
          {state.accepted && (
            <Alert color="green" variant="light" data-testid="invitation-accepted">
              {t('users.signIn.accepted')}
            </Alert>
          )}
          <form onSubmit={submitPassword}>
            <Stack>
              <TextInput
                label={t('users.signIn.email')}
                type="email"
                autoComplete="username"
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
                autoFocus
                data-testid="email-input"
              />
              <PasswordInput
                label={t('users.signIn.password')}
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
                data-testid="password-input"
              />
              {byPassword.isError && <PasswordError error={byPassword.error} />}
              <Button
                type="submit"
                loading={byPassword.isPending}
                disabled={!email.trim() || !password}
                data-testid="password-sign-in"
              >
                {t('signIn.submit')}
              </Button>
              <Text size="xs" c="dimmed">
                <Trans i18nKey="users.signIn.firstUser" components={{ code: <Code /> }} />
              </Text>
            </Stack>
          </form>
          <Divider label={t('users.signIn.orToken')} labelPosition="center" />
          <form onSubmit={submitToken}>
            <Stack>
              <PasswordInput
                label={t('signIn.tokenLabel')}
                placeholder={t('signIn.tokenPlaceholder')}
                value={token}
                onChange={(e) => setToken(e.currentTarget.value)}
                data-testid="token-input"
              />
              {check.isError && <ErrorAlert error={check.error} title={t('signIn.failed')} />}
              <Button
                type="submit"
                variant="default"
                loading={check.isPending}
                disabled={!token.trim()}
                data-testid="sign-in"
              >
                {t('users.signIn.withToken')}
              </Button>
              <Alert variant="light" color="blue" title={t('signIn.hintTitle')}>
                <Text size="sm">
                  <Trans i18nKey="signIn.hint" components={{ code: <Code /> }} />
                </Text>
                <Code block mt="xs">
                  cat data/bootstrap-token
                </Code>
              </Alert>
            </Stack>
          </form>
          <LanguageSwitch />
        </Stack>
      </Paper>
    </Center>
  );
}
