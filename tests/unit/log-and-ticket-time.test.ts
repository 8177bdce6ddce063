import { describe, expect, it } from 'vitest';
import { detailLabel, failureText, fileName, isIsoTime } from '../../renderer/src/features/log/detail-format';
import { localDay, matchingPreset, presetRange, type DatePreset } from '../../renderer/src/features/log/date-presets';
import { engineerTimeHint, formatCustomerTime } from '../../renderer/src/lib/zoned-time';

describe('log date presets: local days, weeks from Monday, "to" is today', () => {
  // Local times: presets follow the engineer's own calendar, whatever zone the test runs in.
  const sunday = new Date(2026, 10, 29, 23, 30); // Sunday 29 Nov 2026, late evening
  const monday = new Date(2026, 10, 30, 0, 15);
  const firstOfMonth = new Date(2026, 11, 1, 9, 0);
  it.each<[string, DatePreset, Date, { from: string; to: string }]>([
    ['today', 'today', sunday, { from: '2026-11-29', to: '2026-11-29' }],
    ['this week on a Sunday goes back to Monday', 'this-week', sunday, { from: '2026-11-23', to: '2026-11-29' }],
    ['this week on a Monday is that day', 'this-week', monday, { from: '2026-11-30', to: '2026-11-30' }],
    ['last 7 days includes today', 'last-7-days', sunday, { from: '2026-11-23', to: '2026-11-29' }],
    ['last 7 days across a month', 'last-7-days', firstOfMonth, { from: '2026-11-25', to: '2026-12-01' }],
    ['this month', 'this-month', sunday, { from: '2026-11-01', to: '2026-11-29' }],
    ['this month on its first day', 'this-month', firstOfMonth, { from: '2026-12-01', to: '2026-12-01' }],
  ])('%s', (_, preset, now, expected) => {
    expect(presetRange(preset, now)).toEqual(expected);
  });

  it('a local date is not the UTC date', () => {
    expect(localDay(new Date(2026, 0, 1, 0, 5))).toBe('2026-01-01');
  });

  it('recognises a range that is a preset, and one that is not', () => {
    expect(matchingPreset({ from: '2026-11-01', to: '2026-11-29' }, sunday)).toBe('this-month');
    expect(matchingPreset({ from: '2026-11-02', to: '2026-11-29' }, sunday)).toBeNull();
  });
});

describe('ticket times: the customer zone named, the engineer\'s on hover', () => {
  it.each([
    ['2026-11-29T20:00:00Z', 'Asia/Kolkata', /Nov 30, 2026.*1:30.*AM.*GMT\+5:30/],
    ['2026-11-29T20:00:00Z', 'America/Chicago', /Nov 29, 2026.*2:00.*PM.*CST/],
    ['2026-07-01T12:00:00Z', 'America/Chicago', /Jul 1, 2026.*7:00.*AM.*CDT/],
  ])('%s in %s', (iso, zone, expected) => {
    expect(formatCustomerTime(iso, zone)).toMatch(expected);
  });

  it('falls back to the engineer\'s zone for an unknown one, and says — for no time', () => {
    expect(formatCustomerTime('2026-11-29T20:00:00Z', 'Nowhere/Land')).toMatch(/2026/);
    expect(formatCustomerTime(null, 'Asia/Kolkata')).toBe('—');
    expect(formatCustomerTime('not a time', 'Asia/Kolkata')).toBe('not a time');
  });

  it('the hover names the engineer\'s zone', () => {
    expect(engineerTimeHint('2026-11-29T20:00:00Z', 'Europe/Berlin')).toMatch(/^Your time: Nov 29, 2026.*9:00.*PM \(Europe\/Berlin\)$/);
    expect(engineerTimeHint(undefined)).toBeUndefined();
  });
});

describe('event details in words', () => {
  it.each([
    ['recordingSha256', 'Recording SHA-256'], ['endedBecause', 'Ended because'], ['forwardVia', 'Through SSH session'],
    ['someNewKey', 'Some new key'], ['snake_case_key', 'Snake case key'], ['port2', 'Port 2'],
  ])('%s → %s', (key, label) => {
    expect(detailLabel(key)).toBe(label);
  });

  it('puts a failure kind into words and keeps the code; leaves an unknown one as it is', () => {
    expect(failureText('auth-failed')).toBe('The server refused the credentials (auth-failed)');
    expect(failureText('something-new')).toBe('something-new');
  });

  it('names a recording by its file, and tells ISO times from other text', () => {
    expect(fileName('/data/recordings/2026/abc.cast')).toBe('abc.cast');
    expect(isIsoTime('2026-11-29T20:00:00.000Z')).toBe(true);
    expect(isIsoTime('2026-11-29')).toBe(false);
  });
});
