import { ActionIcon, Button, Group, TextInput, Title, Tooltip } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseActions } from './useCaseActions';

/** The case subject as a heading; the pencil turns it into a text box. */
export function SubjectEditor({
  subject,
  actions,
  disabled,
}: {
  subject: string;
  actions: CaseActions;
  disabled: boolean;
}) {
  const { t } = useTranslation(['cases', 'common']);
  const [draft, setDraft] = useState<string | null>(null);
  const save = (event: FormEvent) => {
    event.preventDefault();
    const next = draft?.trim();
    if (!next || next === subject) return setDraft(null);
    actions.update.mutate({ subject: next }, { onSuccess: () => setDraft(null) });
  };

  if (draft !== null) {
    return (
      <form onSubmit={save} style={{ flex: 1 }}>
        <Group gap="xs" wrap="nowrap">
          <TextInput
            value={draft}
            onChange={(event) => setDraft(event.currentTarget.value)}
            onKeyDown={(event) => event.key === 'Escape' && setDraft(null)}
            aria-label={t('case.subject')}
            autoFocus
            style={{ flex: 1 }}
            data-testid="case-subject-input"
          />
          <Button type="submit" size="sm" loading={actions.update.isPending} data-testid="case-subject-save">
            {t('common:actions.save')}
          </Button>
          <Button variant="default" size="sm" onClick={() => setDraft(null)}>
            {t('common:actions.cancel')}
          </Button>
        </Group>
      </form>
    );
  }
  return (
    <Group gap="xs" wrap="nowrap">
      <Title order={2} data-testid="case-subject">
        {subject}
      </Title>
      {!disabled && (
        <Tooltip label={t('case.editSubject')}>
          <ActionIcon
            variant="subtle"
            color="gray"
            onClick={() => setDraft(subject)}
            aria-label={t('case.editSubject')}
            data-testid="case-subject-edit"
          >
            ✎
          </ActionIcon>
        </Tooltip>
      )}
    </Group>
  );
}
