import { Button, Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import { homePathFor, useMe } from '../session';

function EntryCard({ title, text, to, testId }: { title: string; text: string; to: string; testId: string }) {
  const { t } = useTranslation('identity');
  return (
    <Card withBorder shadow="sm" padding="xl" radius="md">
      <Stack gap="sm" h="100%" justify="space-between">
        <Stack gap="xs">
          <Title order={3}>{title}</Title>
          <Text c="dimmed" size="sm">
            {text}
          </Text>
        </Stack>
        <Button component={Link} to={to} data-testid={testId}>
          {t('login.submit')}
        </Button>
      </Stack>
    </Card>
  );
}

/** The front door: owners to their portal, staff to the workspace; both sign in the same way. */
export function LandingPage() {
  const { t } = useTranslation('identity');
  const { data: me } = useMe();
  if (me) return <Navigate to={homePathFor(me)} replace />;
  return (
    <Stack gap="xl" data-testid="landing">
      <Stack gap="xs" ta="center">
        <Title order={1}>{t('landing.title')}</Title>
        <Text c="dimmed">{t('landing.subtitle')}</Text>
      </Stack>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <EntryCard
          title={t('landing.owner.title')}
          text={t('landing.owner.text')}
          to="/login?next=%2Fportal"
          testId="landing-owner"
        />
        <EntryCard
          title={t('landing.staff.title')}
          text={t('landing.staff.text')}
          to="/login?next=%2Fagent%2Fcustomers"
          testId="landing-staff"
        />
      </SimpleGrid>
    </Stack>
  );
}
