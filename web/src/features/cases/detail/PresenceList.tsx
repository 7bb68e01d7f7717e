import { Avatar, Group, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PresenceEntry } from './usePresence';

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase())
    .join('');

/** "Also here: Anna (typing…)" — colleagues on the same case right now. */
export function PresenceList({ others }: { others: PresenceEntry[] }) {
  const { t } = useTranslation('cases');
  if (others.length === 0) return null;
  return (
    <Group gap="xs" wrap="nowrap" data-testid="presence-list">
      <Text size="sm" c="dimmed">
        {t('presence.alsoHere')}
      </Text>
      {others.map((entry) => (
        <Tooltip key={entry.userId} label={entry.name}>
          <Group gap={4} wrap="nowrap" data-testid="presence-entry" data-state={entry.state}>
            <Avatar size="sm" radius="xl" color={entry.state === 'typing' ? 'orange' : 'teal'}>
              {initials(entry.name)}
            </Avatar>
            <Text size="sm">
              {entry.name}
              {entry.state === 'typing' && ` (${t('presence.typing')})`}
            </Text>
          </Group>
        </Tooltip>
      ))}
    </Group>
  );
}
