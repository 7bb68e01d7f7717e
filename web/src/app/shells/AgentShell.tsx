import { AppShell, Burger, Group, NavLink, ScrollArea, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { useCasesLiveSync } from '../../features/cases/live';
import { NotificationsBell } from '../../features/cases/notifications/NotificationsBell';
import { CaseSearchBox } from '../../features/cases/search/CaseSearchBox';
import { useCurrentMe } from '../../features/identity/session';
import { type AdminPermission, can } from '../../features/identity/types';
import { Brand } from '../components/Brand';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { UserMenu } from '../components/UserMenu';

interface NavItem {
  to: string;
  label: string;
  testId: string;
  permission?: AdminPermission;
}

function NavItems({ items, onNavigate }: { items: NavItem[]; onNavigate: () => void }) {
  const { pathname } = useLocation();
  return items.map((item) => (
    <NavLink
      key={item.to}
      component={Link}
      to={item.to}
      label={item.label}
      active={pathname === item.to || pathname.startsWith(`${item.to}/`)}
      onClick={onNavigate}
      data-testid={item.testId}
    />
  ));
}

/** The agent workspace: header, navigation and the page. */
export function AgentShell() {
  const { t } = useTranslation(['common', 'cases']);
  const me = useCurrentMe();
  const [opened, { toggle, close }] = useDisclosure();
  useCasesLiveSync();

  const work: NavItem[] = [
    { to: '/agent/cases', label: t('cases:nav.cases'), testId: 'nav-cases' },
    { to: '/agent/customers', label: t('nav.customers'), testId: 'nav-customers' },
  ];
  const admin = (
    [
      { to: '/agent/admin/users', label: t('nav.users'), testId: 'nav-users', permission: 'users:read' },
      { to: '/agent/admin/teams', label: t('nav.teams'), testId: 'nav-teams', permission: 'users:manage' },
      {
        to: '/agent/admin/macros',
        label: t('nav.macros'),
        testId: 'nav-macros',
        permission: 'macros:manage',
      },
      { to: '/agent/admin/sla', label: t('nav.sla'), testId: 'nav-sla', permission: 'sla:manage' },
      {
        to: '/agent/admin/api-tokens',
        label: t('nav.apiTokens'),
        testId: 'nav-api-tokens',
        permission: 'tokens:manage',
      },
      { to: '/agent/admin/audit', label: t('nav.audit'), testId: 'nav-audit', permission: 'audit:read' },
      { to: '/agent/admin/jobs', label: t('nav.jobs'), testId: 'nav-jobs', permission: 'jobs:manage' },
      { to: '/agent/admin/outbox', label: t('nav.outbox'), testId: 'nav-outbox', permission: 'outbox:read' },
      {
        to: '/agent/admin/mailboxes',
        label: t('nav.mailboxes'),
        testId: 'nav-mailboxes',
        permission: 'email:manage',
      },
      {
        to: '/agent/admin/quarantine',
        label: t('nav.quarantine'),
        testId: 'nav-quarantine',
        permission: 'email:manage',
      },
    ] satisfies Required<NavItem>[]
  ).filter((item) => can(me, item.permission));
  const personal: NavItem[] = [{ to: '/agent/account', label: t('nav.account'), testId: 'nav-account' }];

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.toggle')} />
            <Brand suffix={t('shell.agent')} />
          </Group>
          <Group gap="md" wrap="nowrap">
            <CaseSearchBox />
            <NotificationsBell />
            <LanguageSwitch />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label={t('nav.label')}>
        <AppShell.Section grow component={ScrollArea}>
          <NavItems items={work} onNavigate={close} />
          {admin.length > 0 && (
            <>
              <Text size="xs" fw={600} c="dimmed" tt="uppercase" mt="lg" mb={4} px="sm">
                {t('nav.administration')}
              </Text>
              <NavItems items={admin} onNavigate={close} />
            </>
          )}
        </AppShell.Section>
        <AppShell.Section>
          <NavItems items={personal} onNavigate={close} />
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
