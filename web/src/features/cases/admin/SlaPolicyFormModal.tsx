import {
  Alert,
  Button,
  Divider,
  Group,
  Modal,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notifySuccess } from '../../../app/notify';
import { caseKeys, casesApi } from '../api';
import { type CaseChannel, type CasePriority, casePriorities } from '../types';
import { casesAdminApi, casesAdminKeys } from './api';
import { BusinessHoursInput } from './BusinessHoursInput';
import { DurationInput } from './DurationInput';
import { timeOfDay } from './slaFormat';
import { type BreachAction, breachActions, type SlaPolicy, type SlaPolicyInput, weekdays } from './types';
import { marketOptions, useManageableMarkets } from './useManageableMarkets';

export type SlaEditing =
  | { mode: 'create'; market: string | null }
  | { mode: 'edit'; policy: SlaPolicy }
  | null;

const any = '__any__';
const channels: CaseChannel[] = ['portal', 'email', 'phone', 'social', 'system'];
const office: [string, string] = ['08:00', '18:00'];

const emptyDraft = (market: string): SlaPolicyInput => ({
  name: '',
  market,
  priority: null,
  channel: null,
  firstResponseMinutes: 240,
  nextResponseMinutes: 480,
  resolutionMinutes: 2400,
  businessHours: { mon: office, tue: office, wed: office, thu: office, fri: office, sat: null, sun: null },
  observeHolidays: true,
  onBreach: 'notify',
  escalationTeamId: null,
});

function isComplete(draft: SlaPolicyInput): boolean {
  const minutes = [draft.firstResponseMinutes, draft.nextResponseMinutes, draft.resolutionMinutes];
  const times = weekdays.flatMap((day) => draft.businessHours[day] ?? []);
  return (
    draft.name.trim() !== '' &&
    draft.market !== '' &&
    minutes.every((value) => value >= 1) &&
    times.every((time) => timeOfDay.test(time)) &&
    (draft.onBreach !== 'reassign' || draft.escalationTeamId !== null)
  );
}

