import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { type BusinessHours, type Weekday, weekdays } from './types';

export const timeOfDay = /^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/;

/** Weekday names in the UI language (1 January 2024 was a Monday). */
export function useWeekdayNames(style: 'long' | 'short'): Record<Weekday, string> {
  const { i18n } = useTranslation();
  const locale = i18n.resolvedLanguage ?? 'en';
  return useMemo(() => {
    const format = new Intl.DateTimeFormat(locale, { weekday: style, timeZone: 'UTC' });
    return Object.fromEntries(
      weekdays.map((day, index) => [day, format.format(new Date(Date.UTC(2024, 0, 1 + index)))]),
    ) as Record<Weekday, string>;
  }, [locale, style]);
}

/** "4 h 30 min", "40 h", "15 min". */
export function useDurationFormat() {
  const { t } = useTranslation('cases');
  return (totalMinutes: number) => {
    const hours = Math.floor(totalMinutes / 60);
    const minutes = totalMinutes % 60;
    if (hours === 0) return t('admin.sla.duration.minutes', { minutes });
    if (minutes === 0) return t('admin.sla.duration.hours', { hours });
    return t('admin.sla.duration.hoursMinutes', { hours, minutes });
  };
}

/** ["Mon–Fri 08:00–18:00", "Sat 09:00–13:00"]: consecutive days with the same hours are joined. */
export function useBusinessHoursSummary() {
  const { t } = useTranslation('cases');
  const names = useWeekdayNames('short');
  return (hours: BusinessHours): string[] => {
    const runs: { from: Weekday; to: Weekday; span: [string, string] }[] = [];
    for (const day of weekdays) {
      const span = hours[day];
      const last = runs.at(-1);
      const previous = weekdays[weekdays.indexOf(day) - 1];
      if (!span) continue;
      if (last && last.to === previous && last.span[0] === span[0] && last.span[1] === span[1]) last.to = day;
      else runs.push({ from: day, to: day, span });
    }
    if (runs.length === 0) return [t('admin.sla.alwaysClosed')];
    return runs.map(({ from, to, span }) => {
      const days = from === to ? names[from] : `${names[from]}–${names[to]}`;
      return `${days} ${span[0]}–${span[1]}`;
    });
  };
}
