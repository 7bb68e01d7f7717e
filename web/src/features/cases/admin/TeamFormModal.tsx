import { Alert, Button, Group, Modal, MultiSelect, Stack, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SectionLoader } from '../../../app/components/QueryState';
import { notifySuccess } from '../../../app/notify';
import type { User } from '../../identity/types';
import { caseKeys } from '../api';
import { casesAdminApi, casesAdminKeys } from './api';
import type { TeamDetail } from './types';
import { marketOptions, useManageableMarkets } from './useManageableMarkets';

export type TeamEditing = { mode: 'create' } | { mode: 'edit'; teamId: string } | null;

interface TeamDraft {
  name: string;
  markets: string[];
  memberIds: string[];
}

const emptyDraft: TeamDraft = { name: '', markets: [], memberIds: [] };
const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((item) => b.includes(item));

/** Admins cover every market; other staff the markets of their profile (as the server checks). */
const covers = (user: Pick<User, 'roles' | 'markets'>, markets: readonly string[]) =>
  user.roles.includes('admin') || user.markets.some((market) => markets.includes(market));

/**
 * Saves in steps the server accepts whatever changed: members leaving first (valid under the old
 * markets), then name and markets, then the final member list (valid under the new markets).
 */
async function saveTeam(team: TeamDetail | null, draft: TeamDraft): Promise<TeamDetail> {
  const name = draft.name.trim();
  if (!team) {
    const created = await casesAdminApi.createTeam({ name, markets: draft.markets });
    return draft.memberIds.length > 0 ? casesAdminApi.setTeamMembers(created.id, draft.memberIds) : created;
  }
  const current = team.members.map((member) => member.id);
  let saved = team;
  const staying = current.filter((id) => draft.memberIds.includes(id));
  if (staying.length < current.length) saved = await casesAdminApi.setTeamMembers(team.id, staying);
  const patch = {
    ...(name !== team.name && { name }),
    ...(!sameSet(draft.markets, team.markets) && { markets: draft.markets }),
  };
  if (Object.keys(patch).length > 0) saved = await casesAdminApi.updateTeam(team.id, patch);
  if (!sameSet(draft.memberIds, staying))
    saved = await casesAdminApi.setTeamMembers(team.id, draft.memberIds);
  return saved;
}

/** Creates a team or renames it, changes its markets and sets its members. */
export function TeamFormModal({ editing, onClose }: { editing: TeamEditing; onClose: () => void }) {
  const { t } = useTranslation(['cases', 'common']);
  const queryClient = useQueryClient();
  const markets = useManageableMarkets();
  const teamId = editing?.mode === 'edit' ? editing.teamId : null;
  const team = useQuery({
    queryKey: casesAdminKeys.team(teamId ?? ''),
    queryFn: () => casesAdminApi.team(teamId ?? ''),
    enabled: !!teamId,
  });
  const staff = useQuery({
    queryKey: casesAdminKeys.staff,
    queryFn: casesAdminApi.staff,
    enabled: !!editing,
  });
  const [draft, setDraft] = useState<TeamDraft>(emptyDraft);
  const loaded = teamId ? team.data : null;

  const save = useMutation({
    mutationFn: () => saveTeam(loaded ?? null, draft),
    onSuccess: () => {
      notifySuccess(t('admin.teams.saved'));
      onClose();
    },
    // A step may have been saved before a later one failed: show what the server now holds.
    onSettled: () => queryClient.invalidateQueries({ queryKey: caseKeys.teams }),
    meta: { silent: true },
  });
  const { reset } = save;

  useEffect(() => {
    if (editing) reset();
  }, [editing, reset]);
  // Each opening starts from the saved team (or an empty one), also once the team has loaded.
  useEffect(() => {
    if (!editing) return;
    if (editing.mode === 'create') setDraft(emptyDraft);
    else if (loaded)
      setDraft({ name: loaded.name, markets: loaded.markets, memberIds: loaded.members.map((m) => m.id) });
  }, [editing, loaded]);

  const set = <K extends keyof TeamDraft>(key: K, value: TeamDraft[K]) =>
    setDraft((current) => ({ ...current, [key]: value }));
  const users = (staff.data?.items ?? []).filter(
    (user) => !user.disabled || draft.memberIds.includes(user.id),
  );
  const stranded = users.filter((user) => draft.memberIds.includes(user.id) && !covers(user, draft.markets));
  const memberOptions = users.map((user) => ({
    value: user.id,
    label: `${user.name} (${user.roles.includes('admin') ? t('admin.teams.allMarkets') : user.markets.join(', ')})`,
    disabled: !draft.memberIds.includes(user.id) && !covers(user, draft.markets),
  }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <Modal
      opened={!!editing}
      onClose={onClose}
      title={teamId ? t('admin.teams.edit') : t('admin.teams.create')}
      size="lg"
    >
      {teamId && team.isPending ? (
        <SectionLoader />
      ) : (
        <form onSubmit={submit} data-testid="team-form">
          <Stack>
            {(save.error ?? team.error) && (
              <Alert color="red" title={t('common:errors.title')} data-testid="team-error">
                {(save.error ?? team.error)?.message}
              </Alert>
            )}
            <TextInput
              label={t('common:fields.name')}
              required
              maxLength={100}
              value={draft.name}
              onChange={(event) => set('name', event.currentTarget.value)}
              data-testid="team-name"
            />
            <MultiSelect
              label={t('admin.teams.markets')}
              description={t('admin.teams.marketsHint')}
              placeholder={draft.markets.length === 0 ? t('admin.teams.marketsPlaceholder') : undefined}
              required
              data={marketOptions(markets)}
              value={draft.markets}
              onChange={(value) => set('markets', value)}
              searchable
              data-testid="team-markets"
            />
            <MultiSelect
              label={t('admin.teams.members')}
              description={t('admin.teams.membersHint')}
              placeholder={draft.memberIds.length === 0 ? t('admin.teams.membersPlaceholder') : undefined}
              data={memberOptions}
              value={draft.memberIds}
              onChange={(value) => set('memberIds', value)}
              error={
                stranded.length > 0
                  ? t('admin.teams.stranded', { names: stranded.map((user) => user.name).join(', ') })
                  : undefined
              }
              searchable
              hidePickedOptions
              nothingFoundMessage={t('admin.teams.noStaff')}
              data-testid="team-members"
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('common:actions.cancel')}
              </Button>
              <Button
                type="submit"
                loading={save.isPending}
                disabled={!draft.name.trim() || draft.markets.length === 0 || stranded.length > 0}
                data-testid="team-save"
              >
                {t('common:actions.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
