import { Badge, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function useRoleLabel() {
  const { t } = useTranslation('identity');
  return (role: string) => t(`roles.${role}`, { defaultValue: role });
}

export function RoleBadges({ roles }: { roles: string[] }) {
  const roleLabel = useRoleLabel();
  return (
    <Group gap={4}>
      {roles.map((role) => (
        <Badge key={role} variant="light" size="sm">
          {roleLabel(role)}
        </Badge>
      ))}
    </Group>
  );
}
