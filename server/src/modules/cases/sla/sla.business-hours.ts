// Business-time arithmetic for SLA targets. Pure functions: a calendar says when a market's
// care team works (weekly hours in the market's time zone, minus public holidays), and
// luxon does the zone and daylight-saving work, so "08:00" is always 08:00 on the wall clock.
import { DateTime } from 'luxon';

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

/** Opening and closing wall-clock time ('HH:MM'; '24:00' closes at midnight), or null when closed. */
export type OpeningHours = readonly [string, string] | null;
export type WeeklyHours = Record<Weekday, OpeningHours>;

export interface BusinessCalendar {
  /** IANA zone, e.g. 'Europe/Berlin'. */
  timeZone: string;
  weeklyHours: WeeklyHours;
  /** True when the local date ('YYYY-MM-DD') is a holiday (closed all day). */
  holidays: (date: string) => boolean;
}

export const ALWAYS_OPEN: WeeklyHours = Object.fromEntries(
  weekdays.map((day) => [day, ['00:00', '24:00']]),
) as unknown as WeeklyHours;

/** How far ahead a target may reach before the calendar is considered broken (never open). */
const MAX_DAYS = 3 * 366;
const MS_PER_MINUTE = 60_000;

export class ClosedCalendarError extends Error {
  constructor() {
    super(`The business calendar has no open hours within ${MAX_DAYS} days`);
    this.name = 'ClosedCalendarError';
  }
}

const TIME = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;

/** Minutes after midnight of 'HH:MM' ('24:00' = 1440), or null when malformed. */
export function minutesOfDay(time: string): number | null {
  const match = TIME.exec(time);
  if (!match) return null;
  const hours = Number(match[1] ?? match[3]);
  const minutes = Number(match[2] ?? match[4]);
  return hours * 60 + minutes;
}

/** True when every open day closes after it opens and at least one day is open. */
export function isValidWeeklyHours(hours: WeeklyHours): boolean {
  let open = 0;
  for (const day of weekdays) {
    const window = hours[day];
    if (window === null) continue;
    const from = minutesOfDay(window[0]);
    const to = minutesOfDay(window[1]);
    if (from === null || to === null || to <= from) return false;
    open++;
  }
  return open > 0;
}

// Luxon asks Intl for the zone's UTC offset whenever it creates or moves a DateTime, which made
// these day loops the most expensive part of opening a case. So each local day is computed with
// luxon once and kept (a pure function of zone and start instant; per zone a bounded Map):
// its first instant, the next day's, its date and weekday. tzdb has no two offset changes within
// 48 hours, so a day that starts at 00:00 with the same offset as the next day has that offset
// throughout: there 'HH:MM' is start + minutes and an instant between the two starts belongs to
// it. Only the days with a DST change keep asking luxon.
interface LocalDay {
  /** Days since 1970-01-01 of the local date: the cache key. */
  dayNumber: number;
  /** Local date, 'YYYY-MM-DD'. */
  date: string;
  weekday: Weekday;
  /** First instant of the day (luxon's startOf('day')). */
  start: number;
  /** First instant of the next day (luxon's plus({ days: 1 }).startOf('day')). */
  next: number;
  /** The day as luxon sees it, kept only when its UTC offset changes (DST). */
  offsetChange: DateTime | null;
}

const MS_PER_DAY = 86_400_000;
const CACHED_DAYS_PER_ZONE = 4 * 366;
const daysByZone = new Map<string, Map<number, LocalDay>>();

function localDay(at: number, timeZone: string): DateTime {
  const day = DateTime.fromMillis(at, { zone: timeZone }).startOf('day');
  if (!day.isValid) throw new Error(`Invalid time zone ${timeZone}`);
  return day;
}

