// Business-time arithmetic: the due times agents and customers are promised.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  ALWAYS_OPEN,
  addBusinessMinutes,
  type BusinessCalendar,
  businessMinutesBetween,
  isValidWeeklyHours,
  minutesOfDay,
  type WeeklyHours,
  weekdays,
} from './sla.business-hours.js';
import { marketHolidays } from './sla.holidays.js';

const officeHours: WeeklyHours = {
  mon: ['08:00', '18:00'],
  tue: ['08:00', '18:00'],
  wed: ['08:00', '18:00'],
  thu: ['08:00', '18:00'],
  fri: ['08:00', '18:00'],
  sat: null,
  sun: null,
};
const berlin: BusinessCalendar = {
  timeZone: 'Europe/Berlin',
  weeklyHours: officeHours,
  holidays: marketHolidays('DE'),
};
const noHolidays = () => false;
const at = (iso: string) => new Date(iso);

describe('addBusinessMinutes', () => {
  it('adds minutes within one working day', () => {
    // Wednesday 2026-11-25 09:00 Berlin (UTC+1) = 08:00Z
    expect(addBusinessMinutes(at('2026-11-25T08:00:00Z'), 90, berlin)).toEqual(at('2026-11-25T09:30:00Z'));
  });

  it('continues the next working day when the day closes', () => {
    // Wed 17:00 Berlin + 2h = 1h on Wednesday, 1h from Thursday 08:00
    expect(addBusinessMinutes(at('2026-11-25T16:00:00Z'), 120, berlin)).toEqual(at('2026-11-26T08:00:00Z'));
  });

  it('skips the weekend', () => {
    // Fri 2026-11-27 17:00 Berlin + 2h -> Mon 2026-11-30 09:00 Berlin
    expect(addBusinessMinutes(at('2026-11-27T16:00:00Z'), 120, berlin)).toEqual(at('2026-11-30T08:00:00Z'));
  });

  it('skips German public holidays (Christmas 25 and 26 December 2026)', () => {
    // Thu 2026-12-24 16:00 Berlin (24 December is no public holiday) + 4h:
    // 2h on Thursday, Fri 25 and Sat 26 are holidays, Sunday closed, 2h on Mon 28 -> 10:00 Berlin
    expect(addBusinessMinutes(at('2026-12-24T15:00:00Z'), 240, berlin)).toEqual(at('2026-12-28T09:00:00Z'));
  });

  it('uses the British calendar for the UK market (Boxing Day substitute on Monday 28 December)', () => {
    const london: BusinessCalendar = {
      timeZone: 'Europe/London',
      weeklyHours: officeHours,
      holidays: marketHolidays('UK'),
    };
    // Thu 2026-12-24 17:00 London + 2h: 1h Thursday, then 25, 26 (Sat), 27 (Sun), 28 (substitute) closed
    expect(addBusinessMinutes(at('2026-12-24T17:00:00Z'), 120, london)).toEqual(at('2026-12-29T09:00:00Z'));
  });

  it('starts counting at opening time when started outside business hours', () => {
    // Tue 2026-11-24 22:00 Berlin -> Wed 08:00 + 30 min
    expect(addBusinessMinutes(at('2026-11-24T21:00:00Z'), 30, berlin)).toEqual(at('2026-11-25T07:30:00Z'));
    // Sunday evening -> Monday 08:30
    expect(addBusinessMinutes(at('2026-11-29T20:00:00Z'), 30, berlin)).toEqual(at('2026-11-30T07:30:00Z'));
  });

  it('spans several days of business time', () => {
    // 3 working days of 10 hours from Mon 2026-11-23 08:00 Berlin -> Wed 18:00 Berlin
    expect(addBusinessMinutes(at('2026-11-23T07:00:00Z'), 30 * 60, berlin)).toEqual(
      at('2026-11-25T17:00:00Z'),
    );
    // 7 working days from Thu 2026-11-26 12:00 -> Mon 2026-12-07 12:00 (two weekends)
    expect(addBusinessMinutes(at('2026-11-26T11:00:00Z'), 70 * 60, berlin)).toEqual(
      at('2026-12-07T11:00:00Z'),
    );
  });

  it('keeps wall-clock opening hours across the spring DST change (2026-03-29, Europe/Berlin)', () => {
    // Fri 2026-03-27 17:00 CET (16:00Z) + 2h: 1h Friday, Monday 2026-03-30 08:00 CEST (06:00Z) + 1h
    expect(addBusinessMinutes(at('2026-03-27T16:00:00Z'), 120, berlin)).toEqual(at('2026-03-30T07:00:00Z'));
  });

  it('counts real elapsed minutes on the DST day of a 24/7 calendar (a 23-hour day)', () => {
    const always: BusinessCalendar = {
      timeZone: 'Europe/Berlin',
      weeklyHours: ALWAYS_OPEN,
      holidays: noHolidays,
    };
    // Sat 2026-03-28 12:00 CET + 24h of elapsed time = Sun 13:00 CEST (clocks jumped at 02:00)
    expect(addBusinessMinutes(at('2026-03-28T11:00:00Z'), 24 * 60, always)).toEqual(
      at('2026-03-29T11:00:00Z'),
    );
  });

  it('counts a night shift spanning the skipped hour as its real length', () => {
    const nights: BusinessCalendar = {
      timeZone: 'Europe/Berlin',
      weeklyHours: { ...ALWAYS_OPEN, sun: ['00:00', '06:00'] },
      holidays: noHolidays,
    };
    // Sunday 2026-03-29 00:00-06:00 local is only 5 real hours (23:00Z to 04:00Z)
    expect(businessMinutesBetween(at('2026-03-28T23:00:00Z'), at('2026-03-29T05:00:00Z'), nights)).toBe(300);
  });

  it('adds nothing for zero minutes inside business hours', () => {
    expect(addBusinessMinutes(at('2026-11-25T10:00:00Z'), 0, berlin)).toEqual(at('2026-11-25T10:00:00Z'));
  });
});

