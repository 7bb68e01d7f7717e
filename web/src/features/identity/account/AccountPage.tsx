import { Badge, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../app/components/PageHeader';
import { RoleBadges } from '../admin/RoleBadges';
import { useCurrentMe } from '../session';
import { PasskeysSection } from './PasskeysSection';
import { StepUpCheckCard } from './StepUpCheckCard';
import { TotpSection } from './TotpSection';

function ProfileCard() {
  const { t } = useTranslation('identity');
  const me = useCurrentMe();
  return (
    <Card withBorder padding="lg">
      <Title order={4} mb="sm">
        {t('account.profile')}
      </Title>
      <Stack gap={6}>
        <Text fw={500}>{me.name}</Text>
        <Text size="sm" c="dimmed">
          {me.email}
        </Text>
        <Group gap={6}>
          <RoleBadges roles={me.roles} />
          {me.markets.map((market) => (
            <Badge key={market} variant="outline" color="gray">
              {market}
            </Badge>
          ))}
        </Group>
      </Stack>
    </Card>
  );
}

/** Profile and sign-in security: authenticator app, recovery codes, passkeys, and a step-up check. */
export function AccountPage() {
  const { t } = useTranslation('identity');
  return (
    <Stack data-testid="account-page">
      <PageHeader title={t('account.title')} description={t('account.description')} />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <ProfileCard />
        <StepUpCheckCard />
      </SimpleGrid>
      <TotpSection />
      <PasskeysSection />
    </Stack>
  );
}
