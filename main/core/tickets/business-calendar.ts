import { WEEKDAYS, type Weekday } from '../../../contract/domain/vocabulary';
import { ApiError } from '../../../contract/errors';

/** The customer's geography: "24x7" means every hour of its business working days. */
export interface BusinessCalendar {
  /** IANA time zone, e.g. Asia/Kolkata. */
  timezone: string;
  workdays: Weekday[];
  /** Local dates, YYYY-MM-DD. */
  holidays: string[];
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const MAX_ADD_MS = 10 * 366 * DAY_MS;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

interface Prepared { timezone: string; fmt: Intl.DateTimeFormat; workdays: ReadonlySet<Weekday>; holidays: ReadonlySet<string> }

export function isBusinessDay(cal: BusinessCalendar, localDate: string): boolean {
  return businessDay(prepare(cal), dateToUtcMs(localDate, 'The date'));
}

export function localDateOf(cal: BusinessCalendar, at: Date): string {
  return isoDate(localDay(prepare(cal).fmt, instant(at, 'The instant')));
}

/** Milliseconds of [from, to) that fall on business days of the calendar; 0 when `to` is not after `from`. */
export function businessMsBetween(cal: BusinessCalendar, from: Date, to: Date): number {
  const p = prepare(cal);
  const a = instant(from, 'The start');
  const b = instant(to, 'The end');
  let total = 0;
  for (let day = localDay(p.fmt, a), start = dayStart(p, day); start < b; ) {
    const end = dayStart(p, day + DAY_MS);
    if (businessDay(p, day)) total += Math.max(0, Math.min(end, b) - Math.max(start, a));
    day += DAY_MS;
    start = end;
  }
  return total;
}

/** The instant at which `ms` of business time after `from` have elapsed (`from` itself when ms is 0). */
export function addBusinessMs(cal: BusinessCalendar, from: Date, ms: number): Date {
  const p = prepare(cal);
  let cursor = instant(from, 'The start');
  if (!Number.isFinite(ms) || ms < 0) throw new ApiError('INVALID_INPUT', `A business-time budget must be zero or more milliseconds (got ${ms}).`);
  if (ms > MAX_ADD_MS) throw new ApiError('INVALID_INPUT', 'A business-time budget of more than ten years is not supported.');
  if (ms === 0) return new Date(cursor);
  if (p.workdays.size === 0) throw new ApiError('INVALID_INPUT', `The business calendar for ${p.timezone} has no working days, so no deadline can be computed.`);
  let remaining = ms;
  for (let day = localDay(p.fmt, cursor); ; day += DAY_MS) {
    const end = Math.max(cursor, dayStart(p, day + DAY_MS));
    if (businessDay(p, day)) {
      if (remaining <= end - cursor) return new Date(cursor + remaining);
      remaining -= end - cursor;
    }
    cursor = end;
  }
}

// Days are handled as the UTC instant of their date's midnight ("wall" ms); instants as epoch ms.

function businessDay(p: Prepared, day: number): boolean {
  const weekday = WEEKDAYS[(new Date(day).getUTCDay() + 6) % 7] as Weekday;
  return p.workdays.has(weekday) && !p.holidays.has(isoDate(day));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function prepare(cal: BusinessCalendar): Prepared {
  if (typeof cal !== 'object' || cal === null) throw new ApiError('INVALID_INPUT', 'A business calendar (time zone, working days, holidays) is required.');
  const { timezone, workdays, holidays } = cal;
  let fmt = formatters.get(timezone);
  if (!fmt) {
    try {
      fmt = new Intl.DateTimeFormat('en-US', {
        timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
      });
    } catch {
      throw new ApiError('INVALID_INPUT', `"${String(timezone)}" is not a known time zone; use an IANA name such as Asia/Kolkata.`);
    }
    formatters.set(timezone, fmt);
  }
  if (!Array.isArray(workdays) || workdays.some((d) => !WEEKDAYS.includes(d))) {
    throw new ApiError('INVALID_INPUT', `Working days must be a list of ${WEEKDAYS.join(', ')}.`);
  }
  if (!Array.isArray(holidays)) throw new ApiError('INVALID_INPUT', 'Holidays must be a list of dates (YYYY-MM-DD).');
  for (const h of holidays) dateToUtcMs(h, 'A holiday');
  return { timezone, fmt, workdays: new Set(workdays), holidays: new Set(holidays) };
}

function instant(at: Date, what: string): number {
  const t = at instanceof Date ? at.getTime() : NaN;
  if (Number.isNaN(t)) throw new ApiError('INVALID_INPUT', `${what} is not a valid date and time.`);
  return t;
}

function dateToUtcMs(date: string, what: string): number {
  const m = typeof date === 'string' ? DATE_RE.exec(date) : null;
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (Number.isNaN(ms) || isoDate(ms) !== date) throw new ApiError('INVALID_INPUT', `${what} "${String(date)}" is not a calendar date (YYYY-MM-DD).`);
  return ms;
}

const isoDate = (day: number) => new Date(day).toISOString().slice(0, 10);

/** The local wall-clock time at instant t, as if it were UTC (whole seconds: zone offsets are). */
function wallAt(fmt: Intl.DateTimeFormat, t: number): number {
  const v: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of fmt.formatToParts(Math.floor(t / 1000) * 1000)) if (part.type !== 'literal') v[part.type] = Number(part.value);
  return Date.UTC(v.year ?? NaN, (v.month ?? NaN) - 1, v.day ?? NaN, v.hour ?? NaN, v.minute ?? NaN, v.second ?? NaN);
}

const offsetAt = (fmt: Intl.DateTimeFormat, t: number) => wallAt(fmt, t) - Math.floor(t / 1000) * 1000;
const localDay = (fmt: Intl.DateTimeFormat, t: number) => Math.floor(wallAt(fmt, t) / DAY_MS) * DAY_MS;

const dayStarts = new Map<string, number>();

/**
 * The first instant whose local date is `day` (or later: a skipped day has length 0).
 * Local midnight is wall − offset, but which offset applies depends on the instant itself, so
 * candidates come from iterating that twice (it alternates between both sides of a change that skips
 * midnight, and the later one is when the day starts). Where the clock falls back to midnight,
 * midnight happens twice and iterating may settle on the second, so the offset in force a day and
 * a half earlier gives the first.
 */
function dayStart(p: Prepared, day: number): number {
  const key = `${p.timezone}|${day}`;
  const cached = dayStarts.get(key);
  if (cached !== undefined) return cached;
  const candidates = new Set<number>();
  let t = day;
  for (let i = 0; i < 2; i++) candidates.add((t = day - offsetAt(p.fmt, t)));
  candidates.add(day - offsetAt(p.fmt, day - 36 * HOUR_MS));
  let best = Infinity;
  for (const c of candidates) if (c < best && localDay(p.fmt, c) >= day) best = c;
  if (!Number.isFinite(best)) throw new ApiError('INTERNAL', `Could not find where ${isoDate(day)} starts in ${p.timezone}.`);
  if (dayStarts.size >= 20_000) dayStarts.clear();
  dayStarts.set(key, best);
  return best;
}
