import { Anchor, Button, Card, SegmentedControl, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../app/components/PageHeader';
import { QueryError, SectionLoader } from '../../app/components/QueryState';
import { useFormatters } from '../../app/language';
import { notifySuccess } from '../../app/notify';
import { type InboundStatus, platformApi, platformKeys } from './api';

/** Incoming mail that did not become a case message: reason, raw download, process again. */
export function QuarantinePage() {
  const { t } = useTranslation(['platform', 'common']);
  const format = useFormatters();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<InboundStatus>('quarantined');
  const mails = useQuery({
    queryKey: platformKeys.quarantine(status),
    queryFn: () => platformApi.quarantine(status),
  });
  const reprocess = useMutation({
    mutationFn: platformApi.reprocess,
    onSuccess: () => {
      notifySuccess(t('quarantine.reprocessed'));
      return queryClient.invalidateQueries({ queryKey: ['channels', 'quarantine'] });
    },
  });

  return (
    <>
      <PageHeader
        title={t('quarantine.title')}
        description={t('quarantine.description')}
        actions={
          <SegmentedControl
            value={status}
            onChange={(value) => setStatus(value as InboundStatus)}
            data={[
              { value: 'quarantined', label: t('quarantine.states.quarantined') },
              { value: 'ignored', label: t('quarantine.states.ignored') },
            ]}
            data-testid="quarantine-status"
          />
        }
      />
      <Card withBorder padding={0}>
        {mails.isPending && <SectionLoader />}
        {mails.error && <QueryError error={mails.error} onRetry={() => void mails.refetch()} />}
        {mails.data && mails.data.items.length === 0 && (
          <Text p="lg" c="dimmed">
            {t('quarantine.empty')}
          </Text>
        )}
        {mails.data && mails.data.items.length > 0 && (
          <Table.ScrollContainer minWidth={800}>
            <Table verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('quarantine.receivedAt')}</Table.Th>
                  <Table.Th>{t('quarantine.mailbox')}</Table.Th>
                  <Table.Th>{t('quarantine.reason')}</Table.Th>
                  <Table.Th>{t('quarantine.size')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {mails.data.items.map((mail) => (
                  <Table.Tr key={mail.id} data-testid="quarantine-row">
                    <Table.Td>{format.dateTime(mail.receivedAt)}</Table.Td>
                    <Table.Td>{mail.mailbox}</Table.Td>
                    <Table.Td maw={420}>
                      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                        {mail.reasonText ?? mail.reason ?? '—'}
                      </Text>
                      {mail.reason && mail.reasonText !== mail.reason && (
                        <Text
                          size="xs"
                          c="dimmed"
                          ff="monospace"
                          mt={4}
                          data-testid="quarantine-reason-stored"
                        >
                          {mail.reason}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{Math.ceil(mail.size / 1024)} KB</Table.Td>
                    <Table.Td ta="right">
                      <Anchor href={`/api/channels/quarantine/${mail.id}/raw`} size="sm" mr="md">
                        {t('quarantine.download')}
                      </Anchor>
                      <Button
                        size="xs"
                        variant="light"
                        loading={reprocess.isPending && reprocess.variables === mail.id}
                        onClick={() => reprocess.mutate(mail.id)}
                        data-testid="quarantine-reprocess"
                      >
                        {t('quarantine.reprocess')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
    </>
  );
}
