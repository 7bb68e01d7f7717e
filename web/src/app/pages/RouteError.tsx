import { Button, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useRouteError } from 'react-router';

/** Shown when a screen fails to render: a way back instead of a blank page. */
export function RouteError() {
  const { t } = useTranslation();
  const error = useRouteError();
  return (
    <Stack align="center" py={80} gap="sm" data-testid="route-error">
      <Title order={2}>{t('errors.title')}</Title>
      <Text c="dimmed">{error instanceof Error ? error.message : t('errors.unknown')}</Text>
      <Button variant="light" onClick={() => window.location.assign('/')}>
        {t('notFound.home')}
      </Button>
    </Stack>
  );
}
