import { Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormatters } from '../../../app/language';
import type { Customer360 } from '../api';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm">{children}</Text>
    </Stack>
  );
}

/** Who the customer is: names, market, language, customer since. */
export function ProfileCard({ customer }: { customer: Customer360['customer'] }) {
  const { t } = useTranslation(['customers', 'common']);
  const format = useFormatters();
  return (
    <Card withBorder padding="lg" data-testid="customer-profile">
      <Title order={4} mb="sm">
        {t('profile.title')}
      </Title>
      <SimpleGrid cols={2} spacing="md">
        <Field label={t('profile.firstName')}>{customer.firstName || '—'}</Field>
        <Field label={t('profile.lastName')}>{customer.lastName || '—'}</Field>
        <Field label={t('common:fields.market')}>{customer.market}</Field>
        <Field label={t('common:fields.language')}>{t(`common:language.names.${customer.language}`)}</Field>
        <Field label={t('profile.customerSince')}>{format.date(customer.createdAt)}</Field>
      </SimpleGrid>
    </Card>
  );
}
