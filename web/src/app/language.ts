import { useMutation } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { identityApi, identityKeys } from '../features/identity/api';
import { useMe, useSetMe } from '../features/identity/session';
import i18n, { currentLanguage, type Language } from './i18n';
import { queryClient } from './queryClient';

/**
 * Set when someone picks a language before signing in: that choice then wins over the
 * language stored in their profile (and is saved to it). Otherwise the profile wins.
 */
let chosenBeforeSignIn = false;

/** Changes the UI language; when signed in, also saves it to the profile. */
export function useChangeLanguage() {
  const { data: me } = useMe();
  const setMe = useSetMe();
  const save = useMutation({
    mutationFn: identityApi.updateMyLanguage,
    onSuccess: (updated) => {
      setMe(updated);
      refetchTranslatedData();
    },
  });
  return (language: Language) => {
    void i18n.changeLanguage(language);
    if (me) {
      if (me.language !== language) save.mutate(language);
    } else {
      chosenBeforeSignIn = true;
      refetchTranslatedData();
    }
  };
}

/**
 * The server answers in the caller's language (market names, SLA metric names, messages), and
 * for a signed-in user that is the profile's: once it has changed, everything loaded before is
 * fetched again rather than shown in the old language.
 */
function refetchTranslatedData(): void {
  void queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== identityKeys.me[0] });
}

/** Once per signed-in principal, reconciles the UI language with the profile's. */
export function useProfileLanguageSync(): void {
  const { data: me } = useMe();
  const setMe = useSetMe();
  const meId = me?.id;
  const profileLanguage = me?.language;
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per principal, not per language change
  useEffect(() => {
    if (!meId || !profileLanguage) return;
    const uiLanguage = currentLanguage();
    if (chosenBeforeSignIn) {
      chosenBeforeSignIn = false;
      if (uiLanguage !== profileLanguage) {
        identityApi.updateMyLanguage(uiLanguage).then(setMe, () => undefined);
      }
    } else if (uiLanguage !== profileLanguage) {
      void i18n.changeLanguage(profileLanguage);
    }
  }, [meId]);
}

/** Intl formatters in the current UI language. */
export function useFormatters() {
  const { i18n: instance } = useTranslation();
  const locale = instance.resolvedLanguage ?? 'en';
  return useMemo(() => {
    const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    const day = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
    const calendarDay = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
    const number = new Intl.NumberFormat(locale);
    return {
      /** A timestamp, in the browser's time zone. */
      dateTime: (value: string | null | undefined) => (value ? dateTime.format(new Date(value)) : '—'),
      /** A calendar date (`YYYY-MM-DD`, shown as is) or the local day of a timestamp. */
      date: (value: string | null | undefined) => {
        if (!value) return '—';
        if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return calendarDay.format(new Date(`${value}T00:00:00Z`));
        return day.format(new Date(value));
      },
      number: (value: number) => number.format(value),
    };
  }, [locale]);
}
