import { Button, Card, Group, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { QueryError, SectionLoader } from '../../../app/components/QueryState';
import { useFormatters } from '../../../app/language';
import { caseKeys, casesApi } from '../../cases/api';
import { PortalStatusBadge } from './portalStatus';

/** "My requests" on the portal home: the owner's cases and the way to open a new one. */
export function PortalCasesCard() {
  const { t } = useTranslation('portal');
  const navigate = useNavigate();
  const format = useFormatters();
  const cases = useQuery({ queryKey: caseKeys.mine, queryFn: casesApi.mine });

  return (
    <Card withBorder padding="lg" data-testid="portal-cases">
      <Group justify="space-between" mb="xs">
        <Title order={4}>{t('cases.title')}</Title>
        <Button component={Link} to="/portal/cases/new" data-testid="portal-new-case">
          {t('cases.new')}
        </Button>
      </Group>
      <Text size="sm" c="dimmed" mb="md" data-testid="portal-cases-help">
        {t('cases.help')}
      </Text>
      {cases.isPending && <SectionLoader />}
      {cases.error && <QueryError error={cases.error} onRetry={() => void cases.refetch()} />}
      {cases.data?.items.length === 0 && (
        <Text size="sm" c="dimmed" data-testid="portal-cases-empty">
          {t('cases.empty')}
        </Text>
      )}
      {cases.data && cases.data.items.length > 0 && (
        <Table.ScrollContainer minWidth={560}>
          <Table highlightOnHover verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('cases.number')}</Table.Th>
                <Table.Th>{t('cases.subject')}</Table.Th>
                <Table.Th>{t('cases.statusLabel')}</Table.Th>
                <Table.Th>{t('cases.updated')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {cases.data.items.map((item) => (
                <Table.Tr
                  key={item.id}
                  onClick={() => navigate(`/portal/cases/${encodeURIComponent(item.number)}`)}
                  style={{ cursor: 'pointer' }}
                  data-testid="portal-case-row"
                  data-case-number={item.number}
                >
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {item.number}
                    </Text>
                  </Table.Td>
                  <Table.Td fw={500}>{item.subject}</Table.Td>
                  <Table.Td>
                    <PortalStatusBadge status={item.status} />
                  </Table.Td>
                  <Table.Td>{format.dateTime(item.updatedAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
