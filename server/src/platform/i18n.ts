// Server-side messages (errors, mail) in German and English, from one catalogue per locale.
import i18next, { type TFunction } from 'i18next';
import de from '../locales/de/server.json' with { type: 'json' };
import en from '../locales/en/server.json' with { type: 'json' };

export const languages = ['en', 'de'] as const;
export type Language = (typeof languages)[number];

const instance = i18next.createInstance();
void instance.init({
  initAsync: false,
  resources: { en: { server: en }, de: { server: de } },
  defaultNS: 'server',
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
});

export function translator(language: Language): TFunction {
  return instance.getFixedT(language, 'server');
}

export function isLanguage(value: unknown): value is Language {
  return value === 'en' || value === 'de';
}

/** Picks de or en from an Accept-Language header, honouring q-values. */
export function languageFromHeader(header: string | undefined): Language | null {
  if (!header) return null;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { base: tag.trim().toLowerCase().split('-')[0], q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  const match = ranked.find((entry) => isLanguage(entry.base));
  return match ? (match.base as Language) : null;
}
