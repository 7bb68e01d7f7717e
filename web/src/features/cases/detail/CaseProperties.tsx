import { Group, Select, TagsInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { caseKeys, casesApi } from '../api';
import {
  type CaseDetail,
  type CasePatch,
  type CasePriority,
  type CaseStatus,
  casePriorities,
  caseStatuses,
} from '../types';
import { useAssignees } from '../useAssignees';
import type { CaseActions } from './useCaseActions';

const none = '__none__';

/** Status, priority, assignee, team and tags; each change is saved at once. */
export function CaseProperties({
  detail,
  actions,
  disabled,
}: {
  detail: CaseDetail;
  actions: CaseActions;
  disabled: boolean;
}) {
  const { t } = useTranslation('cases');
  const assignees = useAssignees([detail.market]);
  const teams = useQuery({ queryKey: caseKeys.teams, queryFn: casesApi.teams, staleTime: 60_000 });
  // While a change is saving, show it rather than the old value.
  const pending: CasePatch = actions.update.isPending ? (actions.update.variables ?? {}) : {};
  const value = <K extends keyof CasePatch>(key: K, current: CasePatch[K]) =>
    key in pending ? pending[key] : current;
  const update = (patch: CasePatch) => actions.update.mutate(patch);

  const assigneeOptions = [
    { value: none, label: t('case.unassigned') },
    ...assignees.map((item) => ({ value: item.id, label: item.name })),
  ];
  // The current assignee may be outside the list (e.g. another market's agent); keep them visible.
  if (detail.assignee && !assigneeOptions.some((option) => option.value === detail.assignee?.id)) {
    assigneeOptions.push({ value: detail.assignee.id, label: detail.assignee.name });
  }
  const teamOptions = [
    { value: none, label: t('case.noTeam') },
    ...(teams.data?.items ?? [])
      .filter((team) => team.markets.length === 0 || team.markets.includes(detail.market))
      .map((team) => ({ value: team.id, label: team.name })),
  ];
  if (detail.team && !teamOptions.some((option) => option.value === detail.team?.id)) {
    teamOptions.push({ value: detail.team.id, label: detail.team.name });
  }
  const statusOptions = caseStatuses
    .filter((status) => status !== 'new' || detail.status === 'new')
    .map((status) => ({ value: status, label: t(`status.${status}`) }));

  return (
    <Group gap="sm" align="flex-end" wrap="wrap" data-testid="case-properties">
      <Select
        label={t('case.status')}
        data={statusOptions}
        value={value('status', detail.status) ?? null}
        onChange={(next) => next && next !== detail.status && update({ status: next as CaseStatus })}
        allowDeselect={false}
        disabled={disabled}
        w={210}
        data-testid="case-status-select"
      />
      <Select
        label={t('case.priority')}
        data={casePriorities.map((priority) => ({ value: priority, label: t(`priority.${priority}`) }))}
        value={value('priority', detail.priority) ?? null}
        onChange={(next) => next && next !== detail.priority && update({ priority: next as CasePriority })}
        allowDeselect={false}
        disabled={disabled}
        w={130}
        data-testid="case-priority-select"
      />
      <Select
        label={t('case.assignee')}
        data={assigneeOptions}
        value={value('assigneeId', detail.assignee?.id ?? null) ?? none}
        onChange={(next) => next && update({ assigneeId: next === none ? null : next })}
        allowDeselect={false}
        searchable
        disabled={disabled}
        w={200}
        data-testid="case-assignee-select"
      />
      <Select
        label={t('case.team')}
        data={teamOptions}
        value={value('teamId', detail.team?.id ?? null) ?? none}
        onChange={(next) => next && update({ teamId: next === none ? null : next })}
        allowDeselect={false}
        disabled={disabled}
        w={180}
        data-testid="case-team-select"
      />
      <TagsInput
        label={t('case.tags')}
        placeholder={t('case.tagsPlaceholder')}
        value={value('tags', detail.tags) ?? []}
        onChange={(tags) => update({ tags })}
        clearable
        disabled={disabled}
        miw={220}
        style={{ flex: 1 }}
        data-testid="case-tags"
      />
    </Group>
  );
}
