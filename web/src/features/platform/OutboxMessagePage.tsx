import { Anchor, Badge, Box, Card, Divider, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { QueryError, SectionLoader } from '../../app/components/QueryState';
import { useFormatters } from '../../app/language';
import { type OutboxMessage, platformApi, platformKeys } from './api';

function HeaderLine({ label, value }: { label: string; value: string }) {
  return (
    <Group gap="xs" wrap="nowrap" align="baseline">
      <Text size="sm" c="dimmed" w={64} style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <Text size="sm">{value}</Text>
    </Group>
  );
}

/** The body as a mail client shows it: HTML in a sandbox with no scripts, forms or same-origin access. */
function MessageBody({ message }: { message: OutboxMessage }) {
  const { t } = useTranslation('platform');
  const plain = (
    <Box component="pre" m={0} p="md" fz="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="outbox-text">
      {message.text ?? '—'}
    </Box>
  );
  if (!message.html) return plain;
  return (
    <Tabs defaultValue="html">
      <Tabs.List>
        <Tabs.Tab value="html">{t('outbox.html')}</Tabs.Tab>
        <Tabs.Tab value="text">{t('outbox.text')}</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="html">
        <iframe
          title={message.subject}
          sandbox=""
          srcDoc={message.html}
          style={{ width: '100%', height: 560, border: 0, background: 'white' }}
          data-testid="outbox-html"
        />
      </Tabs.Panel>
      <Tabs.Panel value="text">{plain}</Tabs.Panel>
    </Tabs>
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

  return (
    <Stack>
      <Anchor component={Link} to="/agent/admin/outbox" size="sm">
        ← {t('outbox.back')}
      </Anchor>
      {message.isPending && <SectionLoader />}
      {message.error && <QueryError error={message.error} onRetry={() => void message.refetch()} />}
      {message.data && (
        <Card withBorder padding={0} data-testid="outbox-message">
          <Stack gap={6} p="lg">
            <Group justify="space-between" align="flex-start">
              <Title order={3}>{message.data.subject}</Title>
              <Badge variant="light">
                {t(`outbox.statuses.${message.data.status}`, { defaultValue: message.data.status })}
              </Badge>
            </Group>
            <HeaderLine label={t('outbox.from')} value={message.data.from} />
            <HeaderLine label={t('outbox.to')} value={message.data.to} />
            <HeaderLine label={t('outbox.date')} value={format.dateTime(message.data.createdAt)} />
          </Stack>
          <Divider />
          <MessageBody message={message.data} />
        </Card>
      )}
    </Stack>
  );
}
