import { Button, Card, Code, Group, SegmentedControl, Spoiler, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../app/components/PageHeader';
import { QueryError, SectionLoader } from '../../app/components/QueryState';
import { useFormatters } from '../../app/language';
import { notifySuccess } from '../../app/notify';
import { type JobState, platformApi, platformKeys } from './api';

/** Background jobs that failed (or still wait), with their last error and a retry. */
export function FailedJobsPage() {
  const { t } = useTranslation(['platform', 'common']);
  const format = useFormatters();
  const queryClient = useQueryClient();
  const [state, setState] = useState<JobState>('failed');
  const jobs = useQuery({ queryKey: platformKeys.jobs(state), queryFn: () => platformApi.jobs(state) });
  const retry = useMutation({
    mutationFn: platformApi.retryJob,
    onSuccess: () => {
      notifySuccess(t('jobs.retried'));
      return queryClient.invalidateQueries({ queryKey: platformKeys.allJobs });
    },
  });

  return (
    <>
      <PageHeader
        title={t('jobs.title')}
        description={t('jobs.description')}
        actions={
          <SegmentedControl
            value={state}
            onChange={(value) => setState(value as JobState)}
            data={[
              { value: 'failed', label: t('jobs.states.failed') },
              { value: 'pending', label: t('jobs.states.pending') },
            ]}
            data-testid="jobs-state"
          />
        }
      />
      <Card withBorder padding={0}>
        {jobs.isPending && <SectionLoader />}
        {jobs.error && <QueryError error={jobs.error} onRetry={() => void jobs.refetch()} />}
        {jobs.data && jobs.data.items.length > 0 && (
          <Table.ScrollContainer minWidth={900}>
            <Table verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('jobs.task')}</Table.Th>
                  <Table.Th>{t('jobs.attempts')}</Table.Th>
                  <Table.Th>{t('jobs.lastError')}</Table.Th>
                  <Table.Th>{t('jobs.runAt')}</Table.Th>
                  <Table.Th>{t('common:fields.createdAt')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {jobs.data.items.map((job) => (
                  <Table.Tr key={job.id} data-testid="job-row">
                    <Table.Td>
                      <Code>{job.task}</Code>
                    </Table.Td>
                    <Table.Td>
                      {job.attempts} / {job.maxAttempts}
                    </Table.Td>
                    <Table.Td maw={420}>
                      <Spoiler maxHeight={48} showLabel={t('jobs.more')} hideLabel={t('jobs.less')}>
                        <Text
                          size="xs"
                          ff="monospace"
                          c={job.lastError ? 'red' : 'dimmed'}
                          style={{ whiteSpace: 'pre-wrap' }}
                        >
                          {job.lastError ?? '—'}
                        </Text>
                        <Text size="xs" c="dimmed" mt="xs">
                          {t('jobs.payload')}
                        </Text>
                        <Code block>{JSON.stringify(job.payload, null, 2)}</Code>
                      </Spoiler>
                    </Table.Td>
                    <Table.Td>{format.dateTime(job.runAt)}</Table.Td>
                    <Table.Td>{format.dateTime(job.createdAt)}</Table.Td>
                    <Table.Td ta="right">
                      <Button
                        size="xs"
                        variant="light"
                        onClick={() => retry.mutate(job.id)}
                        loading={retry.isPending && retry.variables === job.id}
                        data-testid="job-retry"
                      >
                        {t('jobs.retry')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {jobs.data?.items.length === 0 && (
          <Group justify="center" py="xl">
            <Text c="dimmed">{t('jobs.none')}</Text>
          </Group>
        )}
      </Card>
    </>
  );
}
