import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Group,
  NavLink,
  Popover,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notifySuccess } from '../../../app/notify';
import { caseKeys, casesApi } from '../api';
import { type InboxFilters, type InboxView, inboxViews, type SavedView } from '../types';
import { compact, sameFilters } from './filters';

interface InboxSidebarProps {
  filters: InboxFilters;
  onSelect: (filters: InboxFilters) => void;
}

/** The built-in views with their counts, and the user's own saved views. */
export function InboxSidebar({ filters, onSelect }: InboxSidebarProps) {
  const { t } = useTranslation('cases');
  const counts = useQuery({ queryKey: caseKeys.counts, queryFn: casesApi.counts });
  const views = useQuery({ queryKey: caseKeys.views, queryFn: casesApi.views });
  const isBuiltIn = (view: InboxView) => sameFilters(filters, { view, sort: filters.sort });

  return (
    <Card withBorder padding="xs" data-testid="inbox-views">
      <Text size="xs" fw={600} c="dimmed" tt="uppercase" px="sm" py={4}>
        {t('views.title')}
      </Text>
      {inboxViews.map((view) => (
        <NavLink
          key={view}
          label={t(`views.${view}`)}
          active={isBuiltIn(view)}
          onClick={() => onSelect({ view, sort: filters.sort })}
          rightSection={
            counts.data && (
              <Badge size="sm" variant="light" color={view === 'sla_breached' ? 'red' : 'gray'}>
                {counts.data[view]}
              </Badge>
            )
          }
          data-testid={`inbox-view-${view}`}
        />
      ))}
      <Group justify="space-between" px="sm" pt="md" pb={4}>
        <Text size="xs" fw={600} c="dimmed" tt="uppercase">
          {t('views.saved')}
        </Text>
      </Group>
      {views.data?.items.map((view) => (
        <SavedViewLink
          key={view.id}
          view={view}
          active={sameFilters(filters, view.filters)}
          onSelect={onSelect}
        />
      ))}
      {views.data?.items.length === 0 && (
        <Text size="xs" c="dimmed" px="sm">
          {t('views.none')}
        </Text>
      )}
      <SaveViewButton filters={filters} />
    </Card>
  );
}

function SavedViewLink({
  view,
  active,
  onSelect,
}: {
  view: SavedView;
  active: boolean;
  onSelect: (filters: InboxFilters) => void;
}) {
  const { t } = useTranslation('cases');
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => casesApi.deleteView(view.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: caseKeys.views }),
  });
  return (
    <NavLink
      component="div"
      role="button"
      tabIndex={0}
      label={view.name}
      active={active}
      onClick={() => onSelect(view.filters)}
      onKeyDown={(event) => event.key === 'Enter' && onSelect(view.filters)}
      rightSection={
        <ActionIcon
          size="xs"
          variant="subtle"
          color="gray"
          aria-label={t('views.delete', { name: view.name })}
          loading={remove.isPending}
          onClick={(event) => {
            event.stopPropagation();
            remove.mutate();
          }}
        >
          ×
        </ActionIcon>
      }
      data-testid="inbox-saved-view"
      data-view-id={view.id}
    />
  );
}

function SaveViewButton({ filters }: { filters: InboxFilters }) {
  const { t } = useTranslation(['cases', 'common']);
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState(false);
  const [name, setName] = useState('');
  const save = useMutation({
    mutationFn: () => casesApi.saveView(name.trim(), compact(filters)),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: caseKeys.views });
      notifySuccess(t('views.savedDone'));
      setOpened(false);
      setName('');
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim()) save.mutate();
  };
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-start" trapFocus withArrow>
      <Popover.Target>
        <Button
          variant="subtle"
          size="xs"
          fullWidth
          justify="flex-start"
          h="auto"
          py={6}
          styles={{ label: { whiteSpace: 'normal', textAlign: 'left' } }}
          mt="xs"
          onClick={() => setOpened((value) => !value)}
          data-testid="inbox-save-view"
        >
          {t('views.save')}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <form onSubmit={submit}>
          <Stack gap="xs">
            <TextInput
              label={t('views.name')}
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              data-testid="inbox-save-view-name"
            />
            <Button type="submit" size="xs" loading={save.isPending} data-testid="inbox-save-view-submit">
              {t('common:actions.save')}
            </Button>
          </Stack>
        </form>
      </Popover.Dropdown>
    </Popover>
  );
}
