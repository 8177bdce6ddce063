import { describe, expect, it } from 'vitest';
import type { Weekday } from '../../contract/domain/vocabulary';
import { ApiError } from '../../contract/errors';
import { addBusinessMs, businessMsBetween, isBusinessDay, localDateOf, type BusinessCalendar } from '../../main/core/tickets/business-calendar';
import { prng } from '../helpers/prng';

const H = 3_600_000;
const MON_FRI: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
const MON_SAT: Weekday[] = [...MON_FRI, 'sat'];
const ALL_WEEK: Weekday[] = [...MON_SAT, 'sun'];
const cal = (timezone: string, workdays: Weekday[], holidays: string[] = []): BusinessCalendar => ({ timezone, workdays, holidays });
const at = (iso: string) => new Date(iso);

const INDIA = cal('Asia/Kolkata', MON_FRI);
const BERLIN = cal('Europe/Berlin', ALL_WEEK);

describe('addBusinessMs', () => {
  // 2024-05-03 is a Friday.
  it.each<[string, BusinessCalendar, string, number, string]>([
    ['Friday 22:00 IST + 3 h, mon–fri → Monday 01:00', INDIA, '2024-05-03T22:00+05:30', 3 * H, '2024-05-06T01:00+05:30'],
    ['mon–sat: Saturday counts', cal('Asia/Kolkata', MON_SAT), '2024-05-03T22:00+05:30', 3 * H, '2024-05-04T01:00+05:30'],
    ['mon–sat with that Saturday a holiday', cal('Asia/Kolkata', MON_SAT, ['2024-05-04']), '2024-05-03T22:00+05:30', 3 * H, '2024-05-06T01:00+05:30'],
    ['a holiday in the middle of the week', cal('Asia/Kolkata', MON_FRI, ['2024-05-08']), '2024-05-07T12:00+05:30', 24 * H, '2024-05-09T12:00+05:30'],
    ['Friday holiday and weekend in a row', cal('Asia/Kolkata', MON_FRI, ['2024-05-03']), '2024-05-02T23:00+05:30', 2 * H, '2024-05-06T01:00+05:30'],
    ['from inside a Saturday', INDIA, '2024-05-04T10:00+05:30', 1 * H, '2024-05-06T01:00+05:30'],
    ['from inside a holiday', cal('Asia/Kolkata', MON_FRI, ['2024-05-08']), '2024-05-08T15:00+05:30', 30 * 60_000, '2024-05-09T00:30+05:30'],
    ['a budget that ends exactly at midnight', INDIA, '2024-05-03T21:00+05:30', 3 * H, '2024-05-04T00:00+05:30'],
    ['30 min, same day', INDIA, '2024-05-06T09:45+05:30', 30 * 60_000, '2024-05-06T10:15+05:30'],
    ['Berlin spring forward: Sunday has 23 h', BERLIN, '2024-03-31T00:00+01:00', 24 * H, '2024-04-01T01:00+02:00'],
    ['Berlin fall back: Sunday has 25 h', BERLIN, '2024-10-27T00:00+02:00', 24 * H, '2024-10-27T23:00+01:00'],
    ['Berlin across the skipped hour', BERLIN, '2024-03-31T01:30+01:00', 1 * H, '2024-03-31T03:30+02:00'],
    ['Berlin through the repeated hour', BERLIN, '2024-10-27T02:30+02:00', 1 * H, '2024-10-27T02:30+01:00'],
  ])('%s', (_, calendar, from, ms, due) => {
    expect(addBusinessMs(calendar, at(from), ms).toISOString()).toBe(at(due).toISOString());
  });

  it('returns the start itself for a zero budget, even on a day off', () => {
    expect(addBusinessMs(INDIA, at('2024-05-04T10:00+05:30'), 0).toISOString()).toBe(at('2024-05-04T10:00+05:30').toISOString());
  });

  it('gives different due instants for the same instant in two geographies', () => {
    const from = at('2024-05-03T20:00Z'); // Friday 21:00 in London, Saturday 01:30 in Kolkata
    expect(addBusinessMs(cal('Europe/London', MON_FRI), from, 3 * H).toISOString()).toBe('2024-05-03T23:00:00.000Z');
    expect(addBusinessMs(INDIA, from, 3 * H).toISOString()).toBe(at('2024-05-06T03:00+05:30').toISOString());
  });
});