/** Creates or changes an SLA policy: scope, targets, business hours and what a breach does. */
export function SlaPolicyFormModal({ editing, onClose }: { editing: SlaEditing; onClose: () => void }) {
  const { t } = useTranslation(['cases', 'common']);
  const queryClient = useQueryClient();
  const markets = useManageableMarkets();
  const teams = useQuery({ queryKey: caseKeys.teams, queryFn: casesApi.teams, enabled: !!editing });
  const [draft, setDraft] = useState<SlaPolicyInput>(emptyDraft(''));
  const edited = editing?.mode === 'edit' ? editing.policy : null;

  const save = useMutation({
    mutationFn: ({ market, ...input }: SlaPolicyInput) =>
      edited
        ? casesAdminApi.updateSlaPolicy(edited.id, input)
        : casesAdminApi.createSlaPolicy({ market, ...input }),
    onSuccess: () => {
      notifySuccess(t('admin.sla.saved'));
      onClose();
      return queryClient.invalidateQueries({ queryKey: casesAdminKeys.slaPolicies });
    },
    meta: { silent: true },
  });
  const { reset } = save;

  useEffect(() => {
    if (!editing) return;
    reset();
    if (editing.mode === 'create') return setDraft(emptyDraft(editing.market ?? ''));
    const { id: _id, createdAt: _created, updatedAt: _updated, ...policy } = editing.policy;
    setDraft(policy);
  }, [editing, reset]);

  const set = <K extends keyof SlaPolicyInput>(key: K, value: SlaPolicyInput[K]) =>
    setDraft((current) => ({ ...current, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const escalationTeamId = draft.onBreach === 'reassign' ? draft.escalationTeamId : null;
    save.mutate({ ...draft, name: draft.name.trim(), escalationTeamId });
  };
  const teamOptions = (teams.data?.items ?? [])
    .filter((team) => team.markets.length === 0 || team.markets.includes(draft.market))
    .map((team) => ({ value: team.id, label: team.name }));

  return (
    <Modal
      opened={!!editing}
      onClose={onClose}
      title={edited ? t('admin.sla.edit') : t('admin.sla.create')}
      size="xl"
    >
      <form onSubmit={submit} data-testid="sla-form">
        <Stack>
          {save.error && (
            <Alert color="red" title={t('common:errors.title')} data-testid="sla-error">
              {save.error.message}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('common:fields.name')}
              required
              maxLength={200}
              value={draft.name}
              onChange={(event) => set('name', event.currentTarget.value)}
              data-testid="sla-name"
            />
            <Select
              label={t('common:fields.market')}
              description={edited ? t('admin.sla.marketFixed') : undefined}
              placeholder={t('admin.sla.marketPlaceholder')}
              required
              data={marketOptions(markets)}
              value={draft.market || null}
              onChange={(value) =>
                setDraft((current) => ({ ...current, market: value ?? '', escalationTeamId: null }))
              }
              disabled={!!edited}
              searchable
              data-testid="sla-market"
            />
            <Select
              label={t('admin.sla.priority')}
              data={[
                { value: any, label: t('admin.sla.anyPriority') },
                ...casePriorities.map((value) => ({ value, label: t(`priority.${value}`) })),
              ]}
              value={draft.priority ?? any}
              onChange={(value) => set('priority', !value || value === any ? null : (value as CasePriority))}
              allowDeselect={false}
              data-testid="sla-priority"
            />
            <Select
              label={t('admin.sla.channel')}
              data={[
                { value: any, label: t('admin.sla.anyChannel') },
                ...channels.map((value) => ({ value, label: t(`channel.${value}`) })),
              ]}
              value={draft.channel ?? any}
              onChange={(value) => set('channel', !value || value === any ? null : (value as CaseChannel))}
              allowDeselect={false}
              data-testid="sla-channel"
            />
          </SimpleGrid>
          <Divider label={t('admin.sla.targets')} labelPosition="left" />
          <Text size="xs" c="dimmed" mt={-8}>
            {t('admin.sla.targetsHint')}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <DurationInput
              label={t('sla.metric.first_response')}
              value={draft.firstResponseMinutes}
              onChange={(value) => set('firstResponseMinutes', value)}
              data-testid="sla-first-response"
            />
            <DurationInput
              label={t('sla.metric.next_response')}
              value={draft.nextResponseMinutes}
              onChange={(value) => set('nextResponseMinutes', value)}
              data-testid="sla-next-response"
            />
            <DurationInput
              label={t('sla.metric.resolution')}
              value={draft.resolutionMinutes}
              onChange={(value) => set('resolutionMinutes', value)}
              data-testid="sla-resolution"
            />
          </SimpleGrid>
          <Divider />
          <BusinessHoursInput value={draft.businessHours} onChange={(value) => set('businessHours', value)} />
          <Switch
            label={t('admin.sla.observeHolidays')}
            description={t('admin.sla.observeHolidaysHint')}
            checked={draft.observeHolidays}
            onChange={(event) => set('observeHolidays', event.currentTarget.checked)}
            data-testid="sla-holidays"
          />
          <Divider label={t('admin.sla.onBreach')} labelPosition="left" />
          <Group align="flex-end" gap="md">
            <SegmentedControl
              value={draft.onBreach}
              onChange={(value) => set('onBreach', value as BreachAction)}
              data={breachActions.map((value) => ({ value, label: t(`admin.sla.breach.${value}`) }))}
              aria-label={t('admin.sla.onBreach')}
              data-testid="sla-on-breach"
            />
            {draft.onBreach === 'reassign' && (
              <Select
                label={t('admin.sla.escalationTeam')}
                placeholder={t('admin.sla.escalationTeamPlaceholder')}
                required
                data={teamOptions}
                value={draft.escalationTeamId}
                onChange={(value) => set('escalationTeamId', value)}
                nothingFoundMessage={t('admin.sla.noTeams')}
                w={260}
                data-testid="sla-escalation-team"
              />
            )}
          </Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button
              type="submit"
              loading={save.isPending}
              disabled={!isComplete(draft)}
              data-testid="sla-save"
            >
              {t('common:actions.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
