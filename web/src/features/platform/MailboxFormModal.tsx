import {
  Alert,
  Button,
  Group,
  Modal,
  PasswordInput,
  SegmentedControl,
  Stack,
  TextInput,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notifySuccess } from '../../app/notify';
import { type ImapTestResult, platformApi, platformKeys } from './api';
import {
  FolderField,
  folderOrInbox,
  ImapServerFields,
  imapServerComplete,
  type MailboxLanguage,
  MarketLanguageFields,
} from './MailboxFields';

export type MailboxKind = 'smtp' | 'imap';

interface Draft {
  kind: MailboxKind;
  address: string;
  market: string | null;
  language: MailboxLanguage;
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
  folder: string;
}

const emptyDraft = (kind: MailboxKind): Draft => ({
  kind,
  address: '',
  market: null,
  language: 'de',
  host: '',
  port: 993,
  secure: true,
  user: '',
  password: '',
  folder: 'INBOX',
});

export function TestResultAlert({ result }: { result: ImapTestResult }) {
  const { t } = useTranslation('platform');
  return (
    <Alert
      color={result.ok ? 'teal' : 'red'}
      title={result.ok ? t('mailboxes.test.ok') : t('mailboxes.test.failed')}
      data-testid="mailbox-test-result"
    >
      {result.message}
    </Alert>
  );
}

/** Adds an address for the built-in SMTP receiver or an IMAP mailbox to poll. */
export function MailboxFormModal({ kind, onClose }: { kind: MailboxKind | null; onClose: () => void }) {
  const { t } = useTranslation(['platform', 'common']);
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(emptyDraft('smtp'));
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) =>
    setDraft((current) => ({ ...current, [key]: value }));

  const imapSettings = () => ({
    host: draft.host.trim(),
    port: draft.port,
    secure: draft.secure,
    user: draft.user,
    password: draft.password,
    folder: folderOrInbox(draft.folder),
  });
  const save = useMutation({
    mutationFn: () => {
      const base = { address: draft.address.trim(), market: draft.market ?? '', language: draft.language };
      return draft.kind === 'smtp'
        ? platformApi.addSmtpMailbox(base)
        : platformApi.addImapMailbox({ ...base, ...imapSettings() });
    },
    onSuccess: (mailbox) => {
      notifySuccess(t('mailboxes.added', { address: mailbox.address }));
      onClose();
      return queryClient.invalidateQueries({ queryKey: platformKeys.mailboxes });
    },
    meta: { silent: true },
  });
  const test = useMutation({
    mutationFn: () => platformApi.testImapSettings(imapSettings()),
    meta: { silent: true },
  });
  const { reset: resetSave } = save;
  const { reset: resetTest } = test;

  useEffect(() => {
    if (!kind) return;
    setDraft(emptyDraft(kind));
    resetSave();
    resetTest();
  }, [kind, resetSave, resetTest]);

  const imapComplete = imapServerComplete(draft) && !!draft.password;
  const complete = !!draft.address.trim() && !!draft.market && (draft.kind === 'smtp' || imapComplete);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Modal opened={!!kind} onClose={onClose} title={t('mailboxes.addTitle')} size="lg">
      <form onSubmit={submit} data-testid="mailbox-form">
        <Stack>
          {save.error && (
            <Alert color="red" title={t('common:errors.title')} data-testid="mailbox-error">
              {save.error.message}
            </Alert>
          )}
          <SegmentedControl
            value={draft.kind}
            onChange={(value) => set('kind', value as MailboxKind)}
            data={[
              { value: 'smtp', label: t('mailboxes.kinds.smtp') },
              { value: 'imap', label: t('mailboxes.kinds.imap') },
            ]}
            data-testid="mailbox-kind"
          />
          <TextInput
            label={t('mailboxes.address')}
            description={
              draft.kind === 'smtp' ? t('mailboxes.addressSmtpHint') : t('mailboxes.addressImapHint')
            }
            type="email"
            required
            maxLength={254}
            value={draft.address}
            onChange={(event) => set('address', event.currentTarget.value)}
            data-testid="mailbox-address"
          />
          <MarketLanguageFields
            value={{ market: draft.market, language: draft.language }}
            onChange={(next) => setDraft((current) => ({ ...current, ...next }))}
          />
          {draft.kind === 'imap' && (
            <>
              <ImapServerFields
                value={draft}
                onChange={(next) => setDraft((current) => ({ ...current, ...next }))}
                password={
                  <PasswordInput
                    label={t('mailboxes.password')}
                    required
                    maxLength={1000}
                    autoComplete="new-password"
                    value={draft.password}
                    onChange={(event) => set('password', event.currentTarget.value)}
                    data-testid="mailbox-password"
                  />
                }
              />
              <FolderField value={draft.folder} onChange={(folder) => set('folder', folder)} />
              {test.data && <TestResultAlert result={test.data} />}
              {test.error && (
                <Alert color="red" title={t('mailboxes.test.failed')}>
                  {test.error.message}
                </Alert>
              )}
            </>
          )}
          <Group justify="space-between">
            <div>
              {draft.kind === 'imap' && (
                <Button
                  variant="light"
                  onClick={() => test.mutate()}
                  loading={test.isPending}
                  disabled={!imapComplete}
                  data-testid="mailbox-test"
                >
                  {t('mailboxes.test.action')}
                </Button>
              )}
            </div>
            <Group>
              <Button variant="default" onClick={onClose}>
                {t('common:actions.cancel')}
              </Button>
              <Button type="submit" loading={save.isPending} disabled={!complete} data-testid="mailbox-save">
                {t('common:actions.save')}
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** A new password for an IMAP mailbox (the server asks for a step-up first). */
export function MailboxPasswordModal({
  mailboxId,
  address,
  onClose,
}: {
  mailboxId: string | null;
  address: string;
  onClose: () => void;
}) {
  const { t } = useTranslation(['platform', 'common']);
  const queryClient = useQueryClient();
  const [password, setPassword] = useState('');
  const save = useMutation({
    mutationFn: () => platformApi.changeMailboxPassword(mailboxId ?? '', password),
    onSuccess: () => {
      notifySuccess(t('mailboxes.passwordChanged'));
      onClose();
      return queryClient.invalidateQueries({ queryKey: platformKeys.mailboxes });
    },
    meta: { silent: true },
  });
  const { reset } = save;
  useEffect(() => {
    if (!mailboxId) return;
    setPassword('');
    reset();
  }, [mailboxId, reset]);

  return (
    <Modal opened={!!mailboxId} onClose={onClose} title={t('mailboxes.changePasswordTitle', { address })}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate();
        }}
      >
        <Stack>
          {save.error && (
            <Alert color="red" title={t('common:errors.title')}>
              {save.error.message}
            </Alert>
          )}
          <PasswordInput
            label={t('mailboxes.newPassword')}
            description={t('mailboxes.newPasswordHint')}
            required
            maxLength={1000}
            autoComplete="new-password"
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            data-testid="mailbox-new-password"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button
              type="submit"
              loading={save.isPending}
              disabled={!password}
              data-testid="mailbox-password-save"
            >
              {t('common:actions.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