describe('businessMsBetween', () => {
  it.each<[string, BusinessCalendar, string, string, number]>([
    ['a mon–fri week in India', INDIA, '2024-05-06T00:00+05:30', '2024-05-13T00:00+05:30', 5 * 24 * H],
    ['the weekend counts nothing', INDIA, '2024-05-04T10:00+05:30', '2024-05-05T20:00+05:30', 0],
    ['Friday evening to Monday morning', INDIA, '2024-05-03T22:00+05:30', '2024-05-06T01:00+05:30', 3 * H],
    ['a holiday in the middle', cal('Asia/Kolkata', MON_FRI, ['2024-05-08']), '2024-05-06T00:00+05:30', '2024-05-10T00:00+05:30', 3 * 24 * H],
    ['Berlin DST Sunday is 23 h', BERLIN, '2024-03-31T00:00+01:00', '2024-04-01T00:00+02:00', 23 * H],
    ['Berlin DST Sunday is 25 h', BERLIN, '2024-10-27T00:00+02:00', '2024-10-28T00:00+01:00', 25 * H],
    ['Berlin DST week, every day working', BERLIN, '2024-03-25T00:00+01:00', '2024-04-01T00:00+02:00', (7 * 24 - 1) * H],
    ['Berlin DST weekend with Saturday a holiday', cal('Europe/Berlin', ALL_WEEK, ['2024-03-30']), '2024-03-30T12:00+01:00', '2024-04-01T12:00+02:00', 35 * H],
    ['Berlin fall-back weekend, Saturday off', cal('Europe/Berlin', [...MON_FRI, 'sun']), '2024-10-26T12:00+02:00', '2024-10-28T12:00+01:00', 37 * H],
    ['Santiago: DST skips midnight, Sunday starts at 01:00', cal('America/Santiago', ['sun']), '2023-09-01T00:00Z', '2023-09-06T00:00Z', 23 * H],
    ['Amman: DST ends at 01:00, midnight happens twice, Friday has 25 h', cal('Asia/Amman', ['fri']), '2014-10-25T00:00Z', '2014-11-05T00:00Z', 25 * H],
    ['Amman: the day starts at the first midnight', cal('Asia/Amman', ['fri']), '2014-10-30T21:00Z', '2014-10-30T22:00Z', 1 * H],
    ['Havana: midnight twice, Sunday has 25 h', cal('America/Havana', ['sun']), '2012-11-01T00:00Z', '2012-11-08T00:00Z', 25 * H],
    ['Samoa skipped 30 December 2011 entirely', cal('Pacific/Apia', ['fri']), '2011-12-25T00:00Z', '2012-01-05T00:00Z', 0],
    ['an empty or reversed range', INDIA, '2024-05-06T12:00+05:30', '2024-05-06T11:00+05:30', 0],
  ])('%s', (_, calendar, from, to, ms) => {
    expect(businessMsBetween(calendar, at(from), at(to))).toBe(ms);
  });

  it('counts the same instants differently in two time zones', () => {
    const from = at('2024-05-03T12:00Z');
    const to = at('2024-05-04T12:00Z');
    expect(businessMsBetween(cal('Europe/London', MON_FRI), from, to)).toBe(11 * H); // Fri 13:00 → Sat 00:00 BST
    expect(businessMsBetween(INDIA, from, to)).toBe(6.5 * H); // Fri 17:30 → Sat 00:00 IST
    expect(businessMsBetween(cal('America/Los_Angeles', MON_FRI), from, to)).toBe(19 * H); // Fri 05:00 → Sat 05:00 PDT
  });
});

