import { Group, Input, NumberInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';

interface DurationInputProps {
  label: string;
  /** Business minutes, as the API stores them. */
  value: number;
  onChange: (minutes: number) => void;
  'data-testid'?: string;
}

/** A duration entered as hours and minutes, stored as minutes. */
export function DurationInput({ label, value, onChange, ...props }: DurationInputProps) {
  const { t } = useTranslation('cases');
  const hours = Math.floor(value / 60);
  const minutes = value % 60;
  const error = value < 1 ? t('admin.sla.durationRequired') : undefined;
  return (
    <Input.Wrapper label={label} error={error} required data-testid={props['data-testid']}>
      <Group gap="xs" wrap="nowrap" mt={4}>
        <NumberInput
          aria-label={`${label}: ${t('admin.sla.hours')}`}
          rightSection={t('admin.sla.hoursUnit')}
          rightSectionWidth={40}
          value={hours}
          onChange={(next) => onChange((Number(next) || 0) * 60 + minutes)}
          min={0}
          max={8760}
          allowDecimal={false}
          allowNegative={false}
          error={!!error}
          w={110}
        />
        <NumberInput
          aria-label={`${label}: ${t('admin.sla.minutes')}`}
          rightSection={t('admin.sla.minutesUnit')}
          rightSectionWidth={44}
          value={minutes}
          onChange={(next) => onChange(hours * 60 + Math.min(59, Number(next) || 0))}
          min={0}
          max={59}
          allowDecimal={false}
          allowNegative={false}
          error={!!error}
          w={110}
        />
      </Group>
    </Input.Wrapper>
  );
}
