import {
  Button,
  Group,
  Modal,
  MultiSelect,
  PasswordInput,
  Select,
  Stack,
  Switch,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isLanguage, type Language } from '../../../app/i18n';
import { notifySuccess } from '../../../app/notify';
import { identityApi, identityKeys } from '../api';
import type { User } from '../types';

interface UserFormModalProps {
  editing: { mode: 'create' } | { mode: 'edit'; user: User } | null;
  roleOptions: { value: string; label: string }[];
  onClose: () => void;
}

interface UserDraft {
  email: string;
  name: string;
  roles: string[];
  markets: string[];
  language: Language;
  password: string;
  disabled: boolean;
}

const emptyDraft: UserDraft = {
  email: '',
  name: '',
  roles: [],
  markets: [],
  language: 'en',
  password: '',
  disabled: false,
};

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((item) => b.includes(item));

/** Creates a staff user, or edits name, roles, markets and the disabled flag of one. */
export function UserFormModal({ editing, roleOptions, onClose }: UserFormModalProps) {
  const { t } = useTranslation(['identity', 'common']);
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<UserDraft>(emptyDraft);
  const markets = useQuery({
    queryKey: identityKeys.markets,
    queryFn: identityApi.markets,
    enabled: !!editing,
  });
  const editedUser = editing?.mode === 'edit' ? editing.user : null;

  useEffect(() => {
    if (!editing) return;
    if (editing.mode === 'create') return setDraft(emptyDraft);
    const { email, name, roles: userRoles, markets: userMarkets, language, disabled } = editing.user;
    setDraft({ email, name, roles: userRoles, markets: userMarkets, language, disabled, password: '' });
  }, [editing]);

  const save = useMutation({
    mutationFn: async () => {
      if (!editedUser) {
        const { disabled: _disabled, ...input } = draft;
        return identityApi.createUser({ ...input, email: input.email.trim(), name: input.name.trim() });
      }
      // Only what changed is sent: a roles or markets change asks for a step-up, a rename does not.
      const patch = {
        name: draft.name.trim() !== editedUser.name ? draft.name.trim() : undefined,
        roles: sameSet(draft.roles, editedUser.roles) ? undefined : draft.roles,
        markets: sameSet(draft.markets, editedUser.markets) ? undefined : draft.markets,
        disabled: draft.disabled !== editedUser.disabled ? draft.disabled : undefined,
      };
      if (Object.values(patch).every((value) => value === undefined)) return editedUser;
      return identityApi.updateUser(editedUser.id, patch);
    },
    onSuccess: () => {
      notifySuccess(t('users.saved'));
      onClose();
      return queryClient.invalidateQueries({ queryKey: identityKeys.allUsers });
    },
  });

  const set = <K extends keyof UserDraft>(key: K, value: UserDraft[K]) =>
    setDraft((current) => ({ ...current, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const marketOptions = (markets.data?.items ?? []).map((market) => ({
    value: market.code,
    label: `${market.name} (${market.code})`,
  }));

  return (
    <Modal
      opened={!!editing}
      onClose={onClose}
      title={editedUser ? t('users.edit') : t('users.create')}
      size="lg"
    >
      <form onSubmit={submit} data-testid="user-form">
        <Stack>
          <TextInput
            label={t('common:fields.email')}
            type="email"
            required
            disabled={!!editedUser}
            value={draft.email}
            onChange={(event) => set('email', event.currentTarget.value)}
          />
          <TextInput
            label={t('common:fields.name')}
            required
            value={draft.name}
            onChange={(event) => set('name', event.currentTarget.value)}
          />
          <MultiSelect
            label={t('users.roles')}
            data={roleOptions}
            value={draft.roles}
            onChange={(value) => set('roles', value)}
            data-testid="user-roles"
          />
          <MultiSelect
            label={t('users.markets')}
            data={marketOptions}
            value={draft.markets}
            onChange={(value) => set('markets', value)}
            searchable
          />
          {editedUser ? (
            <Switch
              label={t('users.disabled')}
              checked={draft.disabled}
              onChange={(event) => set('disabled', event.currentTarget.checked)}
            />
          ) : (
            <>
              <Select
                label={t('common:fields.language')}
                data={[
                  { value: 'de', label: t('common:language.names.de') },
                  { value: 'en', label: t('common:language.names.en') },
                ]}
                value={draft.language}
                onChange={(value) => isLanguage(value) && set('language', value)}
                allowDeselect={false}
              />
              <PasswordInput
                label={t('users.initialPassword')}
                autoComplete="new-password"
                required
                value={draft.password}
                onChange={(event) => set('password', event.currentTarget.value)}
              />
            </>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} data-testid="user-save">
              {t('common:actions.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