describe('localDateOf and isBusinessDay', () => {
  it.each<[string, string, string]>([
    ['Asia/Kolkata', '2024-05-03T20:00Z', '2024-05-04'],
    ['Europe/London', '2024-05-03T20:00Z', '2024-05-03'],
    ['America/Los_Angeles', '2024-05-04T06:59:59Z', '2024-05-03'],
    ['Pacific/Kiritimati', '2024-05-03T10:00Z', '2024-05-04'],
    ['Europe/Berlin', '2024-03-30T23:00Z', '2024-03-31'],
  ])('%s at %s is %s', (timezone, instant, date) => {
    expect(localDateOf(cal(timezone, MON_FRI), at(instant))).toBe(date);
  });

  it.each<[string, BusinessCalendar, string, boolean]>([
    ['mon–fri, Friday', INDIA, '2024-05-03', true],
    ['mon–fri, Saturday', INDIA, '2024-05-04', false],
    ['mon–fri, Sunday', INDIA, '2024-05-05', false],
    ['mon–sat, Saturday', cal('Asia/Kolkata', MON_SAT), '2024-05-04', true],
    ['mon–sat, Saturday holiday', cal('Asia/Kolkata', MON_SAT, ['2024-05-04']), '2024-05-04', false],
    ['mon–fri, Wednesday holiday', cal('Asia/Kolkata', MON_FRI, ['2024-05-08']), '2024-05-08', false],
    ['all week, DST Sunday', BERLIN, '2024-03-31', true],
  ])('%s', (_, calendar, date, expected) => {
    expect(isBusinessDay(calendar, date)).toBe(expected);
  });
});

describe('invalid calendars and inputs are refused with a sentence', () => {
  it.each<[string, () => unknown, RegExp]>([
    ['unknown time zone', () => localDateOf(cal('Mars/Olympus', MON_FRI), new Date()), /"Mars\/Olympus" is not a known time zone/],
    ['impossible holiday', () => isBusinessDay(cal('UTC', MON_FRI, ['2024-02-30']), '2024-02-29'), /holiday "2024-02-30" is not a calendar date/],
    ['holiday in another format', () => isBusinessDay(cal('UTC', MON_FRI, ['3/5/2024']), '2024-02-29'), /holiday "3\/5\/2024" is not a calendar date/],
    ['unknown weekday', () => isBusinessDay(cal('UTC', ['monday' as Weekday]), '2024-02-29'), /Working days must be a list of mon, tue/],
    ['bad date asked', () => isBusinessDay(INDIA, '2024-13-01'), /date "2024-13-01" is not a calendar date/],
    ['invalid instant', () => businessMsBetween(INDIA, new Date('nope'), new Date()), /start is not a valid date/],
    ['negative budget', () => addBusinessMs(INDIA, new Date(), -1), /zero or more milliseconds/],
    ['no working days', () => addBusinessMs(cal('UTC', []), new Date(), H), /has no working days/],
  ])('%s', (_, call, message) => {
    expect(call).toThrow(ApiError);
    expect(call).toThrow(message);
  });
});

describe('addBusinessMs and businessMsBetween agree (seeded property check)', () => {
  const calendars = [
    BERLIN,
    cal('Europe/Berlin', [...MON_FRI, 'sun'], ['2024-03-29', '2024-04-01', '2024-12-25', '2025-10-27']),
    cal('Asia/Kolkata', MON_SAT, ['2024-08-15', '2024-10-02']),
    cal('America/New_York', MON_FRI, ['2024-11-28', '2025-03-10']),
    cal('America/Santiago', ['sat', 'sun']),
    cal('Australia/Lord_Howe', ['mon', 'wed']),
  ];
  const start = Date.UTC(2023, 0, 1);
  const span = Date.UTC(2026, 0, 1) - start;

  it.each(calendars.map((c, i) => [c.timezone, c, i] as const))('%s', (_, calendar, i) => {
    const random = prng(20240503 + i);
    for (let n = 0; n < 150; n++) {
      const from = new Date(start + Math.floor(random() * span));
      const x = Math.floor(random() * 20 * 24 * H);
      const due = addBusinessMs(calendar, from, x);
      expect(businessMsBetween(calendar, from, due), `from ${from.toISOString()} + ${x}`).toBe(x);
      // The earliest such instant: one millisecond before, the budget is not yet used up.
      if (x > 0) expect(businessMsBetween(calendar, from, new Date(due.getTime() - 1))).toBe(x - 1);
      const mid = new Date(from.getTime() + Math.floor(random() * (due.getTime() - from.getTime() + 1)));
      expect(businessMsBetween(calendar, from, mid) + businessMsBetween(calendar, mid, due)).toBe(x);
    }
  });
});
