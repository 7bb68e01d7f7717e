import { Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormatters } from '../../../app/language';
import type { Vehicle } from '../api';

/** Vehicles of one customer; used by the customer 360 and by the owner portal. */
export function VehiclesTable({ vehicles }: { vehicles: Vehicle[] }) {
  const { t } = useTranslation('customers');
  const format = useFormatters();
  if (vehicles.length === 0) {
    return (
      <Text c="dimmed" size="sm" data-testid="vehicles-empty">
        {t('vehicles.none')}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table verticalSpacing="sm" data-testid="vehicles-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('vehicles.model')}</Table.Th>
            <Table.Th>{t('vehicles.vin')}</Table.Th>
            <Table.Th>{t('vehicles.modelYear')}</Table.Th>
            <Table.Th>{t('vehicles.market')}</Table.Th>
            <Table.Th>{t('vehicles.software')}</Table.Th>
            <Table.Th>{t('vehicles.firstRegistration')}</Table.Th>
            <Table.Th>{t('vehicles.ownedSince')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {vehicles.map((vehicle) => (
            <Table.Tr key={vehicle.id} data-testid="vehicle-row">
              <Table.Td fw={500}>{vehicle.model}</Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace" data-testid="vehicle-vin">
                  {vehicle.vin}
                </Text>
              </Table.Td>
              <Table.Td>{vehicle.modelYear}</Table.Td>
              <Table.Td>{vehicle.market}</Table.Td>
              <Table.Td>{vehicle.softwareVersion ?? '—'}</Table.Td>
              <Table.Td>{format.date(vehicle.firstRegistration)}</Table.Td>
              <Table.Td>{format.date(vehicle.ownedSince)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
