import { Button, Card, Code, Group, Table, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../app/components/PageHeader';
import { QueryError, SectionLoader } from '../../../app/components/QueryState';
import { useFormatters } from '../../../app/language';
import { identityApi, identityKeys } from '../api';
import type { AuditEntry, AuditFilters } from '../types';
import { AuditFiltersForm } from './AuditFiltersForm';

function ChangeDetails({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation('identity');
  return (
    <Group align="flex-start" grow>
      {(['before', 'after'] as const).map((side) => (
        <div key={side}>
          <Text size="xs" c="dimmed" mb={4}>
            {t(`audit.${side}`)}
          </Text>
          <Code block>
            {entry[side] === null || entry[side] === undefined ? '—' : JSON.stringify(entry[side], null, 2)}
          </Code>
        </div>
      ))}
    </Group>
  );
}

export function AuditLogPage() {
  const { t } = useTranslation(['identity', 'common']);
  const format = useFormatters();
  const [filters, setFilters] = useState<AuditFilters>({});
  const [expanded, setExpanded] = useState<string | null>(null);
  const audit = useInfiniteQuery({
    queryKey: identityKeys.audit(filters),
    queryFn: ({ pageParam }) => identityApi.audit(filters, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextBefore ?? undefined,
  });
  const entries = audit.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <PageHeader title={t('audit.title')} description={t('audit.description')} />
      <AuditFiltersForm onApply={setFilters} />
      <Card withBorder padding={0}>
        {audit.isPending && <SectionLoader />}
        {audit.error && <QueryError error={audit.error} onRetry={() => void audit.refetch()} />}
        {audit.data && (
          <Table.ScrollContainer minWidth={900}>
            <Table verticalSpacing="xs" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('audit.at')}</Table.Th>
                  <Table.Th>{t('audit.actor')}</Table.Th>
                  <Table.Th>{t('audit.action')}</Table.Th>
                  <Table.Th>{t('audit.entity')}</Table.Th>
                  <Table.Th>{t('audit.requestId')}</Table.Th>
                  <Table.Th>{t('audit.ip')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {entries.map((entry) => (
                  <Fragment key={entry.id}>
                    <Table.Tr
                      onClick={() => setExpanded(expanded === entry.id ? null : entry.id)}
                      style={{ cursor: 'pointer' }}
                      data-testid="audit-row"
                    >
                      <Table.Td>{format.dateTime(entry.at)}</Table.Td>
                      <Table.Td>{entry.actorLabel ?? entry.actorId ?? '—'}</Table.Td>
                      <Table.Td>
                        <Code>{entry.action}</Code>
                      </Table.Td>
                      <Table.Td>
                        {entry.entityType}
                        {entry.entityId && (
                          <Text span size="xs" c="dimmed">
                            {' '}
                            {entry.entityId}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs" ff="monospace">
                          {entry.requestId ?? '—'}
                        </Text>
                      </Table.Td>
                      <Table.Td>{entry.ip ?? '—'}</Table.Td>
                    </Table.Tr>
                    {expanded === entry.id && (
                      <Table.Tr>
                        <Table.Td colSpan={6} bg="gray.0">
                          <ChangeDetails entry={entry} />
                        </Table.Td>
                      </Table.Tr>
                    )}
                  </Fragment>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {audit.data && entries.length === 0 && (
          <Text c="dimmed" ta="center" py="xl">
            {t('common:list.empty')}
          </Text>
        )}
      </Card>
      {audit.hasNextPage && (
        <Group justify="center" mt="md">
          <Button
            variant="default"
            onClick={() => void audit.fetchNextPage()}
            loading={audit.isFetchingNextPage}
          >
            {t('common:list.loadMore')}
          </Button>
        </Group>
      )}
    </>
  );
}