describe('businessMinutesBetween', () => {
  it('counts only open hours', () => {
    // Wed 17:00 Berlin -> Thu 09:00 Berlin = 1h + 1h
    expect(businessMinutesBetween(at('2026-11-25T16:00:00Z'), at('2026-11-26T08:00:00Z'), berlin)).toBe(120);
  });

  it('counts nothing over a weekend and holidays', () => {
    expect(businessMinutesBetween(at('2026-11-28T08:00:00Z'), at('2026-11-29T20:00:00Z'), berlin)).toBe(0);
    expect(businessMinutesBetween(at('2026-12-24T17:00:00Z'), at('2026-12-27T20:00:00Z'), berlin)).toBe(0);
  });

  it('is the inverse of addBusinessMinutes', () => {
    const start = at('2026-12-23T14:17:00Z');
    for (const minutes of [1, 59, 600, 1234, 5000]) {
      const due = addBusinessMinutes(start, minutes, berlin);
      expect(businessMinutesBetween(start, due, berlin)).toBeCloseTo(minutes, 6);
    }
  });

  it('is zero when the end is not after the start', () => {
    expect(businessMinutesBetween(at('2026-11-25T10:00:00Z'), at('2026-11-25T09:00:00Z'), berlin)).toBe(0);
  });
});

describe('weekly hours', () => {
  it('rejects days that close before they open and calendars that are never open', () => {
    expect(isValidWeeklyHours(officeHours)).toBe(true);
    expect(isValidWeeklyHours(ALWAYS_OPEN)).toBe(true);
    expect(isValidWeeklyHours({ ...officeHours, mon: ['18:00', '08:00'] })).toBe(false);
    expect(isValidWeeklyHours({ ...officeHours, mon: ['8:00', '18:00'] })).toBe(false);
    const closed = Object.fromEntries(
      Object.keys(officeHours).map((day) => [day, null]),
    ) as unknown as WeeklyHours;
    expect(isValidWeeklyHours(closed)).toBe(false);
  });
});

// The plain luxon computation, one DateTime per day and wall-clock time: the cached day
// arithmetic in sla.business-hours.ts must give exactly these instants.
function* luxonWindows(begin: number, calendar: BusinessCalendar): Generator<[number, number]> {
  let day = DateTime.fromMillis(begin, { zone: calendar.timeZone }).startOf('day');
  for (let i = 0; i < 60; i++) {
    const next = day.plus({ days: 1 }).startOf('day');
    const hours = calendar.weeklyHours[weekdays[day.weekday - 1] as keyof WeeklyHours];
    if (hours && !calendar.holidays(day.toISODate() as string)) {
      const [open, close] = hours.map((time) => {
        const minutes = minutesOfDay(time) as number;
        if (minutes === 24 * 60) return next.toMillis();
        return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60 }).toMillis();
      }) as [number, number];
      if (close > open) yield [open, close];
    }
    day = next;
  }
}

function luxonAddBusinessMinutes(start: Date, minutes: number, calendar: BusinessCalendar): number {
  let remaining = minutes * 60_000;
  for (const [open, close] of luxonWindows(start.getTime(), calendar)) {
    const from = Math.max(open, start.getTime());
    if (from >= close) continue;
    if (remaining <= close - from) return from + remaining;
    remaining -= close - from;
  }
  throw new Error('target beyond the reference horizon');
}

function luxonMinutesBetween(from: Date, to: Date, calendar: BusinessCalendar): number {
  let total = 0;
  for (const [open, close] of luxonWindows(from.getTime(), calendar)) {
    if (open >= to.getTime()) break;
    total += Math.max(0, Math.min(close, to.getTime()) - Math.max(open, from.getTime()));
  }
  return total / 60_000;
}

