import { Group, Input, MaskInput, Stack, Switch, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { timeOfDay, useWeekdayNames } from './slaFormat';
import { type BusinessHours, type Weekday, weekdays } from './types';

const defaultSpan: [string, string] = ['08:00', '18:00'];

function TimeField({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
}) {
  const { t } = useTranslation('cases');
  return (
    <MaskInput
      mask="99:99"
      aria-label={label}
      placeholder="08:00"
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      error={timeOfDay.test(value) ? undefined : t('admin.sla.timeInvalid')}
      w={110}
      size="sm"
    />
  );
}

/** Opening hours per weekday: a day is open (from – to) or closed. */
export function BusinessHoursInput({
  value,
  onChange,
}: {
  value: BusinessHours;
  onChange: (hours: BusinessHours) => void;
}) {
  const { t } = useTranslation('cases');
  const names = useWeekdayNames('long');
  const setDay = (day: Weekday, span: [string, string] | null) => onChange({ ...value, [day]: span });

  return (
    <Input.Wrapper label={t('admin.sla.businessHours')} description={t('admin.sla.businessHoursHint')}>
      <Stack gap={6} mt="xs" data-testid="sla-business-hours">
        {weekdays.map((day) => {
          const span = value[day];
          return (
            <Group
              key={day}
              gap="sm"
              wrap="nowrap"
              align="flex-start"
              mih={36}
              data-testid={`sla-day-${day}`}
            >
              <Text size="sm" w={110} pt={6}>
                {names[day]}
              </Text>
              <Switch
                pt={8}
                w={120}
                checked={!!span}
                onChange={(event) => setDay(day, event.currentTarget.checked ? defaultSpan : null)}
                label={span ? t('admin.sla.open') : t('admin.sla.closed')}
                aria-label={names[day]}
              />
              {span && (
                <Group gap={6} wrap="nowrap" align="flex-start">
                  <TimeField
                    label={`${names[day]}: ${t('admin.sla.from')}`}
                    value={span[0]}
                    onChange={(from) => setDay(day, [from, span[1]])}
                  />
                  <Text size="sm" pt={6}>
                    –
                  </Text>
                  <TimeField
                    label={`${names[day]}: ${t('admin.sla.to')}`}
                    value={span[1]}
                    onChange={(to) => setDay(day, [span[0], to])}
                  />
                </Group>
              )}
            </Group>
          );
        })}
      </Stack>
    </Input.Wrapper>
  );
}
