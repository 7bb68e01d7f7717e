import { Button, Group, Modal, NumberInput, SegmentedControl, Select, Stack, Textarea } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notifySuccess } from '../../../app/notify';
import { type CallDirection, type CallOutcome, callOutcomes } from '../types';
import type { CaseActions } from './useCaseActions';

/** "Log call": records a phone call on the case as an internal timeline entry. */
export function LogCallButton({ actions, disabled }: { actions: CaseActions; disabled?: boolean }) {
  const { t } = useTranslation(['cases', 'common']);
  const [opened, { open, close }] = useDisclosure();
  const [direction, setDirection] = useState<CallDirection>('inbound');
  const [minutes, setMinutes] = useState<number>(0);
  const [seconds, setSeconds] = useState<number>(0);
  const [outcome, setOutcome] = useState<CallOutcome>('resolved');
  const [notes, setNotes] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const call = { direction, durationSeconds: minutes * 60 + seconds, outcome, notes: notes.trim() };
    actions.logCall.mutate(call, {
      onSuccess: () => {
        notifySuccess(t('calls.logged'));
        setMinutes(0);
        setSeconds(0);
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
            <SegmentedControl
              value={direction}
              onChange={(value) => setDirection(value as CallDirection)}
              data={[
                { value: 'inbound', label: t('timeline.direction.inbound') },
                { value: 'outbound', label: t('timeline.direction.outbound') },
              ]}
              aria-label={t('calls.direction')}
              data-testid="log-call-direction"
            />
            <Group grow>
              <NumberInput
                label={t('calls.minutes')}
                value={minutes}
                onChange={(value) => setMinutes(Number(value) || 0)}
                min={0}
                max={600}
                allowDecimal={false}
                data-testid="log-call-minutes"
              />
              <NumberInput
                label={t('calls.seconds')}
                value={seconds}
                onChange={(value) => setSeconds(Math.min(59, Number(value) || 0))}
                min={0}
                max={59}
                allowDecimal={false}
                data-testid="log-call-seconds"
              />
            </Group>
            <Select
              label={t('calls.outcome')}
              data={callOutcomes.map((value) => ({ value, label: t(`timeline.outcome.${value}`) }))}
              value={outcome}
              onChange={(value) => value && setOutcome(value as CallOutcome)}
              allowDeselect={false}
              data-testid="log-call-outcome"
            />
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
