import { Group, NumberInput, SegmentedControl, Select, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type CallDirection, type CallOutcome, callOutcomes, type NewCall } from '../types';

/** A phone call as an agent enters it: direction, length in minutes and seconds, outcome. */
export interface CallDraft {
  direction: CallDirection;
  minutes: number;
  seconds: number;
  outcome: CallOutcome;
}

export const emptyCall: CallDraft = { direction: 'inbound', minutes: 0, seconds: 0, outcome: 'resolved' };

export const toNewCall = (call: CallDraft, notes: string): NewCall => ({
  direction: call.direction,
  durationSeconds: call.minutes * 60 + call.seconds,
  outcome: call.outcome,
  notes,
});

/** The fields of a phone call; used by "Log call" on a case and by "New case" on the phone. */
export function CallFields({
  value,
  onChange,
  testIdPrefix,
}: {
  value: CallDraft;
  onChange: (call: CallDraft) => void;
  testIdPrefix: string;
}) {
  const { t } = useTranslation('cases');
  const set = <K extends keyof CallDraft>(key: K, next: CallDraft[K]) => onChange({ ...value, [key]: next });
  return (
    <Stack>
      <SegmentedControl
        value={value.direction}
        onChange={(next) => set('direction', next as CallDirection)}
        data={[
          { value: 'inbound', label: t('timeline.direction.inbound') },
          { value: 'outbound', label: t('timeline.direction.outbound') },
        ]}
        aria-label={t('calls.direction')}
        data-testid={`${testIdPrefix}-direction`}
      />
      <Group grow>
        <NumberInput
          label={t('calls.minutes')}
          value={value.minutes}
          onChange={(next) => set('minutes', Number(next) || 0)}
          min={0}
          max={600}
          allowDecimal={false}
          data-testid={`${testIdPrefix}-minutes`}
        />
        <NumberInput
          label={t('calls.seconds')}
          value={value.seconds}
          onChange={(next) => set('seconds', Math.min(59, Number(next) || 0))}
          min={0}
          max={59}
          allowDecimal={false}
          data-testid={`${testIdPrefix}-seconds`}
        />
      </Group>
      <Select
        label={t('calls.outcome')}
        data={callOutcomes.map((outcome) => ({ value: outcome, label: t(`timeline.outcome.${outcome}`) }))}
        value={value.outcome}
        onChange={(next) => next && set('outcome', next as CallOutcome)}
        allowDeselect={false}
        data-testid={`${testIdPrefix}-outcome`}
      />
    </Stack>
  );
}
