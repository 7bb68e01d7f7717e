import { Anchor, Card, Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormatters } from '../../../app/language';
import { SlaBadge } from '../components/Badges';
import type { CaseDetail } from '../types';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" ta="right">
        {children}
      </Text>
    </Group>
  );
}

/** Who the case is about: the customer (to their 360) and the vehicle. */
export function CustomerCard({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation(['cases', 'common']);
  const format = useFormatters();
  return (
    <Card withBorder padding="md" data-testid="case-customer">
      <Title order={5} mb="xs">
        {t('customer.title')}
      </Title>
      <Stack gap={6}>
        <Anchor
          component={Link}
          to={`/agent/customers/${encodeURIComponent(detail.customer.id)}`}
          fw={600}
          data-testid="case-customer-link"
        >
          {detail.customer.name}
        </Anchor>
        <Field label={t('customer.vehicle')}>
          {detail.vehicle ? (
            <>
              {detail.vehicle.model}{' '}
              <Text span size="xs" ff="monospace" data-testid="case-vehicle-vin">
                {detail.vehicle.vin}
              </Text>
            </>
          ) : (
            t('customer.noVehicle')
          )}
        </Field>
        <Field label={t('common:fields.market')}>{detail.market}</Field>
        <Field label={t('case.channel')}>{t(`channel.${detail.channel}`)}</Field>
        <Field label={t('common:fields.createdAt')}>{format.dateTime(detail.createdAt)}</Field>
        <Field label={t('case.lastCustomerMessage')}>{format.dateTime(detail.lastCustomerMessageAt)}</Field>
      </Stack>
    </Card>
  );
}

/** The service level that applies now: which clock runs, when it is due, when it broke. */
export function SlaCard({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation('cases');
  const format = useFormatters();
  const { sla } = detail;
  return (
    <Card withBorder padding="md" data-testid="case-sla-panel" data-state={sla.state}>
      <Group justify="space-between" mb="xs">
        <Title order={5}>{t('sla.title')}</Title>
        <SlaBadge sla={sla} />
      </Group>
      {sla.state === 'none' ? (
        <Text size="sm" c="dimmed">
          {t('sla.none')}
        </Text>
      ) : (
        <Stack gap={6}>
          <Field label={t('sla.stateLabel')}>{t(`sla.state.${sla.state}`)}</Field>
          {sla.metric && <Field label={t('sla.metricLabel')}>{t(`sla.metric.${sla.metric}`)}</Field>}
          <Field label={t('sla.due')}>{format.dateTime(sla.dueAt)}</Field>
          {sla.breachedAt && <Field label={t('sla.breachedAt')}>{format.dateTime(sla.breachedAt)}</Field>}
        </Stack>
      )}
    </Card>
  );
}
