import { Badge, Group, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormatters } from '../../../app/language';
import { AttachmentList } from '../components/AttachmentList';
import { DeliveryMarker } from '../components/DeliveryMarker';
import { MessageBody } from '../components/MessageBody';
import { formatDuration } from '../format';
import type { Message } from '../types';

function PhoneIcon() {
  return (
    <svg
      width="14"
      height="14"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      aria-hidden="true"
    >
      <path d="M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2" />
    </svg>
  );
}

function CallDetails({ call }: { call: NonNullable<Message['call']> }) {
  const { t } = useTranslation('cases');
  return (
    <Group gap="xs" data-testid="call-details">
      <Badge variant="light" color="indigo" leftSection={<PhoneIcon />}>
        {t(`timeline.direction.${call.direction}`)}
      </Badge>
      <Text size="sm" data-testid="call-duration">
        {t('timeline.duration', { duration: formatDuration(call.durationSeconds) })}
      </Text>
      <Badge
        variant="outline"
        color={call.outcome === 'dropped' || call.outcome === 'no_answer' ? 'red' : 'gray'}
      >
        {t(`timeline.outcome.${call.outcome}`)}
      </Badge>
    </Group>
  );
}

/** One entry: a public reply, an internal note (yellow), a phone call or a system entry. */
export function TimelineEntry({ message }: { message: Message }) {
  const { t } = useTranslation('cases');
  const format = useFormatters();
  const isNote = message.kind === 'note';
  const isSystem = message.kind === 'system';
  const fromCustomer = message.author.kind === 'customer';

  if (isSystem) {
    return (
      <Group
        gap="xs"
        px="sm"
        data-testid="timeline-entry"
        data-kind="system"
        data-internal={String(message.internal)}
      >
        <Text size="xs" c="dimmed">
          {format.dateTime(message.createdAt)} · {message.bodyText}
        </Text>
      </Group>
    );
  }
  return (
    <Paper
      withBorder
      p="sm"
      bg={isNote ? 'yellow.0' : fromCustomer ? 'gray.0' : undefined}
      style={isNote ? { borderColor: 'var(--mantine-color-yellow-5)' } : undefined}
      data-testid="timeline-entry"
      data-kind={message.kind}
      data-internal={String(message.internal)}
    >
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap">
          <Group gap="xs">
            <Text size="sm" fw={600}>
              {message.author.name}
            </Text>
            {isNote && (
              <Badge color="yellow" variant="filled" size="sm">
                {t('timeline.internalNote')}
              </Badge>
            )}
            {message.kind === 'phone_call' && (
              <Badge color="indigo" variant="light" size="sm">
                {t('timeline.phoneCall')}
              </Badge>
            )}
            {message.kind === 'reply' && (
              <Text size="xs" c="dimmed">
                {t('timeline.via', { channel: t(`channel.${message.channel}`) })}
              </Text>
            )}
          </Group>
          <Text size="xs" c="dimmed">
            {format.dateTime(message.createdAt)}
          </Text>
        </Group>
        {message.call && <CallDetails call={message.call} />}
        {(message.bodyText || message.bodyHtml) && (
          <MessageBody
            bodyText={message.bodyText}
            bodyHtml={message.bodyHtml}
            quotedText={message.quotedText}
          />
        )}
        <AttachmentList attachments={message.attachments} />
        <DeliveryMarker message={message} />
      </Stack>
    </Paper>
  );
}
