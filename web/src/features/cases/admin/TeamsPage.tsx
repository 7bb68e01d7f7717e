import { Badge, Button, Card, Group, Table, Text } from '@mantine/core';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../app/components/PageHeader';
import { QueryError, SectionLoader } from '../../../app/components/QueryState';
import { caseKeys, casesApi } from '../api';
import { casesAdminApi, casesAdminKeys } from './api';
import { type TeamEditing, TeamFormModal } from './TeamFormModal';

/** Admin → Teams: the queues cases are routed to, their markets and members. */
export function TeamsPage() {
  const { t } = useTranslation(['cases', 'common']);
  const [editing, setEditing] = useState<TeamEditing>(null);
  const teams = useQuery({ queryKey: caseKeys.teams, queryFn: casesApi.teams });
  // The list has no members; a few teams make a few small requests.
  const members = useQueries({
    queries: (teams.data?.items ?? []).map((team) => ({
      queryKey: casesAdminKeys.team(team.id),
      queryFn: () => casesAdminApi.team(team.id),
    })),
    combine: (results) =>
      new Map(results.flatMap((result) => (result.data ? [[result.data.id, result.data.members]] : []))),
  });

  return (
    <>
      <PageHeader
        title={t('admin.teams.title')}
        description={t('admin.teams.description')}
        actions={
          <Button onClick={() => setEditing({ mode: 'create' })} data-testid="team-create">
            {t('admin.teams.create')}
          </Button>
        }
      />
      <Card withBorder padding={0}>
        {teams.isPending && <SectionLoader />}
        {teams.error && <QueryError error={teams.error} onRetry={() => void teams.refetch()} />}
        {teams.data && teams.data.items.length > 0 && (
          <Table highlightOnHover verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('common:fields.name')}</Table.Th>
                <Table.Th>{t('admin.teams.markets')}</Table.Th>
                <Table.Th>{t('admin.teams.members')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {teams.data.items.map((team) => (
                <Table.Tr
                  key={team.id}
                  onClick={() => setEditing({ mode: 'edit', teamId: team.id })}
                  style={{ cursor: 'pointer' }}
                  data-testid="team-row"
                >
                  <Table.Td fw={500}>{team.name}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {team.markets.map((market) => (
                        <Badge key={market} variant="outline" color="gray" size="sm">
                          {market}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={2}>
                      {members
                        .get(team.id)
                        ?.map((member) => member.name)
                        .join(', ') || '—'}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {teams.data?.items.length === 0 && (
          <Text c="dimmed" ta="center" py="xl">
            {t('admin.teams.empty')}
          </Text>
        )}
      </Card>
      <TeamFormModal editing={editing} onClose={() => setEditing(null)} />
    </>
  );
}
