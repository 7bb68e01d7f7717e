import { Badge, Card, Group, Pagination, Select, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { PageHeader } from '../../app/components/PageHeader';
import { QueryError, SectionLoader } from '../../app/components/QueryState';
import { identityApi, identityKeys } from '../identity/api';
import { customerKeys, customersApi, customersPageSize } from './api';

/** Search customers by name, email, phone or VIN; the search lives in the URL so it survives Back. */
export function CustomerListPage() {
  const { t } = useTranslation(['customers', 'common']);
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  const [q, setQ] = useState(searchParams.get('q') ?? '');
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);
  const market = searchParams.get('market') ?? '';
  const page = Math.max(1, Number(searchParams.get('page')) || 1);

  useEffect(() => {
    setSearchParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (debouncedQ === (current.get('q') ?? '')) return current;
        if (debouncedQ) next.set('q', debouncedQ);
        else next.delete('q');
        next.delete('page');
        return next;
      },
      { replace: true },
    );
  }, [debouncedQ, setSearchParams]);

  const setParam = (key: string, value: string | null) =>
    setSearchParams((current) => {
      const next = new URLSearchParams(current);
      if (value) next.set(key, value);
      else next.delete(key);
      if (key !== 'page') next.delete('page');
      return next;
    });

  const search = { q: searchParams.get('q') ?? '', market, page };
  const customers = useQuery({
    queryKey: customerKeys.search(search),
    queryFn: () => customersApi.search(search),
    placeholderData: keepPreviousData,
  });
  const markets = useQuery({ queryKey: identityKeys.markets, queryFn: identityApi.markets });
  const pages = Math.max(1, Math.ceil((customers.data?.total ?? 0) / customersPageSize));

  return (
    <>
      <PageHeader
        title={t('list.title')}
        description={customers.data ? t('common:list.total', { count: customers.data.total }) : undefined}
      />
      <Group mb="md">
        <TextInput
          placeholder={t('list.search')}
          aria-label={t('list.search')}
          value={q}
          onChange={(event) => setQ(event.currentTarget.value)}
          w={{ base: '100%', sm: 380 }}
          data-testid="customer-search"
        />
        <Select
          placeholder={t('list.allMarkets')}
          aria-label={t('common:fields.market')}
          data={(markets.data?.items ?? []).map((item) => ({ value: item.code, label: item.name }))}
          value={market || null}
          onChange={(value) => setParam('market', value)}
          clearable
          w={220}
          data-testid="customer-market-filter"
        />
      </Group>
      <Card withBorder padding={0}>
        {customers.isPending && <SectionLoader />}
        {customers.error && <QueryError error={customers.error} onRetry={() => void customers.refetch()} />}
        {customers.data && customers.data.items.length > 0 && (
          <Table.ScrollContainer minWidth={720}>
            <Table highlightOnHover verticalSpacing="sm" data-testid="customer-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('common:fields.name')}</Table.Th>
                  <Table.Th>{t('common:fields.email')}</Table.Th>
                  <Table.Th>{t('common:fields.market')}</Table.Th>
                  <Table.Th>{t('common:fields.language')}</Table.Th>
                  <Table.Th ta="right">{t('list.vehicles')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {customers.data.items.map((customer) => (
                  <Table.Tr
                    key={customer.id}
                    onClick={() => navigate(`/agent/customers/${encodeURIComponent(customer.id)}`)}
                    style={{ cursor: 'pointer' }}
                    data-testid="customer-row"
                  >
                    <Table.Td fw={500}>{customer.name}</Table.Td>
                    <Table.Td>{customer.email}</Table.Td>
                    <Table.Td>
                      <Badge variant="outline" color="gray">
                        {customer.market}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{t(`common:language.names.${customer.language}`)}</Table.Td>
                    <Table.Td ta="right">{customer.vehicleCount}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {customers.data?.items.length === 0 && (
          <Text c="dimmed" ta="center" py="xl" data-testid="customer-empty">
            {t('list.empty')}
          </Text>
        )}
      </Card>
      {pages > 1 && (
        <Group justify="center" mt="md">
          <Pagination total={pages} value={page} onChange={(value) => setParam('page', String(value))} />
        </Group>
      )}
    </>
  );
}
