import { AppShell, Burger, Button, Group, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, NavLink as RouterLink, Routes, useLocation } from 'react-router-dom';
import { useAuth } from './auth.tsx';
import { LanguageSwitch } from './components/language-switch.tsx';
import { LiveEventsPage } from './pages/live-events.tsx';
import { NotFoundPage } from './pages/not-found.tsx';
import { OverviewPage } from './pages/overview.tsx';
import { ProfilePage } from './pages/profile.tsx';
import { ProfilesPage } from './pages/profiles.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { SourcesPage } from './pages/sources.tsx';
import { TokensPage } from './pages/tokens.tsx';

const NAV = [
  { to: '/', key: 'nav.overview', end: true },
  { to: '/events', key: 'nav.events', end: false },
  { to: '/profiles', key: 'nav.profiles', end: false },
  { to: '/sources', key: 'nav.sources', end: false },
  { to: '/settings/tokens', key: 'nav.tokens', end: false },
] as const;

function Shell() {
  const { t } = useTranslation();
  const auth = useAuth();
  const queryClient = useQueryClient();
  const [opened, { toggle, close }] = useDisclosure();
  const signOut = () => {
    queryClient.clear();
    auth.signOut();
  };
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.menu')} />
            <Title order={4}>{t('app.name')}</Title>
            <Text size="sm" c="dimmed" visibleFrom="md">
              {t('app.tagline')}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <LanguageSwitch />
            <Button variant="default" size="xs" onClick={signOut} data-testid="sign-out">
              {t('nav.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        {NAV.map((item) => (
          <NavLink
            key={item.to}
            component={RouterLink}
            to={item.to}
            end={item.end}
            label={t(item.key)}
            onClick={close}
            data-testid={`nav-${item.to.split('/').pop() || 'overview'}`}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Routes>
          <Route path="/" element={<OverviewPage />} />
          <Route path="/events" element={<LiveEventsPage />} />
          <Route path="/profiles" element={<ProfilesPage />} />
          <Route path="/profiles/:id" element={<ProfilePage />} />
          <Route path="/sources" element={<SourcesPage />} />
          <Route path="/settings/tokens" element={<TokensPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </AppShell.Main>
    </AppShell>
  );
}

export function App() {
  const { token } = useAuth();
  const location = useLocation();
  if (location.pathname === '/sign-in') return token ? <Navigate to="/" replace /> : <SignInPage />;
  if (!token) return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  return <Shell />;
}
