import { Group, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormatters } from '../../../app/language';
import { AttachmentList } from '../../cases/components/AttachmentList';
import { MessageBody } from '../../cases/components/MessageBody';
import type { Message } from '../../cases/types';

/** The conversation as the owner sees it: only what the server sends them (no internal notes). */
export function PortalTimeline({ messages }: { messages: Message[] }) {
  const { t } = useTranslation('portal');
  const format = useFormatters();
  if (messages.length === 0) {
    return (
      <Text c="dimmed" size="sm">
        {t('case.empty')}
      </Text>
    );
  }
  return (
    <Stack gap="sm" data-testid="portal-timeline">
      {messages.map((message) => {
        const mine = message.author.kind === 'customer';
        if (message.kind === 'system') {
          return (
            <Text
              key={message.id}
              size="xs"
              c="dimmed"
              px="sm"
              data-testid="portal-timeline-entry"
              data-kind="system"
            >
              {format.dateTime(message.createdAt)} · {message.bodyText}
            </Text>
          );
        }
        return (
          <Paper
            key={message.id}
            withBorder
            p="sm"
            ml={mine ? 'xl' : 0}
            mr={mine ? 0 : 'xl'}
            bg={mine ? 'teal.0' : 'white'}
            data-testid="portal-timeline-entry"
            data-kind={message.kind}
            data-author={message.author.kind}
          >
            <Group justify="space-between" mb={4}>
              <Text size="sm" fw={600}>
                {mine ? t('case.you') : message.author.name}
              </Text>
              <Text size="xs" c="dimmed">
                {format.dateTime(message.createdAt)}
              </Text>
            </Group>
            <MessageBody bodyText={message.bodyText} bodyHtml={message.bodyHtml} />
            <AttachmentList attachments={message.attachments} />
          </Paper>
        );
      })}
    </Stack>
  );
}
