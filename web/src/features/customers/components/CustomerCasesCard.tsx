import { Anchor, Card, Group, SegmentedControl, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { QueryError, SectionLoader } from '../../../app/components/QueryState';
import { useFormatters } from '../../../app/language';
import { caseKeys, casesApi } from '../../cases/api';
import { PriorityBadge, SlaBadge, StatusBadge } from '../../cases/components/Badges';
import { caseStatuses } from '../../cases/types';

const openStatuses = ['new', 'open', 'pending_customer', 'pending_third_party'] as const;
type Scope = 'open' | 'all';

/** The customer's cases on the 360: open work by default, or everything including solved and closed. */
export function CustomerCasesCard({ customerId }: { customerId: string }) {
  const { t } = useTranslation(['customers', 'cases']);
  const format = useFormatters();
  const [scope, setScope] = useState<Scope>('open');
  const cases = useQuery({
    queryKey: caseKeys.ofCustomer(customerId, scope),
    queryFn: () => casesApi.ofCustomer(customerId, scope === 'open' ? openStatuses : caseStatuses),
    placeholderData: keepPreviousData,
  });
  const items = cases.data?.items ?? [];

  return (
    <Card withBorder padding="lg" data-testid="customer-cases">
      <Group justify="space-between" mb="sm">
        <Title order={4}>{t('cases.title', { count: cases.data?.total ?? 0 })}</Title>
        <SegmentedControl
          size="xs"
          value={scope}
          onChange={(value) => setScope(value as Scope)}
          data={[
            { value: 'open', label: t('cases.open') },
            { value: 'all', label: t('cases.all') },
          ]}
          data-testid="customer-cases-scope"
        />
      </Group>
      {cases.isPending && <SectionLoader />}
      {cases.error && <QueryError error={cases.error} onRetry={() => void cases.refetch()} />}
      {cases.data && items.length === 0 && (
        <Text c="dimmed" size="sm" data-testid="customer-cases-empty">
          {scope === 'open' ? t('cases.noneOpen') : t('cases.none')}
        </Text>
      )}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="xs" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('cases:columns.number')}</Table.Th>
                <Table.Th>{t('cases:case.subject')}</Table.Th>
                <Table.Th>{t('cases:columns.status')}</Table.Th>
                <Table.Th>{t('cases:columns.priority')}</Table.Th>
                <Table.Th>{t('cases:case.channel')}</Table.Th>
                <Table.Th>{t('cases.opened')}</Table.Th>
                <Table.Th>{t('cases:columns.sla')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((item) => (
                <Table.Tr key={item.id} data-testid="customer-case-row">
                  <Table.Td>
                    <Anchor
                      component={Link}
                      to={`/agent/cases/${encodeURIComponent(item.number)}`}
                      size="sm"
                      ff="monospace"
                      style={{ whiteSpace: 'nowrap' }}
                    >
                      {item.number}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={1}>
                      {item.subject}
                    </Text>
                    {item.vehicle && (
                      <Text size="xs" c="dimmed">
                        {item.vehicle.model}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={item.status} size="sm" />
                  </Table.Td>
                  <Table.Td>
                    <PriorityBadge priority={item.priority} size="sm" />
                  </Table.Td>
                  <Table.Td>{t(`cases:channel.${item.channel}`)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{format.date(item.createdAt)}</Table.Td>
                  <Table.Td>
                    <SlaBadge sla={item.sla} size="sm" />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
