import { Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Customer360 } from '../api';

/** Email addresses (primary, verified) and phone numbers. */
export function ContactsCard({ customer }: { customer: Customer360['customer'] }) {
  const { t } = useTranslation('customers');
  return (
    <Card withBorder padding="lg" data-testid="customer-contacts">
      <Title order={4} mb="sm">
        {t('contacts.title')}
      </Title>
      <Stack gap="md">
        <Stack gap={6}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {t('contacts.emails')}
          </Text>
          {customer.emails.length === 0 && <Text size="sm">—</Text>}
          {customer.emails.map((email) => (
            <Group key={email.address} gap="xs" data-testid="customer-email">
              <Text size="sm">{email.address}</Text>
              {email.primary && (
                <Badge size="xs" variant="light">
                  {t('contacts.primary')}
                </Badge>
              )}
              <Badge size="xs" variant="outline" color={email.verified ? 'teal' : 'gray'}>
                {email.verified ? t('contacts.verified') : t('contacts.unverified')}
              </Badge>
            </Group>
          ))}
        </Stack>
        <Stack gap={6}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {t('contacts.phones')}
          </Text>
          {customer.phones.length === 0 && <Text size="sm">—</Text>}
          {customer.phones.map((phone) => (
            <Text key={phone} size="sm" data-testid="customer-phone">
              {phone}
            </Text>
          ))}
        </Stack>
      </Stack>
    </Card>
  );
}
