import { ActionBar, Button, Group, Select, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notifySuccess } from '../../../app/notify';
import { caseKeys, casesApi } from '../api';
import { type BulkChange, type BulkResult, type CaseStatus, caseStatuses } from '../types';
import { useAssignees } from '../useAssignees';

interface BulkBarProps {
  selectedIds: string[];
  /** Markets of the ticked cases: whoever may work any of them is offered. */
  markets: string[];
  onClear: () => void;
  onResult: (result: BulkResult) => void;
}

const unassign = '__unassign__';

/** Appears while cases are ticked: assign, set status or tag them all at once. */
export function BulkBar({ selectedIds, markets, onClear, onResult }: BulkBarProps) {
  const { t } = useTranslation('cases');
  const queryClient = useQueryClient();
  const [tag, setTag] = useState('');
  const assignees = useAssignees(markets);
  const bulk = useMutation({
    mutationFn: (change: Omit<BulkChange, 'caseIds'>) => casesApi.bulk({ ...change, caseIds: selectedIds }),
    onSuccess: (result) => {
      if (result.updated.length > 0) notifySuccess(t('bulk.done', { count: result.updated.length }));
      onResult(result);
      void queryClient.invalidateQueries({ queryKey: caseKeys.lists });
      void queryClient.invalidateQueries({ queryKey: caseKeys.counts });
    },
  });
  const addTag = (event: FormEvent) => {
    event.preventDefault();
    if (!tag.trim()) return;
    bulk.mutate({ addTags: [tag.trim()] }, { onSuccess: () => setTag('') });
  };

  return (
    <ActionBar
      opened={selectedIds.length > 0}
      onClose={onClear}
      aria-label={t('bulk.label')}
      data-testid="bulk-bar"
    >
      <Group gap="sm" wrap="nowrap" p={4}>
        <Text size="sm" fw={500} data-testid="bulk-count">
          {t('bulk.selected', { count: selectedIds.length })}
        </Text>
        <ActionBar.Divider />
        <Select
          size="xs"
          placeholder={t('bulk.assign')}
          aria-label={t('bulk.assign')}
          data={[
            { value: unassign, label: t('case.unassigned') },
            ...assignees.map((item) => ({ value: item.id, label: item.name })),
          ]}
          value={null}
          onChange={(value) => value && bulk.mutate({ assigneeId: value === unassign ? null : value })}
          searchable
          disabled={bulk.isPending}
          w={180}
          data-testid="bulk-assign"
        />
        <Select
          size="xs"
          placeholder={t('bulk.status')}
          aria-label={t('bulk.status')}
          data={caseStatuses
            .filter((status) => status !== 'new')
            .map((status) => ({ value: status, label: t(`status.${status}`) }))}
          value={null}
          onChange={(value) => value && bulk.mutate({ status: value as CaseStatus })}
          disabled={bulk.isPending}
          w={180}
          data-testid="bulk-status"
        />
        <form onSubmit={addTag}>
          <Group gap={4} wrap="nowrap">
            <TextInput
              size="xs"
              placeholder={t('bulk.tagPlaceholder')}
              aria-label={t('bulk.tagPlaceholder')}
              value={tag}
              onChange={(event) => setTag(event.currentTarget.value)}
              w={120}
              data-testid="bulk-tag"
            />
            <Button
              type="submit"
              size="xs"
              variant="light"
              loading={bulk.isPending}
              data-testid="bulk-tag-submit"
            >
              {t('bulk.tag')}
            </Button>
          </Group>
        </form>
        <ActionBar.CloseButton aria-label={t('bulk.clear')} />
      </Group>
    </ActionBar>
  );
}
