import { Button, Group, Modal, Stack, Textarea } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notifySuccess } from '../../../app/notify';
import { type CallDraft, CallFields, emptyCall, toNewCall } from '../components/CallFields';
import type { CaseActions } from './useCaseActions';

/** "Log call": records a phone call on the case as an internal timeline entry. */
export function LogCallButton({ actions, disabled }: { actions: CaseActions; disabled?: boolean }) {
  const { t } = useTranslation(['cases', 'common']);
  const [opened, { open, close }] = useDisclosure();
  const [call, setCall] = useState<CallDraft>(emptyCall);
  const [notes, setNotes] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    actions.logCall.mutate(toNewCall(call, notes.trim()), {
      onSuccess: () => {
        notifySuccess(t('calls.logged'));
        setCall((current) => ({ ...current, minutes: 0, seconds: 0 }));
        setNotes('');
        close();
      },
    });
  };

  return (
    <>
      <Button variant="default" size="xs" onClick={open} disabled={disabled} data-testid="log-call">
        {t('calls.log')}
      </Button>
      <Modal opened={opened} onClose={close} title={t('calls.title')} data-testid="log-call-dialog">
        <form onSubmit={submit}>
          <Stack>
            <CallFields value={call} onChange={setCall} testIdPrefix="log-call" />
            <Textarea
              label={t('calls.notes')}
              value={notes}
              onChange={(event) => setNotes(event.currentTarget.value)}
              autosize
              minRows={3}
              data-testid="log-call-notes"
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common:actions.cancel')}
              </Button>
              <Button type="submit" loading={actions.logCall.isPending} data-testid="log-call-submit">
                {t('calls.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
