import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notifySuccess } from '../../app/notify';
import {
  type Mailbox,
  type MailboxChange,
  type MailboxConnectionChange,
  platformApi,
  platformKeys,
} from './api';
import {
  FolderField,
  folderOrInbox,
  type ImapServer,
  ImapServerFields,
  imapServerComplete,
  type MarketLanguage,
  MarketLanguageFields,
} from './MailboxFields';

interface Draft extends MarketLanguage, ImapServer {
  /** Kept in the draft so the fields stay while the dialog fades out. */
  isImap: boolean;
  folder: string;
}

const draftOf = (mailbox: Mailbox): Draft => ({
  isImap: mailbox.kind === 'imap',
  market: mailbox.market,
  language: mailbox.language,
  host: mailbox.imap?.host ?? '',
  port: mailbox.imap?.port ?? 993,
  secure: mailbox.imap?.secure ?? true,
  user: mailbox.imap?.user ?? '',
  folder: mailbox.imap?.folder ?? 'INBOX',
});

/** Only what the admin changed: the API takes partial changes and audits them as such. */
function changesOf(mailbox: Mailbox, draft: Draft) {
  const settings: MailboxChange = {};
  if (draft.market && draft.market !== mailbox.market) settings.market = draft.market;
  if (draft.language !== mailbox.language) settings.language = draft.language;
  const connection: MailboxConnectionChange = {};
  const imap = mailbox.imap;
  if (imap) {
    const folder = folderOrInbox(draft.folder);
    if (folder !== imap.folder) settings.folder = folder;
    const host = draft.host.trim();
    if (host !== imap.host) connection.host = host;
    if (draft.port !== imap.port) connection.port = draft.port;
    if (draft.secure !== imap.secure) connection.secure = draft.secure;
    if (draft.user !== imap.user) connection.user = draft.user;
  }
  return {
    settings: Object.keys(settings).length > 0 ? settings : null,
    connection: Object.keys(connection).length > 0 ? connection : null,
  };
}

/**
 * Changes a mailbox's market, language and folder, and an IMAP mailbox's server and user. The
 * address stays (received mail refers to it); the password has its own dialog.
 */
export function MailboxEditModal({ mailbox, onClose }: { mailbox: Mailbox | null; onClose: () => void }) {
  const { t } = useTranslation(['platform', 'common']);
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft | null>(null);
  const update = (next: Partial<Draft>) => setDraft((current) => current && { ...current, ...next });

  const save = useMutation({
    mutationFn: async ({ target, changes }: { target: Mailbox; changes: ReturnType<typeof changesOf> }) => {
      // The connection first: it may ask for a step-up, and cancelling that should save nothing.
      let saved = target;
      try {
        if (changes.connection)
          saved = await platformApi.changeMailboxConnection(target.id, changes.connection);
        if (changes.settings) saved = await platformApi.updateMailbox(target.id, changes.settings);
      } finally {
        // Also after a failure: the connection may be saved even though the settings were not.
        void queryClient.invalidateQueries({ queryKey: platformKeys.mailboxes });
      }
      return saved;
    },
    onSuccess: (saved) => {
      notifySuccess(t('mailboxes.edited', { address: saved.address }));
      onClose();
    },
    meta: { silent: true },
  });
  const { reset } = save;
  useEffect(() => {
    if (!mailbox) return;
    setDraft(draftOf(mailbox));
    reset();
  }, [mailbox, reset]);

  const changes = mailbox && draft ? changesOf(mailbox, draft) : null;
  const complete = !!draft?.market && (!draft.isImap || imapServerComplete(draft));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (mailbox && changes) save.mutate({ target: mailbox, changes });
  };

  return (
    <Modal
      opened={!!mailbox}
      onClose={onClose}
      title={t('mailboxes.editTitle', { address: mailbox?.address ?? '' })}
      size="lg"
    >
      {draft && (
        <form onSubmit={submit} data-testid="mailbox-edit-form">
          <Stack>
            {save.error && (
              <Alert color="red" title={t('common:errors.title')} data-testid="mailbox-edit-error">
                {save.error.message}
              </Alert>
            )}
            <MarketLanguageFields value={draft} onChange={update} keepMarket={mailbox?.market} />
            {draft.isImap && (
              <>
                <FolderField value={draft.folder} onChange={(folder) => update({ folder })} />
                <ImapServerFields value={draft} onChange={update} />
                <Text size="xs" c="dimmed">
                  {t('mailboxes.editConnectionHint')}
                </Text>
              </>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('common:actions.cancel')}
              </Button>
              <Button
                type="submit"
                loading={save.isPending}
                disabled={!complete || !(changes?.settings || changes?.connection)}
                data-testid="mailbox-edit-save"
              >
                {t('common:actions.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
