import { Anchor, Badge, Breadcrumbs, Card, Group, SimpleGrid, Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { isApiError } from '../../app/api/client';
import { QueryError, SectionLoader } from '../../app/components/QueryState';
import { NotFound } from '../../app/pages/NotFound';
import { NewCaseButton } from '../cases/new/NewCaseButton';
import { useCurrentMe } from '../identity/session';
import { can } from '../identity/types';
import { customerKeys, customersApi } from './api';
import { ConsentsCard } from './components/ConsentsCard';
import { ContactsCard } from './components/ContactsCard';
import { CustomerCasesCard } from './components/CustomerCasesCard';
import { ProfileCard } from './components/ProfileCard';
import { VehiclesTable } from './components/VehiclesTable';

/** Everything about one customer on one page: profile, contacts, cases, vehicles, consents. */
export function Customer360Page() {
  const { t } = useTranslation('customers');
  const { customerId = '' } = useParams();
  const me = useCurrentMe();
  const view = useQuery({
    queryKey: customerKeys.detail(customerId),
    queryFn: () => customersApi.get(customerId),
  });

  if (view.isPending) return <SectionLoader />;
  if (isApiError(view.error) && view.error.status === 404) return <NotFound />;
  if (view.error) return <QueryError error={view.error} onRetry={() => void view.refetch()} />;
  const { customer, vehicles } = view.data;
  const primaryEmail = (customer.emails.find((email) => email.primary) ?? customer.emails[0])?.address ?? '';

  return (
    <Stack data-testid="customer-360">
      <Breadcrumbs>
        <Anchor component={Link} to="/agent/customers" size="sm">
          {t('list.title')}
        </Anchor>
        <span>{customer.name}</span>
      </Breadcrumbs>
      <Group justify="space-between">
        <Group gap="sm">
          <Title order={2} data-testid="customer-name">
            {customer.name}
          </Title>
          <Badge variant="outline" color="gray">
            {customer.market}
          </Badge>
        </Group>
        <NewCaseButton
          customer={{ id: customer.id, name: customer.name, email: primaryEmail, market: customer.market }}
        />
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <ProfileCard customer={customer} />
        <ContactsCard customer={customer} />
      </SimpleGrid>
      {can(me, 'cases:read') && <CustomerCasesCard customerId={customer.id} />}
      <Card withBorder padding="lg">
        <Title order={4} mb="sm">
          {t('vehicles.title', { count: vehicles.length })}
        </Title>
        <VehiclesTable vehicles={vehicles} />
      </Card>
      <ConsentsCard consents={customer.consents} />
    </Stack>
  );
}
