import { Badge, Card, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { PageHeader } from '../../app/components/PageHeader';
import { QueryError, SectionLoader } from '../../app/components/QueryState';
import { useFormatters } from '../../app/language';
import { platformApi, platformKeys } from './api';

/** Mail the system sent (or would send, with no SMTP configured), newest first. */
export function OutboxPage() {
  const { t } = useTranslation(['platform', 'common']);
  const format = useFormatters();
  const navigate = useNavigate();
  const outbox = useQuery({ queryKey: platformKeys.outbox, queryFn: platformApi.outbox });

  return (
    <>
      <PageHeader title={t('outbox.title')} description={t('outbox.description')} />
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
                  >
                    <Table.Td>{item.to}</Table.Td>
                    <Table.Td fw={500}>{item.subject}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={item.status === 'failed' ? 'red' : 'gray'}>
                        {t(`outbox.statuses.${item.status}`, { defaultValue: item.status })}
                      </Badge>
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
            {t('outbox.empty')}
          </Text>
        )}
      </Card>
    </>
  );
}
