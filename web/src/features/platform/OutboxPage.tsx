import { Badge, Card, Group, Select, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { PageHeader } from '../../app/components/PageHeader';
import { QueryError, SectionLoader } from '../../app/components/QueryState';
import { useFormatters } from '../../app/language';
import { type OutboxStatus, outboxStatuses, platformApi, platformKeys } from './api';

export const outboxStatusColor: Record<OutboxStatus, string> = {
  queued: 'yellow',
  outbox: 'gray',
  sent: 'green',
  failed: 'red',
  bounced: 'red',
};

export function OutboxStatusBadge({
  status,
  lastError,
}: {
  status: OutboxStatus;
  lastError?: string | null;
}) {
  const { t } = useTranslation('platform');
  const badge = (
    <Badge variant="light" color={outboxStatusColor[status]} data-testid="outbox-status">
      {t(`outbox.statuses.${status}`)}
    </Badge>
  );
  return lastError ? <Tooltip label={lastError}>{badge}</Tooltip> : badge;
}

const isStatus = (value: string | null): value is OutboxStatus =>
  value !== null && (outboxStatuses as string[]).includes(value);

/** Mail the system sent (or would send, with no SMTP configured), newest first, filtered by
 * status and recipient; the filters live in the address, so a link can point at failures. */
export function OutboxPage() {
  const { t } = useTranslation(['platform', 'common']);
  const format = useFormatters();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const statusParam = params.get('status');
  const status = isStatus(statusParam) ? statusParam : undefined;
  const recipient = params.get('to') ?? '';
  const [to] = useDebouncedValue(recipient.trim(), 300);
  const filters = { status, to: to || undefined };
  const outbox = useQuery({
    queryKey: platformKeys.outbox(filters),
    queryFn: () => platformApi.outbox(filters),
    placeholderData: keepPreviousData,
  });
  const setFilter = (key: 'status' | 'to', value: string | null) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  const filtered = Boolean(status || to);

  return (
    <>
      <PageHeader title={t('outbox.title')} description={t('outbox.description')} />
      <Group mb="md" align="flex-end">
        <Select
          label={t('outbox.filterStatus')}
          placeholder={t('outbox.allStatuses')}
          data={outboxStatuses.map((value) => ({ value, label: t(`outbox.statuses.${value}`) }))}
          value={status ?? null}
          onChange={(value) => setFilter('status', value)}
          clearable
          w={200}
          data-testid="outbox-filter-status"
        />
        <TextInput
          label={t('outbox.filterRecipient')}
          value={recipient}
          onChange={(event) => setFilter('to', event.currentTarget.value)}
          w={280}
          data-testid="outbox-filter-to"
        />
      </Group>
      <Card withBorder padding={0}>
        {outbox.isPending && <SectionLoader />}
        {outbox.error && <QueryError error={outbox.error} onRetry={() => void outbox.refetch()} />}
        {outbox.data && outbox.data.items.length > 0 && (
          <Table.ScrollContainer minWidth={720}>
            <Table highlightOnHover verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('outbox.to')}</Table.Th>
                  <Table.Th>{t('outbox.subject')}</Table.Th>
                  <Table.Th>{t('common:fields.status')}</Table.Th>
                  <Table.Th>{t('outbox.date')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {outbox.data.items.map((item) => (
                  <Table.Tr
                    key={item.id}
                    onClick={() => navigate(`/agent/admin/outbox/${encodeURIComponent(item.id)}`)}
                    style={{ cursor: 'pointer' }}
                    data-testid="outbox-row"
                    data-status={item.status}
                  >
                    <Table.Td>{item.to}</Table.Td>
                    <Table.Td fw={500}>{item.subject}</Table.Td>
                    <Table.Td>
                      <OutboxStatusBadge status={item.status} lastError={item.lastError} />
                    </Table.Td>
                    <Table.Td>{format.dateTime(item.createdAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {outbox.data?.items.length === 0 && (
          <Text c="dimmed" ta="center" py="xl">
            {filtered ? t('outbox.noResults') : t('outbox.empty')}
          </Text>
        )}
      </Card>
    </>
  );
}
