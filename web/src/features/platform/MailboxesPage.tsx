import { Badge, Button, Card, Group, Modal, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../app/components/PageHeader';
import { QueryError, SectionLoader } from '../../app/components/QueryState';
import { useFormatters } from '../../app/language';
import { notifySuccess } from '../../app/notify';
import { type Mailbox, platformApi, platformKeys } from './api';
import { MailboxEditModal } from './MailboxEditModal';
import {
  MailboxFormModal,
  type MailboxKind,
  MailboxPasswordModal,
  TestResultAlert,
} from './MailboxFormModal';

function MailboxStatus({ mailbox }: { mailbox: Mailbox }) {
  const { t } = useTranslation('platform');
  const format = useFormatters();
  if (!mailbox.enabled)
    return (
      <Badge color="gray" variant="light">
        {t('mailboxes.status.disabled')}
      </Badge>
    );
  if (mailbox.kind === 'smtp')
    return (
      <Badge color="teal" variant="light">
        {t('mailboxes.status.receiving')}
      </Badge>
    );
  if (mailbox.lastPollError)
    return (
      <Stack gap={2}>
        <Badge color="red" variant="light">
          {t('mailboxes.status.error')}
        </Badge>
        <Text size="xs" c="red" maw={260} lineClamp={3} title={mailbox.lastPollError}>
          {mailbox.lastPollError}
        </Text>
      </Stack>
    );
  return (
    <Stack gap={2}>
      <Badge color={mailbox.lastPolledAt ? 'teal' : 'yellow'} variant="light">
        {mailbox.lastPolledAt ? t('mailboxes.status.polling') : t('mailboxes.status.waiting')}
      </Badge>
      {mailbox.lastPolledAt && (
        <Text size="xs" c="dimmed">
          {t('mailboxes.lastPolled', { when: format.dateTime(mailbox.lastPolledAt) })}
        </Text>
      )}
    </Stack>
  );
}

function Connection({ mailbox }: { mailbox: Mailbox }) {
  const { t } = useTranslation('platform');
  if (!mailbox.imap)
    return (
      <Text size="sm" c="dimmed">
        {t('mailboxes.builtInReceiver')}
      </Text>
    );
  const { host, port, secure, user, folder } = mailbox.imap;
  return (
    <Stack gap={0}>
      <Text size="sm">
        {user} @ {host}:{port}
      </Text>
      <Text size="xs" c="dimmed">
        {secure ? t('mailboxes.tlsOn') : t('mailboxes.tlsOff')} · {t('mailboxes.folderLabel', { folder })}
      </Text>
    </Stack>
  );
}

/** Admin → Mailboxes: the addresses Pitwall receives for and the IMAP mailboxes it polls. */
export function MailboxesPage() {
  const { t } = useTranslation(['platform', 'common']);
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState<MailboxKind | null>(null);
  const [passwordFor, setPasswordFor] = useState<Mailbox | null>(null);
  const [editing, setEditing] = useState<Mailbox | null>(null);
  const mailboxes = useQuery({ queryKey: platformKeys.mailboxes, queryFn: platformApi.mailboxes });
  const toggle = useMutation({
    mutationFn: (mailbox: Mailbox) => platformApi.updateMailbox(mailbox.id, { enabled: !mailbox.enabled }),
    onSuccess: (mailbox) => {
      notifySuccess(
        mailbox.enabled
          ? t('mailboxes.enabledNotice', { address: mailbox.address })
          : t('mailboxes.disabledNotice', { address: mailbox.address }),
      );
      return queryClient.invalidateQueries({ queryKey: platformKeys.mailboxes });
    },
  });
  const test = useMutation({ mutationFn: (mailbox: Mailbox) => platformApi.testMailbox(mailbox.id) });

  return (
    <>
      <PageHeader
        title={t('mailboxes.title')}
        description={t('mailboxes.description')}
        actions={
          <>
            <Button variant="light" onClick={() => setAdding('imap')} data-testid="mailbox-add-imap">
              {t('mailboxes.addImap')}
            </Button>
            <Button onClick={() => setAdding('smtp')} data-testid="mailbox-add-smtp">
              {t('mailboxes.addSmtp')}
            </Button>
          </>
        }
      />
      <Card withBorder padding={0}>
        {mailboxes.isPending && <SectionLoader />}
        {mailboxes.error && <QueryError error={mailboxes.error} onRetry={() => void mailboxes.refetch()} />}
        {mailboxes.data && mailboxes.data.items.length === 0 && (
          <Text p="lg" c="dimmed">
            {t('mailboxes.empty')}
          </Text>
        )}
        {mailboxes.data && mailboxes.data.items.length > 0 && (
          <Table.ScrollContainer minWidth={900}>
            <Table verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('mailboxes.address')}</Table.Th>
                  <Table.Th>{t('common:fields.market')}</Table.Th>
                  <Table.Th>{t('common:fields.language')}</Table.Th>
                  <Table.Th>{t('mailboxes.connection')}</Table.Th>
                  <Table.Th>{t('common:fields.status')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {mailboxes.data.items.map((mailbox) => (
                  <Table.Tr key={mailbox.id} data-testid="mailbox-row" data-address={mailbox.address}>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Text size="sm" fw={500} c={mailbox.enabled ? undefined : 'dimmed'}>
                          {mailbox.address}
                        </Text>
                        <Badge
                          size="xs"
                          variant="outline"
                          color={mailbox.kind === 'imap' ? 'indigo' : 'gray'}
                        >
                          {t(`mailboxes.kinds.${mailbox.kind}`)}
                        </Badge>
                      </Group>
                    </Table.Td>
                    <Table.Td>{mailbox.market}</Table.Td>
                    <Table.Td>{t(`common:language.names.${mailbox.language}`)}</Table.Td>
                    <Table.Td>
                      <Connection mailbox={mailbox} />
                    </Table.Td>
                    <Table.Td>
                      <MailboxStatus mailbox={mailbox} />
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} justify="flex-end">
                        <Button
                          size="xs"
                          variant="subtle"
                          onClick={() => setEditing(mailbox)}
                          data-testid="mailbox-row-edit"
                        >
                          {t('mailboxes.edit')}
                        </Button>
                        {mailbox.kind === 'imap' && (
                          <>
                            <Tooltip label={t('mailboxes.test.hint')}>
                              <Button
                                size="xs"
                                variant="subtle"
                                loading={test.isPending && test.variables?.id === mailbox.id}
                                onClick={() => test.mutate(mailbox)}
                                data-testid="mailbox-row-test"
                              >
                                {t('mailboxes.test.action')}
                              </Button>
                            </Tooltip>
                            <Button
                              size="xs"
                              variant="subtle"
                              onClick={() => setPasswordFor(mailbox)}
                              data-testid="mailbox-row-password"
                            >
                              {t('mailboxes.changePassword')}
                            </Button>
                          </>
                        )}
                        <Button
                          size="xs"
                          variant="light"
                          color={mailbox.enabled ? 'red' : 'teal'}
                          loading={toggle.isPending && toggle.variables?.id === mailbox.id}
                          onClick={() => toggle.mutate(mailbox)}
                          data-testid="mailbox-row-toggle"
                        >
                          {mailbox.enabled ? t('mailboxes.disable') : t('mailboxes.enable')}
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      <Text size="xs" c="dimmed" mt="sm">
        {t('mailboxes.footnote')}
      </Text>
      <MailboxFormModal kind={adding} onClose={() => setAdding(null)} />
      <MailboxEditModal mailbox={editing} onClose={() => setEditing(null)} />
      <MailboxPasswordModal
        mailboxId={passwordFor?.id ?? null}
        address={passwordFor?.address ?? ''}
        onClose={() => setPasswordFor(null)}
      />
      <Modal
        opened={!!test.data}
        onClose={() => test.reset()}
        title={t('mailboxes.test.title', { address: test.variables?.address ?? '' })}
      >
        {test.data && <TestResultAlert result={test.data} />}
      </Modal>
    </>
  );
}
