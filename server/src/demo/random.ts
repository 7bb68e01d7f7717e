// A seeded pseudo-random generator (mulberry32). Every value of the demo data, ids
// included, is drawn from it, so the same seed always gives the same database.

const HEX = '0123456789abcdef';
const BYTE_HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
const hex32 = (word: number) =>
  `${BYTE_HEX[word >>> 24]}${BYTE_HEX[(word >>> 16) & 255]}${BYTE_HEX[(word >>> 8) & 255]}${BYTE_HEX[word & 255]}`;

/** FNV-1a over a label, mixed with the seed: independent streams for independent parts. */
function mix(seed: number, label: string): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export class DemoRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A stream of its own for one part of the data (staff, customers, …), so adding
   * customers never changes the staff and the other way round. */
  static stream(seed: number, label: string): DemoRandom {
    return new DemoRandom(mix(seed, label));
  }

  uint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** One of the values, each as likely as its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of entries) total += weight;
    let roll = this.next() * total;
    for (const [value, weight] of entries) {
      roll -= weight;
      if (roll < 0) return value;
    }
    const last = entries[entries.length - 1];
    if (!last) throw new Error('weighted pick from an empty list');
    return last[0];
  }

  /** A UUID in version-4 layout whose 122 random bits come from this stream. */
  uuid(): string {
    const hex = hex32(this.uint32()) + hex32(this.uint32()) + hex32(this.uint32()) + hex32(this.uint32());
    const variant = HEX[8 + (Number.parseInt(hex[16] ?? '0', 16) & 3)];
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20)}`;
  }

  /** An ISO date (YYYY-MM-DD) uniformly between two ISO dates, both included. */
  date(from: string, to: string): string {
    const start = dayNumber(from);
    return isoDay(start + this.int(0, Math.max(0, dayNumber(to) - start)));
  }

  /** A moment during office hours (07:00–20:59 UTC) on a day between two ISO dates. */
  officeHours(from: string, to: string): Date {
    const start = dayNumber(from);
    const day = start + this.int(0, Math.max(0, dayNumber(to) - start));
    return new Date(day * 86_400_000 + this.int(7 * 60, 21 * 60 - 1) * 60_000);
  }
}

// Dates as day numbers since 1970, with the strings cached: millions of them are made.
const dayNumbers = new Map<string, number>();
const isoDays = new Map<number, string>();

function dayNumber(isoDate: string): number {
  let day = dayNumbers.get(isoDate);
  if (day === undefined) {
    day = Math.round(Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000);
    dayNumbers.set(isoDate, day);
  }
  return day;
}

function isoDay(day: number): string {
  let iso = isoDays.get(day);
  if (iso === undefined) {
    iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
    isoDays.set(day, iso);
  }
  return iso;
}

export function addDays(isoDate: string, days: number): string {
  return isoDay(dayNumber(isoDate) + days);
}

export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}
