import { AppShell, Burger, Button, Center, Group, Loader, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, NavLink as RouterLink, Routes, useLocation } from 'react-router-dom';
import { useAuth } from './auth.tsx';
import { LanguageSwitch } from './components/language-switch.tsx';
import { UserMenu } from './components/user-menu.tsx';
import { DashboardPage } from './pages/dashboards/dashboard-page.tsx';
import { DashboardsPage } from './pages/dashboards/dashboards-page.tsx';
import { IdentityReviewPage } from './pages/identity/review.tsx';
import { IdentityRulesPage } from './pages/identity/rules.tsx';
import { LiveEventsPage } from './pages/live-events.tsx';
import { NotFoundPage } from './pages/not-found.tsx';
import { OverviewPage } from './pages/overview.tsx';
import { ProfilePage } from './pages/profile.tsx';
import { ProfilesPage } from './pages/profiles.tsx';
import { ReportsPage } from './pages/reports/reports-page.tsx';
import { SegmentsListPage } from './pages/segments/list.tsx';
import { NewSegmentPage } from './pages/segments/new-segment.tsx';
import { SegmentPage } from './pages/segments/segment-page.tsx';
import { AuditPage } from './pages/settings/audit.tsx';
import { PiiFieldsPage } from './pages/settings/pii-fields.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { SourcesPage } from './pages/sources.tsx';
import { TokensPage } from './pages/tokens.tsx';
import { AcceptInvitationPage } from './pages/users/accept-invitation.tsx';
import { AccountPage } from './pages/users/account.tsx';
import { UsersPage } from './pages/users/users.tsx';

const NAV = [
  { to: '/', key: 'nav.overview', end: true },
  { to: '/events', key: 'nav.events', end: false },
  { to: '/profiles', key: 'nav.profiles', end: false },
  { to: '/segments', key: 'segments.nav', end: false },
  { to: '/reports', key: 'reports.nav', end: false },
  { to: '/dashboards', key: 'dashboards.nav', end: false },
  { to: '/identity/review', key: 'identityReview.nav', end: false },
  { to: '/sources', key: 'nav.sources', end: false },
  { to: '/settings/tokens', key: 'nav.tokens', end: false },
  { to: '/settings/users', key: 'users.nav', end: false },
  { to: '/settings/identity', key: 'identityRules.nav', end: false },
  { to: '/settings/pii', key: 'pii.nav', end: false },
  { to: '/settings/audit', key: 'audit.nav', end: false },
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
            <UserMenu />
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
          <Route path="/segments" element={<SegmentsListPage />} />
          <Route path="/segments/new" element={<NewSegmentPage />} />
          <Route path="/segments/:id" element={<SegmentPage />} />
          <Route path="/reports" element={<Navigate to="/reports/funnel" replace />} />
          <Route path="/reports/:kind" element={<ReportsPage />} />
          <Route path="/dashboards" element={<DashboardsPage />} />
          <Route path="/dashboards/:id" element={<DashboardPage />} />
          <Route path="/sources" element={<SourcesPage />} />
          <Route path="/settings/tokens" element={<TokensPage />} />
          <Route path="/settings/identity" element={<IdentityRulesPage />} />
          <Route path="/identity/review" element={<IdentityReviewPage />} />
          <Route path="/settings/users" element={<UsersPage />} />
          <Route path="/settings/pii" element={<PiiFieldsPage />} />
          <Route path="/settings/audit" element={<AuditPage />} />
          <Route path="/account" element={<AccountPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </AppShell.Main>
    </AppShell>
  );
}

export function App() {
  const { status } = useAuth();
  const location = useLocation();
  if (location.pathname === '/accept-invitation') return <AcceptInvitationPage />;
  if (status === 'loading')
    return (
      <Center mih="100vh">
        <Loader />
      </Center>
    );
  const signedIn = status === 'token' || status === 'session';
  if (location.pathname === '/sign-in') return signedIn ? <Navigate to="/" replace /> : <SignInPage />;
  if (!signedIn)
    return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  return <Shell />;
}