/** The cached day that luxon's start-of-day `day` describes, computed once. */
function remembered(day: DateTime, timeZone: string): LocalDay {
  const dayNumber = Date.UTC(day.year, day.month - 1, day.day) / MS_PER_DAY;
  let days = daysByZone.get(timeZone);
  const cached = days?.get(dayNumber);
  if (cached && cached.start === day.toMillis()) return cached;
  const next = day.plus({ days: 1 }).startOf('day');
  const sameOffset = day.hour === 0 && day.minute === 0 && day.offset === next.offset;
  const local: LocalDay = {
    dayNumber,
    date: day.toISODate() as string,
    weekday: weekdays[day.weekday - 1] as Weekday,
    start: day.toMillis(),
    next: next.toMillis(),
    offsetChange: sameOffset ? null : day,
  };
  if (!days) {
    days = new Map();
    daysByZone.set(timeZone, days);
  }
  if (days.size >= CACHED_DAYS_PER_ZONE) days.delete(days.keys().next().value as number);
  days.set(dayNumber, local);
  return local;
}

/** The local day containing the instant `at`. */
function dayAt(at: number, timeZone: string): LocalDay {
  const days = daysByZone.get(timeZone);
  const utcDay = Math.floor(at / MS_PER_DAY);
  // The local date is the UTC date or one next to it (offsets are less than a day).
  for (let dayNumber = utcDay - 1; dayNumber <= utcDay + 1; dayNumber++) {
    const day = days?.get(dayNumber);
    if (day && !day.offsetChange && day.start <= at && at < day.next) return day;
  }
  return remembered(localDay(at, timeZone), timeZone);
}

function dayAfter(day: LocalDay, timeZone: string): LocalDay {
  const cached = daysByZone.get(timeZone)?.get(day.dayNumber + 1);
  if (cached && cached.start === day.next) return cached;
  return remembered(DateTime.fromMillis(day.next, { zone: timeZone }), timeZone);
}

function wallClock(day: LocalDay, time: string): number {
  const minutes = minutesOfDay(time);
  if (minutes === null) throw new Error(`Invalid time of day ${time}`);
  if (minutes === 24 * 60) return day.next;
  if (!day.offsetChange) return day.start + minutes * MS_PER_MINUTE;
  // A time that does not exist (the skipped hour of spring-forward) moves forward, as luxon does.
  const hour = Math.floor(minutes / 60);
  return day.offsetChange.set({ hour, minute: minutes % 60, second: 0, millisecond: 0 }).toMillis();
}

/** The open window of one local day as epoch milliseconds, or null when closed. */
function openWindow(day: LocalDay, calendar: BusinessCalendar): [number, number] | null {
  const hours = calendar.weeklyHours[day.weekday];
  if (!hours) return null;
  if (calendar.holidays(day.date)) return null;
  const open = wallClock(day, hours[0]);
  const close = wallClock(day, hours[1]);
  return close > open ? [open, close] : null;
}

/** The instant when `minutes` business minutes have passed after `start`. */
export function addBusinessMinutes(start: Date, minutes: number, calendar: BusinessCalendar): Date {
  let remaining = Math.max(0, minutes) * MS_PER_MINUTE;
  const begin = start.getTime();
  let day = dayAt(begin, calendar.timeZone);
  for (let i = 0; i <= MAX_DAYS; i++) {
    const window = openWindow(day, calendar);
    if (window) {
      const from = Math.max(window[0], begin);
      if (from < window[1]) {
        // Nothing left to add: the target is met at the first open instant from the start.
        if (remaining === 0) return new Date(from);
        const available = window[1] - from;
        if (remaining <= available) return new Date(from + remaining);
        remaining -= available;
      }
    }
    day = dayAfter(day, calendar.timeZone);
  }
  throw new ClosedCalendarError();
}

/** Business minutes between two instants (0 when `to` is not after `from`); may be fractional. */
export function businessMinutesBetween(from: Date, to: Date, calendar: BusinessCalendar): number {
  const begin = from.getTime();
  const end = to.getTime();
  if (end <= begin) return 0;
  let total = 0;
  let day = dayAt(begin, calendar.timeZone);
  while (day.start < end) {
    const window = openWindow(day, calendar);
    if (window) {
      const overlap = Math.min(window[1], end) - Math.max(window[0], begin);
      if (overlap > 0) total += overlap;
    }
    day = dayAfter(day, calendar.timeZone);
  }
  return total / MS_PER_MINUTE;
}
