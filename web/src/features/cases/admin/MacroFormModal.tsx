import {
  Alert,
  Button,
  Group,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notifySuccess } from '../../../app/notify';
import { caseKeys } from '../api';
import type { Macro } from '../types';
import { casesAdminApi } from './api';
import { PlaceholderCheatSheet } from './PlaceholderCheatSheet';
import { type MacroInput, type MacroStatus, macroStatuses } from './types';

export type MacroEditing = { mode: 'create' } | { mode: 'edit'; macro: Macro } | null;
type BodyField = 'bodyDe' | 'bodyEn';

const emptyDraft: MacroInput = { title: '', bodyDe: '', bodyEn: '', setStatus: null, addTags: [] };
const keepStatus = '__keep__';

/** Creates or changes a macro: title, German and English text with placeholders, status and tags. */
export function MacroFormModal({ editing, onClose }: { editing: MacroEditing; onClose: () => void }) {
  const { t } = useTranslation(['cases', 'common']);
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<MacroInput>(emptyDraft);
  const bodies = { bodyDe: useRef<HTMLTextAreaElement>(null), bodyEn: useRef<HTMLTextAreaElement>(null) };
  const lastBody = useRef<BodyField>('bodyDe');
  const edited = editing?.mode === 'edit' ? editing.macro : null;

  const save = useMutation({
    mutationFn: (input: MacroInput) =>
      edited ? casesAdminApi.updateMacro(edited.id, input) : casesAdminApi.createMacro(input),
    onSuccess: () => {
      notifySuccess(t('admin.macros.saved'));
      onClose();
      return queryClient.invalidateQueries({ queryKey: caseKeys.macros });
    },
    meta: { silent: true },
  });
  const { reset } = save;

  useEffect(() => {
    if (!editing) return;
    reset();
    lastBody.current = 'bodyDe';
    if (editing.mode === 'create') return setDraft(emptyDraft);
    const { title, bodyDe, bodyEn, setStatus, addTags } = editing.macro;
    setDraft({ title, bodyDe, bodyEn, setStatus: setStatus as MacroStatus | null, addTags });
  }, [editing, reset]);

  const set = <K extends keyof MacroInput>(key: K, value: MacroInput[K]) =>
    setDraft((current) => ({ ...current, [key]: value }));

  const insert = (token: string) => {
    const field = lastBody.current;
    const element = bodies[field].current;
    const text = draft[field];
    const start = element?.selectionStart ?? text.length;
    const end = element?.selectionEnd ?? text.length;
    set(field, text.slice(0, start) + token + text.slice(end));
    requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(start + token.length, start + token.length);
    });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ ...draft, title: draft.title.trim() });
  };

  const bodyInput = (field: BodyField, label: string) => (
    <Textarea
      ref={bodies[field]}
      label={label}
      required
      autosize
      minRows={6}
      maxRows={14}
      value={draft[field]}
      onChange={(event) => set(field, event.currentTarget.value)}
      onFocus={() => {
        lastBody.current = field;
      }}
      data-testid={`macro-${field === 'bodyDe' ? 'body-de' : 'body-en'}`}
    />
  );

  return (
    <Modal
      opened={!!editing}
      onClose={onClose}
      title={edited ? t('admin.macros.edit') : t('admin.macros.create')}
      size="xl"
    >
      <form onSubmit={submit} data-testid="macro-form">
        <Stack>
          {save.error && (
            <Alert color="red" title={t('common:errors.title')} data-testid="macro-error">
              {save.error.message}
            </Alert>
          )}
          <TextInput
            label={t('admin.macros.titleLabel')}
            required
            maxLength={120}
            value={draft.title}
            onChange={(event) => set('title', event.currentTarget.value)}
            data-testid="macro-title"
          />
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            {bodyInput('bodyDe', t('admin.macros.bodyDe'))}
            {bodyInput('bodyEn', t('admin.macros.bodyEn'))}
          </SimpleGrid>
          <PlaceholderCheatSheet onInsert={insert} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={t('admin.macros.setStatus')}
              data={[
                { value: keepStatus, label: t('admin.macros.keepStatus') },
                ...macroStatuses.map((status) => ({ value: status, label: t(`status.${status}`) })),
              ]}
              value={draft.setStatus ?? keepStatus}
              onChange={(value) =>
                set('setStatus', !value || value === keepStatus ? null : (value as MacroStatus))
              }
              allowDeselect={false}
              data-testid="macro-status"
            />
            <TagsInput
              label={t('admin.macros.addTags')}
              placeholder={t('admin.macros.addTagsPlaceholder')}
              value={draft.addTags}
              onChange={(value) => set('addTags', value)}
              maxTags={20}
              clearable
              data-testid="macro-tags"
            />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} data-testid="macro-save">
              {t('common:actions.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
