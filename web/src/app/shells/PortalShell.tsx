import { Anchor, AppShell, Container, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Outlet, NavLink as RouterNavLink } from 'react-router';
import { useCasesLiveSync } from '../../features/cases/live';
import { NotificationsBell } from '../../features/cases/notifications/NotificationsBell';
import { Brand } from '../components/Brand';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { UserMenu } from '../components/UserMenu';

function PortalLink({ to, label, testId }: { to: string; label: string; testId: string }) {
  return (
    <Anchor component={RouterNavLink} to={to} end size="sm" fw={500} data-testid={testId}>
      {label}
    </Anchor>
  );
}

/** The owner portal: a light header and a centred page. */
export function PortalShell() {
  const { t } = useTranslation();
  useCasesLiveSync();
  return (
    <AppShell header={{ height: 60 }} padding="lg">
      <AppShell.Header>
        <Container size="lg" h="100%">
          <Group h="100%" justify="space-between" wrap="nowrap">
            <Group gap="xl" wrap="nowrap">
              <Brand suffix={t('shell.portal')} />
              <Group gap="md">
                <PortalLink to="/portal" label={t('nav.portalHome')} testId="nav-portal-home" />
                <PortalLink to="/portal/account" label={t('nav.account')} testId="nav-account" />
              </Group>
            </Group>
            <Group gap="md" wrap="nowrap">
              <NotificationsBell />
              <LanguageSwitch />
              <UserMenu />
            </Group>
          </Group>
        </Container>
      </AppShell.Header>
      <AppShell.Main bg="gray.0">
        <Container size="lg">
          <Outlet />
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
