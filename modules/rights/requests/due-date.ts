/**
 * Due dates (MS-8c, WSM-25): business days per brand, skipping the weekend and holidays — the profile's own list plus
 * the public holidays of the brand's country from date-holidays — or the GDPR's one month / the CCPA's 45 days.
 * A request received on day D is due at the end (23:59:59.999 UTC) of the N-th business day after D.
 */
import Holidays from 'date-holidays';
import type { PrivacyProfile } from '../../../core/profile/schema';
import type { RequestSla } from './request-types';

const DAY = 86_400_000;
const MAX_SCAN_DAYS = 3660;
const calendars = new Map<string, Map<number, Set<string>>>();

/**
 * Public holidays of a country/region in a year, as YYYY-MM-DD. Only date-holidays' `public` type counts: its `bank`
 * type marks days banks close although they are working days (DE's 24 and 31 December); UK bank holidays are `public`.
 */
export function countryHolidays(country: string, region: string | undefined, year: number): Set<string> {
  const key = `${country}/${region ?? ''}`;
  let byYear = calendars.get(key);
  if (!byYear) calendars.set(key, (byYear = new Map()));
  let days = byYear.get(year);
  if (!days) {
    const hd = region ? new Holidays(country, region) : new Holidays(country);
    days = new Set((hd.getHolidays(year) || []).filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10)));
    byYear.set(year, days);
  }
  return days;
}

/** The calendar a brand counts business days with. */
export interface BusinessCalendar { weekend: number[]; holidays: Set<string>; country?: string; region?: string }

/** The brand's calendar from its profile: weekend, listed holidays, and its country's public holidays. */
export function calendarOf(profile: PrivacyProfile): BusinessCalendar {
  const country = profile.rights.holidayCountry ?? profile.controller?.country?.toUpperCase();
  return { weekend: profile.rights.weekend, holidays: new Set(profile.rights.holidays), country, region: profile.rights.holidayRegion };
}

/** Whether a UTC day is a business day in the calendar. */
export function isBusinessDay(cal: BusinessCalendar, dayMs: number): boolean {
  const d = new Date(dayMs);
  if (cal.weekend.includes(d.getUTCDay())) return false;
  const iso = d.toISOString().slice(0, 10);
  if (cal.holidays.has(iso)) return false;
  if (cal.country && countryHolidays(cal.country, cal.region, d.getUTCFullYear()).has(iso)) return false;
  return true;
}

/** The end of the `n`-th business day after the day of `fromMs`. */
export function addBusinessDays(cal: BusinessCalendar, fromMs: number, n: number): number {
  let day = Math.floor(fromMs / DAY) * DAY;
  let left = n;
  // A profile whose weekend is all seven days has no business days: stop after ten years instead of looping for ever.
  for (let scanned = 0; left > 0 && scanned < MAX_SCAN_DAYS; scanned++) {
    day += DAY;
    if (isBusinessDay(cal, day)) left -= 1;
  }
  return day + DAY - 1;
}

/** Business days from `fromMs` to `toMs` (negative when `toMs` is earlier): how near or overdue a request is. */
export function businessDaysBetween(cal: BusinessCalendar, fromMs: number, toMs: number): number {
  const a = Math.floor(fromMs / DAY) * DAY;
  const b = Math.floor(toMs / DAY) * DAY;
  const sign = b >= a ? 1 : -1;
  let n = 0;
  for (let d = a; d !== b; d += sign * DAY) if (isBusinessDay(cal, d + sign * DAY)) n += sign;
  return n;
}

/** The end of the same day one calendar month later (the last day of a shorter month when it has no such day). */
function addOneMonth(fromMs: number): number {
  const d = new Date(fromMs);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(d.getUTCDate(), last)) + DAY - 1;
}

/** When a request received at `fromMs` is due, by the brand's rule and the request's service level. */
export function dueDate(profile: PrivacyProfile, fromMs: number, sla: RequestSla = 'dsar'): number {
  const cal = calendarOf(profile);
  if (sla === 'reseller-removal') return addBusinessDays(cal, fromMs, profile.rights.resellerRemovalBusinessDays);
  switch (profile.rights.dueRule) {
    case 'gdpr-month': return addOneMonth(fromMs);
    case 'ccpa-45-days': return Math.floor(fromMs / DAY) * DAY + 46 * DAY - 1;
    default: return addBusinessDays(cal, fromMs, profile.rights.dueBusinessDays);
  }
}
