import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** The current time, refreshed every `intervalMs`, so relative times ("in 2 h") stay true. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** Relative times ("in 2 hr", "15 min ago") and file sizes in the current UI language. */
export function useCaseFormatters() {
  const { i18n } = useTranslation();
  const locale = i18n.resolvedLanguage ?? 'en';
  return useMemo(() => {
    const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
    const kilobytes = new Intl.NumberFormat(locale, {
      style: 'unit',
      unit: 'kilobyte',
      maximumFractionDigits: 0,
    });
    const megabytes = new Intl.NumberFormat(locale, {
      style: 'unit',
      unit: 'megabyte',
      maximumFractionDigits: 1,
    });
    return {
      relative: (value: string, now: number) => {
        const minutes = Math.round((new Date(value).getTime() - now) / 60_000);
        if (Math.abs(minutes) < 60) return relative.format(minutes, 'minute');
        const hours = Math.round(minutes / 60);
        if (Math.abs(hours) < 48) return relative.format(hours, 'hour');
        return relative.format(Math.round(hours / 24), 'day');
      },
      fileSize: (bytes: number) =>
        bytes < 1024 * 1024
          ? kilobytes.format(Math.max(1, bytes / 1024))
          : megabytes.format(bytes / 1024 / 1024),
    };
  }, [locale]);
}

/** A call's length as mm:ss. */
export function formatDuration(totalSeconds: number): string {
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
}
