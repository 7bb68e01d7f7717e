import { Button, Group, Select } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notifySuccess } from '../../../app/notify';
import { caseKeys, casesApi } from '../api';
import type { CaseActions } from './useCaseActions';

interface MacroPickerProps {
  caseId: string;
  actions: CaseActions;
  onInsert: (body: string) => void;
}

/** Choosing a macro fills the composer with its text for this case; "Apply" sends it as it is. */
export function MacroPicker({ caseId, actions, onInsert }: MacroPickerProps) {
  const { t } = useTranslation('cases');
  const [macroId, setMacroId] = useState<string | null>(null);
  const macros = useQuery({ queryKey: caseKeys.macros, queryFn: casesApi.macros, staleTime: 60_000 });
  const render = useMutation({
    mutationFn: (id: string) => casesApi.renderMacro(caseId, id),
    onSuccess: ({ body }) => onInsert(body),
  });
  const title = macros.data?.items.find((macro) => macro.id === macroId)?.title ?? '';

  return (
    <Group gap={4} wrap="nowrap">
      <Select
        size="xs"
        placeholder={t('macros.placeholder')}
        aria-label={t('macros.select')}
        data={(macros.data?.items ?? []).map((macro) => ({ value: macro.id, label: macro.title }))}
        value={macroId}
        onChange={(value) => {
          setMacroId(value);
          if (value) render.mutate(value);
        }}
        nothingFoundMessage={t('macros.none')}
        searchable
        clearable
        w={200}
        data-testid="macro-select"
      />
      <Button
        size="xs"
        variant="light"
        disabled={!macroId}
        loading={actions.applyMacro.isPending}
        onClick={() =>
          macroId &&
          actions.applyMacro.mutate(macroId, {
            onSuccess: () => {
              notifySuccess(t('macros.applied', { title }));
              setMacroId(null);
            },
          })
        }
        data-testid="macro-apply"
      >
        {t('macros.apply')}
      </Button>
    </Group>
  );
}
