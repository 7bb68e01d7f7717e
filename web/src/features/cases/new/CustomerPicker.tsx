import { Group, Select, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CustomerSummary, customerKeys, customersApi } from '../../customers/api';

export type PickedCustomer = Pick<CustomerSummary, 'id' | 'name' | 'email' | 'market'>;

/** Finds a customer by name, email, phone or VIN (the customer search) and picks one. */
export function CustomerPicker({
  value,
  onChange,
}: {
  value: PickedCustomer | null;
  onChange: (customer: PickedCustomer | null) => void;
}) {
  const { t } = useTranslation('cases');
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  // Once a customer is picked the box shows their name; that is not a new search.
  const searching = q.length >= 2 && q !== value?.name;
  const found = useQuery({
    queryKey: customerKeys.search({ q, market: '', page: 1 }),
    queryFn: () => customersApi.search({ q, market: '', page: 1 }),
    enabled: searching,
    placeholderData: keepPreviousData,
  });
  const candidates = new Map<string, PickedCustomer>((found.data?.items ?? []).map((c) => [c.id, c]));
  if (value) candidates.set(value.id, value);

  return (
    <Select
      label={t('newCase.customer')}
      placeholder={t('newCase.customerPlaceholder')}
      required
      searchable
      clearable
      searchValue={search}
      onSearchChange={setSearch}
      data={[...candidates.values()].map((customer) => ({ value: customer.id, label: customer.name }))}
      // The server has searched already (also by email and VIN, which the label does not show).
      filter={({ options }) => options}
      renderOption={({ option }) => {
        const customer = candidates.get(option.value);
        return (
          <Group gap="xs" wrap="nowrap" justify="space-between" w="100%">
            <Text size="sm">{option.label}</Text>
            <Text size="xs" c="dimmed">
              {customer?.email} · {customer?.market}
            </Text>
          </Group>
        );
      }}
      value={value?.id ?? null}
      onChange={(id) => onChange(id ? (candidates.get(id) ?? null) : null)}
      nothingFoundMessage={
        searching && !found.isFetching ? t('newCase.noCustomer') : t('newCase.typeToSearch')
      }
      data-testid="new-case-customer"
    />
  );
}
