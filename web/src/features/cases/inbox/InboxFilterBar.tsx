import { Button, Group, MultiSelect, Select, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { identityApi, identityKeys } from '../../identity/api';
import {
  type CasePriority,
  type CaseSort,
  type CaseStatus,
  casePriorities,
  caseSorts,
  caseStatuses,
  type InboxFilters,
} from '../types';
import { useAssignees, useMyMarkets } from '../useAssignees';

interface InboxFilterBarProps {
  filters: InboxFilters;
  onChange: (filters: InboxFilters) => void;
}

/** Status, priority, market, tag, assignee and sort of the inbox list. */
export function InboxFilterBar({ filters, onChange }: InboxFilterBarProps) {
  const { t } = useTranslation(['cases', 'common']);
  const markets = useQuery({ queryKey: identityKeys.markets, queryFn: identityApi.markets });
  const myMarkets = useMyMarkets();
  const assignees = useAssignees(filters.market ? [filters.market] : myMarkets);
  const [tag, setTag] = useState(filters.tag ?? '');
  const commitTag = useDebouncedCallback(
    (value: string) => onChange({ ...filters, tag: value.trim() || undefined }),
    400,
  );
  // A saved view or "reset" changes the tag from outside.
  useEffect(
    () => setTag((current) => (current.trim() === (filters.tag ?? '') ? current : (filters.tag ?? ''))),
    [filters.tag],
  );
  const set = (patch: InboxFilters) => onChange({ ...filters, ...patch });

  return (
    <Group gap="sm" mb="md" align="flex-end" data-testid="inbox-filters">
      <MultiSelect
        label={t('filters.status')}
        placeholder={filters.status?.length ? undefined : t('filters.any')}
        data={caseStatuses.map((status) => ({ value: status, label: t(`status.${status}`) }))}
        value={filters.status ?? []}
        onChange={(value) => set({ status: value as CaseStatus[] })}
        clearable
        w={260}
        data-testid="inbox-filter-status"
      />
      <Select
        label={t('filters.priority')}
        placeholder={t('filters.any')}
        data={casePriorities.map((priority) => ({ value: priority, label: t(`priority.${priority}`) }))}
        value={filters.priority ?? null}
        onChange={(value) => set({ priority: (value as CasePriority | null) ?? undefined })}
        clearable
        w={140}
        data-testid="inbox-filter-priority"
      />
      <Select
        label={t('common:fields.market')}
        placeholder={t('filters.allMarkets')}
        data={(markets.data?.items ?? []).map((item) => ({ value: item.code, label: item.name }))}
        value={filters.market ?? null}
        onChange={(value) => set({ market: value ?? undefined, assigneeId: undefined })}
        clearable
        w={160}
        data-testid="inbox-filter-market"
      />
      <TextInput
        label={t('filters.tag')}
        value={tag}
        onChange={(event) => {
          setTag(event.currentTarget.value);
          commitTag(event.currentTarget.value);
        }}
        w={140}
        data-testid="inbox-filter-tag"
      />
      <Select
        label={t('filters.assignee')}
        placeholder={t('filters.any')}
        data={assignees.map((item) => ({ value: item.id, label: item.name }))}
        value={filters.assigneeId ?? null}
        onChange={(value) => set({ assigneeId: value ?? undefined })}
        searchable
        clearable
        w={180}
        data-testid="inbox-filter-assignee"
      />
      <Select
        label={t('filters.sort')}
        data={caseSorts.map((sort) => ({ value: sort, label: t(`sort.${sort}`) }))}
        value={filters.sort ?? 'updated_desc'}
        onChange={(value) => set({ sort: (value as CaseSort | null) ?? undefined })}
        allowDeselect={false}
        w={200}
        data-testid="inbox-sort"
      />
      <Button
        variant="subtle"
        onClick={() => {
          setTag('');
          onChange({ view: filters.view });
        }}
      >
        {t('filters.reset')}
      </Button>
    </Group>
  );
}
