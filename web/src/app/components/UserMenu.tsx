import { Avatar, Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCurrentMe } from '../../features/identity/session';
import { useLogout } from '../../features/identity/useLogout';

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase())
    .join('');
}

/** Who is signed in, and the way out. */
export function UserMenu() {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const logout = useLogout();
  return (
    <Group gap="sm" wrap="nowrap">
      <Avatar size="sm" color="teal" radius="xl" aria-hidden>
        {initials(me.name || me.email)}
      </Avatar>
      <Text size="sm" visibleFrom="sm" data-testid="current-user">
        {me.name || me.email}
      </Text>
      <Button
        variant="subtle"
        size="xs"
        onClick={() => logout.mutate()}
        loading={logout.isPending}
        data-testid="logout"
      >
        {t('actions.logout')}
      </Button>
    </Group>
  );
}
