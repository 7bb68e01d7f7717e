// The fictional brand "Nordlys Motors": its markets, its two models, their software
// releases and the VINs its plants stamp (ISO 3779 layout with the check digit).
import type { DemoMarket } from './names.js';

export const BRAND = {
  name: 'Nordlys Motors',
  /** Reserved for examples (RFC 6761): no mail ever leaves for it. */
  domain: 'nordlys.example',
  /** World manufacturer identifier of the fictional brand. */
  wmi: 'YNM',
} as const;

export interface DemoMarketInfo {
  code: DemoMarket;
  name_en: string;
  name_de: string;
  time_zone: string;
  language: 'de' | 'en';
  currency: string;
  /** Share of the customer base. */
  weight: number;
  /** A fictional mobile number in the market's own format. */
  phone: (digits: (count: number) => string) => string;
}

export const demoMarkets: readonly DemoMarketInfo[] = [
  {
    code: 'DE',
    name_en: 'Germany',
    name_de: 'Deutschland',
    time_zone: 'Europe/Berlin',
    language: 'de',
    currency: 'EUR',
    weight: 35,
    phone: (d) => `+49 15${d(1)} ${d(8)}`,
  },
  {
    code: 'AT',
    name_en: 'Austria',
    name_de: 'Österreich',
    time_zone: 'Europe/Vienna',
    language: 'de',
    currency: 'EUR',
    weight: 11,
    phone: (d) => `+43 664 ${d(7)}`,
  },
  {
    code: 'CH',
    name_en: 'Switzerland',
    name_de: 'Schweiz',
    time_zone: 'Europe/Zurich',
    language: 'de',
    currency: 'CHF',
    weight: 10,
    phone: (d) => `+41 79 ${d(3)} ${d(2)} ${d(2)}`,
  },
  {
    code: 'NL',
    name_en: 'Netherlands',
    name_de: 'Niederlande',
    time_zone: 'Europe/Amsterdam',
    language: 'en',
    currency: 'EUR',
    weight: 14,
    phone: (d) => `+31 6 ${d(8)}`,
  },
  {
    code: 'SE',
    name_en: 'Sweden',
    name_de: 'Schweden',
    time_zone: 'Europe/Stockholm',
    language: 'en',
    currency: 'SEK',
    weight: 12,
    phone: (d) => `+46 70 ${d(3)} ${d(2)} ${d(2)}`,
  },
  {
    code: 'UK',
    name_en: 'United Kingdom',
    name_de: 'Vereinigtes Königreich',
    time_zone: 'Europe/London',
    language: 'en',
    currency: 'GBP',
    weight: 18,
    // Ofcom keeps 07700 900000–900999 for fiction.
    phone: (d) => `+44 7700 900${d(3)}`,
  },
];

export const marketRows = demoMarkets.map(({ weight: _w, phone: _p, ...row }) => row);

export interface DemoModel {
  name: string;
  /** VIN position 4 (model line) and 5 (body). */
  line: string;
  body: string;
  /** VIN position 6 (drive) with its share of production. */
  drives: readonly (readonly [string, number])[];
  /** VIN position 11: the plant that builds it. */
  plant: string;
  weight: number;
}

export const demoModels: readonly DemoModel[] = [
  {
    name: 'Aurora',
    line: 'A',
    body: 'S',
    drives: [
      ['1', 40],
      ['2', 50],
      ['3', 10],
    ],
    plant: 'N',
    weight: 60,
  },
  {
    name: 'Fjord',
    line: 'F',
    body: 'L',
    drives: [
      ['1', 55],
      ['2', 45],
    ],
    plant: 'T',
    weight: 40,
  },
];

export const MODEL_YEARS = [2023, 2024, 2025, 2026] as const;
const modelYearCodes: Readonly<Record<number, string>> = { 2023: 'P', 2024: 'R', 2025: 'S', 2026: 'T' };

/** Over-the-air releases, oldest first; most cars run one of the newest. */
export const SOFTWARE_RELEASES = [
  '2023.20.4',
  '2023.44.2',
  '2024.14.1',
  '2024.38.3',
  '2025.8.0',
  '2025.26.2',
  '2025.44.1',
  '2026.12.0',
  '2026.26.3',
  '2026.44.1',
] as const;

/** The demo's "today": data never depends on the clock, only on the seed. */
export const DEMO_TODAY = '2026-11-20';

// ISO 3779 transliteration: letters (without I, O, Q) count 1–9, digits their value.
const VIN_LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';
const VIN_LETTER_VALUES = [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9];
const letterValue: Readonly<Record<string, number>> = Object.fromEntries(
  [...VIN_LETTERS].map((letter, i) => [letter, VIN_LETTER_VALUES[i] ?? 0]),
);
const positionWeights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
const VIN_REGEX = /^[A-HJ-NPR-Z0-9]{17}$/;

function charValue(char: string): number {
  if (char >= '0' && char <= '9') return char.charCodeAt(0) - 48;
  return letterValue[char] ?? 0;
}

/** Position 9 of a VIN: weighted sum of the transliterated characters mod 11 (10 is X). */
export function vinCheckDigit(vin: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += charValue(vin[i] ?? '0') * (positionWeights[i] ?? 0);
  const remainder = sum % 11;
  return remainder === 10 ? 'X' : String(remainder);
}

export function buildVin(model: DemoModel, drive: string, modelYear: number, serial: number): string {
  const yearCode = modelYearCodes[modelYear];
  if (!yearCode) throw new Error(`no VIN year code for ${modelYear}`);
  if (serial < 0 || serial > 999_999) throw new Error(`VIN serial out of range: ${serial}`);
  const draft = `${BRAND.wmi}${model.line}${model.body}${drive}E0_${yearCode}${model.plant}${String(serial).padStart(6, '0')}`;
  return `${draft.slice(0, 8)}${vinCheckDigit(draft.replace('_', '0'))}${draft.slice(9)}`;
}

/** 17 characters without I, O and Q, and the check digit adds up. */
export function isValidVin(vin: string): boolean {
  return VIN_REGEX.test(vin) && vin[8] === vinCheckDigit(vin);
}
