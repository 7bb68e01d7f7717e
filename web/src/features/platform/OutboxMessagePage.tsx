import {
  Alert,
  Anchor,
  Box,
  Card,
  Divider,
  Group,
  SegmentedControl,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { QueryError, SectionLoader } from '../../app/components/QueryState';
import { useFormatters } from '../../app/language';
import { type OutboxMessage, platformApi, platformKeys } from './api';
import { OutboxStatusBadge } from './OutboxPage';

function HeaderLine({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Group gap="xs" wrap="nowrap" align="baseline">
      <Text size="sm" c="dimmed" w={96} style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <Text size="sm" style={{ overflowWrap: 'anywhere' }} data-testid={testId}>
        {value}
      </Text>
    </Group>
  );
}

// Our own mails carry no scripts or remote content; the policy keeps it that way if one ever did.
const PREVIEW_POLICY =
  '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:; style-src \'unsafe-inline\'">';

function withPolicy(html: string): string {
  return /<head[^>]*>/i.test(html)
    ? html.replace(/<head[^>]*>/i, (head) => `${head}${PREVIEW_POLICY}`)
    : `${PREVIEW_POLICY}${html}`;
}

/** The body as a mail client shows it: the HTML part in a frame sandboxed without any
 * permission, or the text part. */
function MessageBody({ message }: { message: OutboxMessage }) {
  const { t } = useTranslation('platform');
  const [part, setPart] = useState<'html' | 'text'>(message.html ? 'html' : 'text');
  return (
    <Stack gap="xs" p="md">
      {message.html && (
        <SegmentedControl
          size="xs"
          w="fit-content"
          value={part}
          onChange={(value) => setPart(value === 'text' ? 'text' : 'html')}
          data={[
            { value: 'html', label: t('outbox.html') },
            { value: 'text', label: t('outbox.text') },
          ]}
          data-testid="outbox-part"
        />
      )}
      {part === 'html' && message.html ? (
        <iframe
          title={message.subject}
          sandbox=""
          srcDoc={withPolicy(message.html)}
          style={{
            width: '100%',
            height: 560,
            border: '1px solid var(--mantine-color-gray-3)',
            background: 'white',
          }}
          data-testid="outbox-html"
        />
      ) : (
        <Box component="pre" m={0} fz="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="outbox-text">
          {message.text}
        </Box>
      )}
    </Stack>
  );
}

function Attachments({ message }: { message: OutboxMessage }) {
  const { t } = useTranslation('platform');
  const format = useFormatters();
  if (message.attachments.length === 0) return null;
  return (
    <>
      <Divider />
      <Stack gap={4} p="md" data-testid="outbox-attachments">
        <Text size="sm" fw={600}>
          {t('outbox.attachments')}
        </Text>
        {message.attachments.map((file) => (
          <Group key={file.attachmentId} gap="xs">
            <Anchor href={file.url} size="sm" download={file.filename}>
              {file.filename}
            </Anchor>
            <Text size="xs" c="dimmed">
              {file.mimeType} ·{' '}
              {t('outbox.size', { size: format.number(Math.max(1, Math.round(file.size / 1024))) })}
            </Text>
          </Group>
        ))}
      </Stack>
    </>
  );
}

export function OutboxMessagePage() {
  const { t } = useTranslation('platform');
  const format = useFormatters();
  const { messageId = '' } = useParams();
  const message = useQuery({
    queryKey: platformKeys.outboxMessage(messageId),
    queryFn: () => platformApi.outboxMessage(messageId),
  });
  const mail = message.data;

  return (
    <Stack>
      <Anchor component={Link} to="/agent/admin/outbox" size="sm">
        ← {t('outbox.back')}
      </Anchor>
      {message.isPending && <SectionLoader />}
      {message.error && <QueryError error={message.error} onRetry={() => void message.refetch()} />}
      {mail && (
        <Card withBorder padding={0} data-testid="outbox-message">
          <Stack gap={6} p="lg">
            <Group justify="space-between" align="flex-start" wrap="nowrap">
              <Title order={3} style={{ overflowWrap: 'anywhere' }}>
                {mail.subject}
              </Title>
              <OutboxStatusBadge status={mail.status} />
            </Group>
            <HeaderLine label={t('outbox.from')} value={mail.from} testId="outbox-from" />
            <HeaderLine label={t('outbox.to')} value={mail.to} testId="outbox-to" />
            <HeaderLine label={t('outbox.date')} value={format.dateTime(mail.sentAt ?? mail.createdAt)} />
            <HeaderLine label={t('outbox.messageId')} value={mail.messageId} />
            {mail.inReplyTo && <HeaderLine label={t('outbox.inReplyTo')} value={mail.inReplyTo} />}
            {mail.attempts > 0 && <HeaderLine label={t('outbox.attempts')} value={String(mail.attempts)} />}
            {mail.caseId && (
              <Anchor
                component={Link}
                to={`/agent/cases/${encodeURIComponent(mail.caseId)}`}
                size="sm"
                data-testid="outbox-case-link"
              >
                {t('outbox.openCase')}
              </Anchor>
            )}
            {mail.lastError && (
              <Alert
                color={mail.status === 'failed' || mail.status === 'bounced' ? 'red' : 'yellow'}
                title={t('outbox.lastError')}
                data-testid="outbox-error"
              >
                <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                  {mail.lastError}
                </Text>
              </Alert>
            )}
          </Stack>
          <Divider />
          <MessageBody key={mail.id} message={mail} />
          <Attachments message={mail} />
        </Card>
      )}
    </Stack>
  );
}