/**
 * Compares both functions with plain luxon: in order, backwards and scrambled, so that days are
 * cached by one start and reused by another.
 */
function expectSameAsLuxon(starts: Date[], calendars: BusinessCalendar[], minutes: number[]): void {
  const checks = starts.flatMap((start) =>
    calendars.flatMap((calendar) => {
      const label = `${calendar.timeZone} ${start.toISOString()}`;
      const end = new Date(start.getTime() + 30 * 3_600_000);
      return [
        ...minutes.map((target) => ({
          label: `${label} + ${target} business minutes`,
          actual: () => addBusinessMinutes(start, target, calendar).getTime(),
          expected: luxonAddBusinessMinutes(start, target, calendar),
        })),
        {
          label: `${label} business minutes in 30 hours`,
          actual: () => businessMinutesBetween(start, end, calendar),
          expected: luxonMinutesBetween(start, end, calendar),
        },
      ];
    }),
  );
  const scrambled = checks.map((_, i) => checks[(i * 7919) % checks.length] as (typeof checks)[number]);
  const differences = [...checks, ...[...checks].reverse(), ...scrambled]
    .map(({ label, actual, expected }) => ({ label, actual: actual(), expected }))
    .filter(({ actual, expected }) => actual !== expected);
  expect(differences).toEqual([]);
}

/** Every `step` minutes from `fromIso` for `days` days. */
function instants(fromIso: string, days: number, step: number): Date[] {
  const first = at(fromIso).getTime();
  return Array.from({ length: (days * 24 * 60) / step }, (_, i) => new Date(first + i * step * 60_000));
}

// Windows around the night hours the clocks change in (Sundays in Europe and Cuba), and
// windows that close at 24:00.
const nightsAndLateEvenings: WeeklyHours = {
  mon: ['20:00', '24:00'],
  tue: ['00:30', '01:30'],
  wed: ['00:00', '24:00'],
  thu: null,
  fri: ['16:00', '24:00'],
  sat: ['22:00', '24:00'],
  sun: ['00:30', '04:00'],
};
const calendarsIn = (timeZone: string): BusinessCalendar[] => [
  { timeZone, weeklyHours: officeHours, holidays: marketHolidays('DE') },
  { timeZone, weeklyHours: nightsAndLateEvenings, holidays: noHolidays },
  { timeZone, weeklyHours: ALWAYS_OPEN, holidays: noHolidays },
];

describe('business time matches plain luxon arithmetic', () => {
  it('across the 2026 DST changes in Europe/Berlin (29 March and 25 October)', () => {
    const starts = [...instants('2026-03-27T00:10:00Z', 4, 40), ...instants('2026-10-23T00:10:00Z', 4, 40)];
    expectSameAsLuxon(starts, calendarsIn('Europe/Berlin'), [0, 45, 600]);
  });

  it('for instants through 2026 in Berlin, London and Kolkata (no DST), with holidays', () => {
    const starts = Array.from({ length: 120 }, (_, i) => new Date(Date.UTC(2026, 0, 1) + i * 262_897_013));
    const calendars = ['Europe/Berlin', 'Europe/London', 'Asia/Kolkata'].flatMap(calendarsIn);
    expectSameAsLuxon(starts, calendars, [0, 90, 3000]);
  });

  it('where the clocks change at midnight (America/Havana, 8 March and 1 November 2026)', () => {
    // 8 March has no 00:00; 1 November has it twice, and luxon's start of that day depends on
    // which of the two offsets the start instant has.
    const starts = [...instants('2026-03-07T02:00:00Z', 3, 30), ...instants('2026-10-31T02:00:00Z', 3, 30)];
    expectSameAsLuxon(starts, calendarsIn('America/Havana'), [0, 45, 600]);
  });

  it('counts the real length of the days the clocks change, up to their 24:00', () => {
    const sundays: BusinessCalendar = {
      timeZone: 'Europe/Berlin',
      weeklyHours: { ...ALWAYS_OPEN, sat: null, sun: ['00:00', '24:00'] },
      holidays: noHolidays,
    };
    // Saturday 00:00 to Monday 00:00 local time: only the Sunday counts, 23 and 25 hours long.
    expect(businessMinutesBetween(at('2026-03-27T23:00:00Z'), at('2026-03-29T22:00:00Z'), sundays)).toBe(
      23 * 60,
    );
    expect(businessMinutesBetween(at('2026-10-23T22:00:00Z'), at('2026-10-25T23:00:00Z'), sundays)).toBe(
      25 * 60,
    );
    expect(addBusinessMinutes(at('2026-10-23T22:00:00Z'), 25 * 60, sundays)).toEqual(
      at('2026-10-25T23:00:00Z'),
    );
  });
});
