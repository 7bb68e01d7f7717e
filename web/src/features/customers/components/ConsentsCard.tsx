import { Badge, Card, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormatters } from '../../../app/language';
import type { Consent } from '../api';

/** Marketing and data consents with the date of their last change. */
export function ConsentsCard({ consents }: { consents: Consent[] }) {
  const { t } = useTranslation('customers');
  const format = useFormatters();
  return (
    <Card withBorder padding="lg" data-testid="customer-consents">
      <Title order={4} mb="sm">
        {t('consents.title')}
      </Title>
      {consents.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('consents.none')}
        </Text>
      ) : (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('consents.purpose')}</Table.Th>
              <Table.Th>{t('consents.state')}</Table.Th>
              <Table.Th>{t('consents.changedAt')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {consents.map((consent) => (
              <Table.Tr key={consent.purpose} data-testid="consent-row">
                <Table.Td>
                  {t(`consents.purposes.${consent.purpose}`, { defaultValue: consent.purpose })}
                </Table.Td>
                <Table.Td>
                  <Badge color={consent.granted ? 'teal' : 'gray'} variant="light">
                    {consent.granted ? t('consents.granted') : t('consents.withdrawn')}
                  </Badge>
                </Table.Td>
                <Table.Td>{format.dateTime(consent.changedAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
