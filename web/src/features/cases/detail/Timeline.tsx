import { Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Message } from '../types';
import { TimelineEntry } from './TimelineEntry';

/** The case's history, oldest first, as the server sends it. */
export function Timeline({ messages }: { messages: Message[] }) {
  const { t } = useTranslation('cases');
  if (messages.length === 0) {
    return (
      <Text c="dimmed" size="sm">
        {t('timeline.empty')}
      </Text>
    );
  }
  return (
    <Stack gap="sm" data-testid="timeline">
      {messages.map((message) => (
        <TimelineEntry key={message.id} message={message} />
      ))}
    </Stack>
  );
}
