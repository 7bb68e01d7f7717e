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

function wallClock(day: DateTime, time: string): DateTime {
  const minutes = minutesOfDay(time);
  if (minutes === null) throw new Error(`Invalid time of day ${time}`);
  if (minutes === 24 * 60) return day.plus({ days: 1 }).startOf('day');
  // A time that does not exist (the skipped hour of spring-forward) moves forward, as luxon does.
  return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 });
}

/** The open window of one local day as epoch milliseconds, or null when closed. */
function openWindow(day: DateTime, calendar: BusinessCalendar): [number, number] | null {
  const key = weekdays[day.weekday - 1] as Weekday;
  const hours = calendar.weeklyHours[key];
  if (!hours) return null;
  if (calendar.holidays(day.toISODate() as string)) return null;
  const open = wallClock(day, hours[0]).toMillis();
  const close = wallClock(day, hours[1]).toMillis();
  return close > open ? [open, close] : null;
}

function localDay(at: number, timeZone: string): DateTime {
  const day = DateTime.fromMillis(at, { zone: timeZone }).startOf('day');
  if (!day.isValid) throw new Error(`Invalid time zone ${timeZone}`);
  return day;
}

/** The instant when `minutes` business minutes have passed after `start`. */
export function addBusinessMinutes(start: Date, minutes: number, calendar: BusinessCalendar): Date {
  let remaining = Math.max(0, minutes) * MS_PER_MINUTE;
  const begin = start.getTime();
  let day = localDay(begin, calendar.timeZone);
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
    day = day.plus({ days: 1 }).startOf('day');
  }
  throw new ClosedCalendarError();
}

/** Business minutes between two instants (0 when `to` is not after `from`); may be fractional. */
export function businessMinutesBetween(from: Date, to: Date, calendar: BusinessCalendar): number {
  const begin = from.getTime();
  const end = to.getTime();
  if (end <= begin) return 0;
  let total = 0;
  let day = localDay(begin, calendar.timeZone);
  while (day.toMillis() < end) {
    const window = openWindow(day, calendar);
    if (window) {
      const overlap = Math.min(window[1], end) - Math.max(window[0], begin);
      if (overlap > 0) total += overlap;
    }
    day = day.plus({ days: 1 }).startOf('day');
  }
  return total / MS_PER_MINUTE;
}
