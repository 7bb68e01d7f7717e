import { Badge, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../../app/components/ConfirmButton';
import { PageHeader } from '../../../app/components/PageHeader';
import { QueryError, SectionLoader } from '../../../app/components/QueryState';
import { notifySuccess } from '../../../app/notify';
import { caseKeys, casesApi } from '../api';
import { casesAdminApi, casesAdminKeys } from './api';
import { type SlaEditing, SlaPolicyFormModal } from './SlaPolicyFormModal';
import { useBusinessHoursSummary, useDurationFormat } from './slaFormat';
import type { SlaPolicy } from './types';
import { useManageableMarkets } from './useManageableMarkets';

function PolicyRows({ policies, onEdit }: { policies: SlaPolicy[]; onEdit: (policy: SlaPolicy) => void }) {
  const { t } = useTranslation(['cases', 'common']);
  const queryClient = useQueryClient();
  const duration = useDurationFormat();
  const hoursSummary = useBusinessHoursSummary();
  const teams = useQuery({ queryKey: caseKeys.teams, queryFn: casesApi.teams, staleTime: 60_000 });
  const teamName = (id: string | null) => teams.data?.items.find((team) => team.id === id)?.name ?? '—';
  const remove = useMutation({
    mutationFn: (policy: SlaPolicy) => casesAdminApi.deleteSlaPolicy(policy.id),
    onSuccess: (_result, policy) => {
      notifySuccess(t('admin.sla.deleted', { name: policy.name }));
      return queryClient.invalidateQueries({ queryKey: casesAdminKeys.slaPolicies });
    },
  });

  return policies.map((policy) => (
    <Table.Tr
      key={policy.id}
      onClick={() => onEdit(policy)}
      style={{ cursor: 'pointer' }}
      data-testid="sla-row"
    >
      <Table.Td fw={500} miw={140}>
        {policy.name}
      </Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          <Badge variant="outline" size="sm" color={policy.priority ? 'blue' : 'gray'}>
            {policy.priority ? t(`priority.${policy.priority}`) : t('admin.sla.anyPriority')}
          </Badge>
          <Badge variant="outline" size="sm" color={policy.channel ? 'blue' : 'gray'}>
            {policy.channel ? t(`channel.${policy.channel}`) : t('admin.sla.anyChannel')}
          </Badge>
        </Group>
      </Table.Td>
      <Table.Td>{duration(policy.firstResponseMinutes)}</Table.Td>
      <Table.Td>{duration(policy.nextResponseMinutes)}</Table.Td>
      <Table.Td>{duration(policy.resolutionMinutes)}</Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        {hoursSummary(policy.businessHours).map((line) => (
          <Text key={line} size="sm">
            {line}
          </Text>
        ))}
        {policy.observeHolidays && (
          <Text size="xs" c="dimmed">
            {t('admin.sla.holidaysClosed')}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {t(`admin.sla.breach.${policy.onBreach}`)}
        {policy.onBreach === 'reassign' && (
          <Text size="xs" c="dimmed">
            → {teamName(policy.escalationTeamId)}
          </Text>
        )}
      </Table.Td>
      <Table.Td ta="right" onClick={(event) => event.stopPropagation()}>
        <ConfirmButton
          label={t('admin.delete')}
          question={t('admin.sla.deleteQuestion', { name: policy.name })}
          onConfirm={() => remove.mutate(policy)}
          loading={remove.isPending && remove.variables?.id === policy.id}
          data-testid="sla-delete"
        />
      </Table.Td>
    </Table.Tr>
  ));
}

/** Admin → SLA policies, one table per market. */
export function SlaPoliciesPage() {
  const { t } = useTranslation(['cases', 'common']);
  const [editing, setEditing] = useState<SlaEditing>(null);
  const markets = useManageableMarkets();
  const policies = useQuery({ queryKey: casesAdminKeys.slaPolicies, queryFn: casesAdminApi.slaPolicies });
  const items = policies.data?.items ?? [];
  const shownMarkets = [...new Set([...markets.map((market) => market.code), ...items.map((p) => p.market)])];
  const marketName = (code: string) => markets.find((market) => market.code === code)?.name ?? code;

  return (
    <>
      <PageHeader
        title={t('admin.sla.title')}
        description={t('admin.sla.description')}
        actions={
          <Button onClick={() => setEditing({ mode: 'create', market: null })} data-testid="sla-create">
            {t('admin.sla.create')}
          </Button>
        }
      />
      {policies.isPending && <SectionLoader />}
      {policies.error && <QueryError error={policies.error} onRetry={() => void policies.refetch()} />}
      {policies.data && (
        <Stack>
          {shownMarkets.map((market) => {
            const ofMarket = items.filter((policy) => policy.market === market);
            return (
              <Card key={market} withBorder padding={0} data-testid="sla-market-group" data-market={market}>
                <Group justify="space-between" px="md" py="sm">
                  <Title order={4}>
                    {marketName(market)} ({market})
                  </Title>
                  <Button size="xs" variant="light" onClick={() => setEditing({ mode: 'create', market })}>
                    {t('admin.sla.createFor', { market })}
                  </Button>
                </Group>
                {ofMarket.length === 0 ? (
                  <Text c="dimmed" size="sm" px="md" pb="md">
                    {t('admin.sla.noPolicy')}
                  </Text>
                ) : (
                  <Table.ScrollContainer minWidth={980}>
                    <Table highlightOnHover verticalSpacing="sm">
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th>{t('common:fields.name')}</Table.Th>
                          <Table.Th>{t('admin.sla.appliesTo')}</Table.Th>
                          <Table.Th>{t('sla.metric.first_response')}</Table.Th>
                          <Table.Th>{t('sla.metric.next_response')}</Table.Th>
                          <Table.Th>{t('sla.metric.resolution')}</Table.Th>
                          <Table.Th>{t('admin.sla.businessHours')}</Table.Th>
                          <Table.Th>{t('admin.sla.onBreachShort')}</Table.Th>
                          <Table.Th />
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        <PolicyRows
                          policies={ofMarket}
                          onEdit={(policy) => setEditing({ mode: 'edit', policy })}
                        />
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                )}
              </Card>
            );
          })}
        </Stack>
      )}
      <SlaPolicyFormModal editing={editing} onClose={() => setEditing(null)} />
    </>
  );
}
