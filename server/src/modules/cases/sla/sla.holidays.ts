// Public holidays per market from date-holidays (maintained rule data, national level only:
// regional holidays such as Bavaria's Epiphany and half days such as 24 December are not
// counted). A market code is an ISO country code except the UK, which date-holidays calls GB.
import Holidays from 'date-holidays';
import { ALWAYS_OPEN, type BusinessCalendar, type WeeklyHours } from './sla.business-hours.js';

const countryOfMarket: Record<string, string> = { UK: 'GB' };

const byCountry = new Map<string, Holidays>();
const byYear = new Map<string, ReadonlySet<string>>();

function holidaysOf(country: string): Holidays {
  let holidays = byCountry.get(country);
  if (!holidays) {
    holidays = new Holidays(country, { types: ['public'] });
    byCountry.set(country, holidays);
  }
  return holidays;
}

function publicHolidaysIn(country: string, year: number): ReadonlySet<string> {
  const key = `${country}:${year}`;
  let dates = byYear.get(key);
  if (!dates) {
    dates = new Set(
      holidaysOf(country)
        .getHolidays(year)
        .filter((holiday) => holiday.type === 'public')
        .map((holiday) => holiday.date.slice(0, 10)),
    );
    byYear.set(key, dates);
  }
  return dates;
}

/** A predicate for the market's public holidays ('YYYY-MM-DD' local dates). */
export function marketHolidays(market: string): (date: string) => boolean {
  const country = countryOfMarket[market] ?? market;
  return (date) => publicHolidaysIn(country, Number(date.slice(0, 4))).has(date);
}

const noHolidays = () => false;

/** The calendar a policy's targets are counted in. */
export function calendarFor(
  market: { code: string; time_zone: string },
  policy: { business_hours: WeeklyHours; observe_holidays: boolean } | null,
): BusinessCalendar {
  if (!policy) return { timeZone: market.time_zone, weeklyHours: ALWAYS_OPEN, holidays: noHolidays };
  return {
    timeZone: market.time_zone,
    weeklyHours: policy.business_hours,
    holidays: policy.observe_holidays ? marketHolidays(market.code) : noHolidays,
  };
}
