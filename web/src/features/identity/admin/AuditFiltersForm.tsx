import { Button, Group, SimpleGrid, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditFilters } from '../types';

const fields = ['q', 'action', 'entityType', 'entityId', 'actorId'] as const;

/** `datetime-local` gives local wall time; the API expects an instant. */
function toInstant(value: string): string | undefined {
  return value ? new Date(value).toISOString() : undefined;
}

export function AuditFiltersForm({ onApply }: { onApply: (filters: AuditFilters) => void }) {
  const { t } = useTranslation(['identity', 'common']);
  const [draft, setDraft] = useState<Record<(typeof fields)[number] | 'from' | 'to', string>>({
    q: '',
    action: '',
    entityType: '',
    entityId: '',
    actorId: '',
    from: '',
    to: '',
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const filters: AuditFilters = { from: toInstant(draft.from), to: toInstant(draft.to) };
    for (const field of fields) {
      const value = draft[field].trim();
      if (value) filters[field] = value;
    }
    onApply(filters);
  };
  const input = (field: keyof typeof draft, type = 'text') => (
    <TextInput
      key={field}
      type={type}
      label={t(`audit.filters.${field}`)}
      value={draft[field]}
      onChange={(event) => {
        const { value } = event.currentTarget;
        setDraft((current) => ({ ...current, [field]: value }));
      }}
      data-testid={`audit-filter-${field}`}
    />
  );

  return (
    <form onSubmit={submit}>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} mb="sm">
        {fields.map((field) => input(field))}
        {input('from', 'datetime-local')}
        {input('to', 'datetime-local')}
      </SimpleGrid>
      <Group justify="flex-end" mb="md">
        <Button type="submit" data-testid="audit-search">
          {t('common:actions.search')}
        </Button>
      </Group>
    </form>
  );
}
