import { Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { QueryError, SectionLoader } from '../../app/components/QueryState';
import { customerKeys, customersApi } from '../customers/api';
import { ContactsCard } from '../customers/components/ContactsCard';
import { ProfileCard } from '../customers/components/ProfileCard';
import { VehiclesTable } from '../customers/components/VehiclesTable';
import { PortalCasesCard } from './cases/PortalCasesCard';

/** The owner's start page: a greeting, their requests, their cars and their profile. */
export function PortalHomePage() {
  const { t } = useTranslation('portal');
  const mine = useQuery({ queryKey: customerKeys.mine, queryFn: customersApi.mine });

  return (
    <Stack data-testid="portal-home">
      {mine.isPending && <SectionLoader />}
      {mine.error && <QueryError error={mine.error} onRetry={() => void mine.refetch()} />}
      {mine.data && (
        <>
          <Stack gap={4}>
            <Title order={2} data-testid="portal-greeting">
              {t('home.greeting', { name: mine.data.customer.firstName || mine.data.customer.name })}
            </Title>
            <Text c="dimmed">{t('home.intro')}</Text>
          </Stack>
          <PortalCasesCard />
          <Card withBorder padding="lg">
            <Title order={4} mb="sm">
              {t('home.vehicles', { count: mine.data.vehicles.length })}
            </Title>
            <VehiclesTable vehicles={mine.data.vehicles} />
          </Card>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <ProfileCard customer={mine.data.customer} />
            <ContactsCard customer={mine.data.customer} />
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}
