// Business-time arithmetic: the due times agents and customers are promised.
import { describe, expect, it } from 'vitest';
import {
  ALWAYS_OPEN,
  addBusinessMinutes,
  type BusinessCalendar,
  businessMinutesBetween,
  isValidWeeklyHours,
  type WeeklyHours,
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
