import {
  ActionIcon,
  Button,
  Group,
  Indicator,
  Popover,
  ScrollArea,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useCurrentMe } from '../../identity/session';
import { caseKeys, casesApi } from '../api';
import { useCaseFormatters, useNow } from '../format';
import type { CaseNotification } from '../types';

function BellIcon() {
  return (
    <svg
      width="18"
      height="18"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      aria-hidden="true"
    >
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}

/** Unread count in the header; the list marks items read one by one or all at once. */
export function NotificationsBell() {
  const { t } = useTranslation('cases');
  const me = useCurrentMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState(false);
  // Refreshed by `notification.created` live events (see useCasesLiveSync).
  const list = useQuery({ queryKey: caseKeys.notifications, queryFn: casesApi.notifications });
  const refresh = () => queryClient.invalidateQueries({ queryKey: caseKeys.notifications });
  const markRead = useMutation({ mutationFn: casesApi.markRead, onSuccess: refresh });
  const markAllRead = useMutation({ mutationFn: casesApi.markAllRead, onSuccess: refresh });
  const unread = list.data?.unread ?? 0;

  const openCase = (item: CaseNotification) => {
    if (!item.readAt) markRead.mutate(item.id);
    setOpened(false);
    const base = me.kind === 'customer' ? '/portal/cases' : '/agent/cases';
    navigate(`${base}/${encodeURIComponent(item.caseNumber)}`);
  };

  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={360} shadow="md" withArrow>
      <Popover.Target>
        <Indicator label={unread} size={16} disabled={unread === 0} maxValue={99} offset={4}>
          <ActionIcon
            variant="subtle"
            color="gray"
            size="lg"
            onClick={() => setOpened((value) => !value)}
            aria-label={t('notifications.open', { count: unread })}
            data-testid="notifications-bell"
            data-unread={unread}
          >
            <BellIcon />
          </ActionIcon>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown p={0} data-testid="notifications-list">
        <Group justify="space-between" px="md" py="xs">
          <Text fw={600} size="sm">
            {t('notifications.title')}
          </Text>
          <Button
            size="compact-xs"
            variant="subtle"
            disabled={unread === 0}
            loading={markAllRead.isPending}
            onClick={() => markAllRead.mutate()}
            data-testid="notifications-read-all"
          >
            {t('notifications.markAllRead')}
          </Button>
        </Group>
        <ScrollArea.Autosize mah={400}>
          {list.data?.items.length === 0 && (
            <Text size="sm" c="dimmed" px="md" pb="md">
              {t('notifications.empty')}
            </Text>
          )}
          {list.data?.items.map((item) => (
            <NotificationItem
              key={item.id}
              item={item}
              onOpen={openCase}
              onRead={(id) => markRead.mutate(id)}
            />
          ))}
        </ScrollArea.Autosize>
      </Popover.Dropdown>
    </Popover>
  );
}

interface NotificationItemProps {
  item: CaseNotification;
  onOpen: (item: CaseNotification) => void;
  onRead: (id: string) => void;
}

function NotificationItem({ item, onOpen, onRead }: NotificationItemProps) {
  const { t } = useTranslation('cases');
  const { relative } = useCaseFormatters();
  const now = useNow();
  return (
    <Group
      wrap="nowrap"
      align="flex-start"
      px="md"
      py="xs"
      bg={item.readAt ? undefined : 'teal.0'}
      style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}
      data-testid="notification-item"
      data-read={item.readAt ? 'true' : 'false'}
    >
      <UnstyledButton onClick={() => onOpen(item)} style={{ flex: 1, minWidth: 0 }}>
        <Stack gap={2}>
          <Text size="sm" fw={item.readAt ? 400 : 600} lineClamp={1}>
            {item.title}
          </Text>
          <Text size="xs" c="dimmed" lineClamp={2}>
            {item.body}
          </Text>
          <Text size="xs" c="dimmed">
            {item.caseNumber} · {relative(item.createdAt, now)}
          </Text>
        </Stack>
      </UnstyledButton>
      {!item.readAt && (
        <Button
          size="compact-xs"
          variant="subtle"
          onClick={() => onRead(item.id)}
          data-testid="notification-read"
        >
          {t('notifications.markRead')}
        </Button>
      )}
    </Group>
  );
}
