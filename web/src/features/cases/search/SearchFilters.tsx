import { Group, MultiSelect, Select, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { identityApi, identityKeys } from '../../identity/api';
import { caseStatuses, type SearchParams } from '../types';

/** The vehicle models Pitwall's brand sells; search narrows by them. */
const models = ['Aurora', 'Fjord'];

interface SearchFiltersProps {
  params: SearchParams;
  onChange: (patch: Partial<Record<keyof SearchParams, string | string[]>>) => void;
}

export function SearchFilters({ params, onChange }: SearchFiltersProps) {
  const { t } = useTranslation(['cases', 'common']);
  const markets = useQuery({ queryKey: identityKeys.markets, queryFn: identityApi.markets });
  return (
    <Group gap="sm" mb="md" align="flex-end" data-testid="search-filters">
      <MultiSelect
        label={t('filters.status')}
        placeholder={params.status.length ? undefined : t('filters.any')}
        data={caseStatuses.map((status) => ({ value: status, label: t(`status.${status}`) }))}
        value={params.status}
        onChange={(status) => onChange({ status })}
        clearable
        w={260}
        data-testid="search-filter-status"
      />
      <Select
        label={t('common:fields.market')}
        placeholder={t('filters.allMarkets')}
        data={(markets.data?.items ?? []).map((item) => ({ value: item.code, label: item.name }))}
        value={params.market || null}
        onChange={(market) => onChange({ market: market ?? '' })}
        clearable
        w={160}
        data-testid="search-filter-market"
      />
      <TextInput
        type="date"
        label={t('search.from')}
        value={params.from}
        onChange={(event) => onChange({ from: event.currentTarget.value })}
        w={160}
        data-testid="search-filter-from"
      />
      <TextInput
        type="date"
        label={t('search.to')}
        value={params.to}
        onChange={(event) => onChange({ to: event.currentTarget.value })}
        w={160}
        data-testid="search-filter-to"
      />
      <Select
        label={t('search.model')}
        placeholder={t('search.anyModel')}
        data={models}
        value={params.model || null}
        onChange={(model) => onChange({ model: model ?? '' })}
        clearable
        w={140}
        data-testid="search-filter-model"
      />
    </Group>
  );
}
