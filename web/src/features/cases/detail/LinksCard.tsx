import { ActionIcon, Anchor, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { StatusBadge } from '../components/Badges';
import type { CaseDetail } from '../types';
import type { CaseActions } from './useCaseActions';

const caseLink = (number: string) => `/agent/cases/${encodeURIComponent(number)}`;

/** Related cases: links (added by number), the case this follows up, and cases merged into it. */
export function LinksCard({
  detail,
  actions,
  disabled,
}: {
  detail: CaseDetail;
  actions: CaseActions;
  disabled: boolean;
}) {
  const { t } = useTranslation('cases');
  const [other, setOther] = useState('');
  const add = (event: FormEvent) => {
    event.preventDefault();
    if (other.trim()) actions.link.mutate(other.trim(), { onSuccess: () => setOther('') });
  };

  return (
    <Card withBorder padding="md" data-testid="case-links">
      <Title order={5} mb="xs">
        {t('links.title')}
      </Title>
      <Stack gap={6}>
        {detail.followUpOf && (
          <Text size="sm">
            {t('case.followUpOf')}{' '}
            <Anchor component={Link} to={caseLink(detail.followUpOf.number)}>
              {detail.followUpOf.number}
            </Anchor>
          </Text>
        )}
        {detail.mergedFrom.length > 0 && (
          <Text size="sm">
            {t('case.mergedFrom')} {detail.mergedFrom.map((merged) => merged.number).join(', ')}
          </Text>
        )}
        {detail.links.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('links.none')}
          </Text>
        )}
        {detail.links.map((link) => (
          <Group key={link.id} gap="xs" wrap="nowrap" justify="space-between" data-testid="case-link">
            <Stack gap={0} style={{ minWidth: 0 }}>
              <Anchor component={Link} to={caseLink(link.number)} size="sm" ff="monospace">
                {link.number}
              </Anchor>
              <Text size="xs" truncate="end">
                {link.subject}
              </Text>
            </Stack>
            <Group gap={4} wrap="nowrap">
              <StatusBadge status={link.status} />
              {!disabled && (
                <ActionIcon
                  size="sm"
                  variant="subtle"
                  color="gray"
                  aria-label={t('links.remove', { number: link.number })}
                  onClick={() => actions.unlink.mutate(link.id)}
                >
                  ×
                </ActionIcon>
              )}
            </Group>
          </Group>
        ))}
        {!disabled && (
          <form onSubmit={add}>
            <Group gap={4} wrap="nowrap" mt="xs">
              <TextInput
                size="xs"
                placeholder={t('links.placeholder')}
                aria-label={t('links.placeholder')}
                value={other}
                onChange={(event) => setOther(event.currentTarget.value)}
                style={{ flex: 1 }}
                data-testid="case-link-input"
              />
              <Button
                type="submit"
                size="xs"
                variant="light"
                loading={actions.link.isPending}
                data-testid="case-link-add"
              >
                {t('links.add')}
              </Button>
            </Group>
          </form>
        )}
      </Stack>
    </Card>
  );
}
