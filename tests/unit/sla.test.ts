import { describe, expect, it } from 'vitest';
import { ApiError } from '../../contract/errors';
import type { BusinessCalendar } from '../../main/core/tickets/business-calendar';
import { ESCALATION_THRESHOLD, formatBudget, formatDuration, suggestEscalation, type SupportLevel } from '../../main/core/tickets/escalation';
import { computeSlaClocks, PREMIUM_SLA, type SlaClock, type SlaInput } from '../../main/core/tickets/sla';

const MIN = 60_000;
const H = 60 * MIN;
const INDIA: BusinessCalendar = { timezone: 'Asia/Kolkata', workdays: ['mon', 'tue', 'wed', 'thu', 'fri'], holidays: [] };
/** Local IST times; 2024-05-06 is a Monday. */
const ist = (local: string) => new Date(`${local}+05:30`);
const iso = (local: string) => ist(local).toISOString();

const incident = (over: Partial<SlaInput> = {}): SlaInput => ({
  type: 'incident', severity: 'critical', cause: 'software', reportedAt: ist('2024-05-06T10:00'),
  firstResponseAt: null, resolvedAt: null, rcaDeliveredAt: null, rcaWaits: [], ...over,
});
const clocks = (over: Partial<SlaInput>, now: string) => computeSlaClocks(incident(over), INDIA, ist(now));

it('PREMIUM_SLA holds the guide’s targets', () => {
  expect(PREMIUM_SLA).toEqual({ firstResponseMs: 30 * MIN, resolutionMs: { critical: 3 * H, major: 24 * H, minor: null }, rcaMs: 48 * H });
});

it('change tickets have no SLA clock at all', () => {
  const all = clocks({ type: 'change', firstResponseAt: ist('2024-05-08T10:00') }, '2024-05-09T10:00');
  for (const clock of Object.values(all)) {
    expect(clock).toMatchObject({ state: 'not_applicable', budgetMs: null, dueAt: null, reason: 'Change tickets have no SLA clock (window agreed with the customer)' });
  }
});

type Row = [string, Partial<SlaInput>, string, Partial<SlaClock>];

describe('first response: 30 min of business time', () => {
  it.each<Row>([
    ['running', {}, '2024-05-06T10:15', { state: 'running', usedMs: 15 * MIN, remainingMs: 15 * MIN, fractionUsed: 0.5, dueAt: iso('2024-05-06T10:30') }],
    ['met', { firstResponseAt: ist('2024-05-06T10:20') }, '2024-05-06T12:00', { state: 'met', usedMs: 20 * MIN, endedAt: iso('2024-05-06T10:20') }],
    ['met at exactly 30 min', { firstResponseAt: ist('2024-05-06T10:30') }, '2024-05-06T12:00', { state: 'met', usedMs: 30 * MIN, remainingMs: 0 }],
    ['answered late stays breached', { firstResponseAt: ist('2024-05-06T10:45') }, '2024-05-06T12:00',
      { state: 'breached', usedMs: 45 * MIN, remainingMs: 0, fractionUsed: 1.5, reason: 'First response: 30 min of business time; exceeded by 15 min' }],
    ['no answer past the budget', {}, '2024-05-06T11:00', { state: 'breached', usedMs: H }],
    ['reported Friday night, the weekend does not count', { reportedAt: ist('2024-05-03T23:50') }, '2024-05-06T00:10',
      { state: 'running', usedMs: 20 * MIN, dueAt: iso('2024-05-06T00:20'), reason: 'First response: 30 min of business time' }],
  ])('%s', (_, over, now, expected) => {
    expect(clocks(over, now).firstResponse).toMatchObject({ name: 'first_response', budgetMs: 30 * MIN, ...expected });
  });
});

describe('resolution: by severity, only for faults of the software', () => {
  it.each<Row>([
    ['critical running', {}, '2024-05-06T12:24',
      { state: 'running', budgetMs: 3 * H, usedMs: 2 * H + 24 * MIN, fractionUsed: 0.8, dueAt: iso('2024-05-06T13:00'), reason: 'Critical: 3 h of business time' }],
    ['critical met', { resolvedAt: ist('2024-05-06T12:00') }, '2024-05-07T12:00', { state: 'met', usedMs: 2 * H, reason: 'Critical: 3 h of business time; met' }],
    ['critical breached after resolution', { resolvedAt: ist('2024-05-06T14:00') }, '2024-05-07T12:00', { state: 'breached', usedMs: 4 * H }],
    ['major over a weekend', { severity: 'major', reportedAt: ist('2024-05-03T12:00') }, '2024-05-06T06:00',
      { state: 'running', budgetMs: 24 * H, usedMs: 18 * H, dueAt: iso('2024-05-06T12:00'), reason: 'Major: 24 h of business time' }],
    ['third-party cause still runs the clock', { cause: 'third_party' }, '2024-05-06T11:00', { state: 'running', usedMs: H }],
    ['cause unknown runs the clock', { cause: 'unknown' }, '2024-05-06T11:00', { state: 'running', usedMs: H }],
    ['minor: next release', { severity: 'minor' }, '2024-05-20T10:00',
      { state: 'not_applicable', budgetMs: null, dueAt: null, reason: 'Minor: fixed in the next release/update' }],
    ["client's hardware or connectivity stops it", { cause: 'client_hardware_connectivity' }, '2024-05-07T10:00',
      { state: 'stopped', dueAt: null, reason: "Stopped: cause traced to the client's hardware or connectivity" }],
  ])('%s', (_, over, now, expected) => {
    expect(clocks(over, now).resolution).toMatchObject({ name: 'resolution', ...expected });
  });
});

describe('RCA: 48 h of business time after resolution, major/critical software faults only', () => {
  const resolved = { resolvedAt: ist('2024-05-06T12:00') };
  const waitTue = { from: ist('2024-05-07T12:00'), to: ist('2024-05-08T12:00') };
  it.each<Row>([
    ['minor', { severity: 'minor', ...resolved }, '2024-05-07T12:00', { state: 'not_applicable', reason: 'RCA reports are for major and critical incidents only' }],
    ['third party', { cause: 'third_party', ...resolved }, '2024-05-07T12:00', { state: 'not_applicable', reason: 'RCA per analysis: external dependency' }],
    ['client hardware', { cause: 'client_hardware_connectivity', ...resolved }, '2024-05-07T12:00', { state: 'not_applicable', reason: 'RCA per analysis: external dependency' }],
    ['cause unknown', { cause: 'unknown', ...resolved }, '2024-05-07T12:00', { state: 'not_applicable', reason: 'RCA per analysis: cause not yet traced to the application' }],
    ['not resolved yet', {}, '2024-05-07T12:00', { state: 'not_applicable', dueAt: null, reason: 'RCA: 48 h of business time, starts when resolved' }],
    ['running', resolved, '2024-05-07T12:00', { state: 'running', budgetMs: 48 * H, usedMs: 24 * H, dueAt: iso('2024-05-08T12:00'), reason: 'RCA: 48 h of business time after resolution' }],
    ['delivered in time', { ...resolved, rcaDeliveredAt: ist('2024-05-08T10:00') }, '2024-05-09T12:00', { state: 'met', usedMs: 46 * H, endedAt: iso('2024-05-08T10:00') }],
    ['delivered late', { ...resolved, rcaDeliveredAt: ist('2024-05-08T13:00') }, '2024-05-09T12:00', { state: 'breached', usedMs: 49 * H }],
    ['a closed wait does not count', { ...resolved, rcaWaits: [waitTue] }, '2024-05-09T12:00', { state: 'running', usedMs: 48 * H, dueAt: iso('2024-05-09T12:00') }],
    ['…and past the budget after it', { ...resolved, rcaWaits: [waitTue] }, '2024-05-09T13:00', { state: 'breached', usedMs: 49 * H }],
    ['overlapping waits count once', { ...resolved, rcaWaits: [{ from: ist('2024-05-07T12:00'), to: ist('2024-05-08T00:00') }, { from: ist('2024-05-07T18:00'), to: ist('2024-05-08T12:00') }] },
      '2024-05-09T12:00', { state: 'running', usedMs: 48 * H, dueAt: iso('2024-05-09T12:00') }],
    ['a wait before resolution is ignored', { ...resolved, rcaWaits: [{ from: ist('2024-05-06T10:00'), to: ist('2024-05-06T12:00') }] }, '2024-05-07T12:00', { usedMs: 24 * H }],
    ['paused while waiting for debug data', { ...resolved, rcaWaits: [{ from: ist('2024-05-07T12:00'), to: null }] }, '2024-05-09T12:00',
      { state: 'paused', usedMs: 24 * H, remainingMs: 24 * H, dueAt: iso('2024-05-10T12:00'), reason: 'Paused: waiting for debug data since 2024-05-07 12:00 (Asia/Kolkata)' }],
    ['a breach is not undone by a later wait', { ...resolved, rcaWaits: [{ from: ist('2024-05-09T14:00'), to: null }] }, '2024-05-10T12:00', { state: 'breached', usedMs: 74 * H }],
    ['a wait over the weekend changes nothing', { ...resolved, resolvedAt: ist('2024-05-10T12:00'), rcaWaits: [{ from: ist('2024-05-11T00:00'), to: ist('2024-05-13T00:00') }] },
      '2024-05-13T12:00', { state: 'running', usedMs: 24 * H, dueAt: iso('2024-05-14T12:00') }],
  ])('%s', (_, over, now, expected) => {
    expect(clocks(over, now).rca).toMatchObject({ name: 'rca', ...expected });
  });
});

describe('a clock stands still on the customer\'s days off, and says so', () => {
  const WITH_HOLIDAY: BusinessCalendar = { ...INDIA, holidays: ['2024-05-08'] };
  const at = (over: Partial<SlaInput>, now: string, cal = INDIA) => computeSlaClocks(incident(over), cal, ist(now));
  it.each<[string, Partial<SlaInput>, string, BusinessCalendar, 'resolution' | 'rca', Partial<SlaClock>]>([
    ['Saturday: paused until Monday 00:00', { severity: 'major', reportedAt: ist('2024-05-10T12:00') }, '2024-05-11T10:00', INDIA, 'resolution',
      { state: 'paused', usedMs: 12 * H, pause: { kind: 'non_working_day', resumesAt: iso('2024-05-13T00:00') },
        reason: 'Paused: Saturday is not a working day for this customer (Asia/Kolkata); counts again from 2024-05-13 00:00 (Asia/Kolkata); Major: 24 h of business time' }],
    ['a holiday: paused until the next working day', { severity: 'major', reportedAt: ist('2024-05-07T20:00') }, '2024-05-08T09:00', WITH_HOLIDAY, 'resolution',
      { state: 'paused', usedMs: 4 * H, reason: expect.stringMatching(/^Paused: 2024-05-08 is a holiday for this customer/) as string, pause: { kind: 'holiday', resumesAt: iso('2024-05-09T00:00') } }],
    ['a working day runs, with no pause', { severity: 'major' }, '2024-05-06T11:00', INDIA, 'resolution', { state: 'running' }],
    ['waiting for debug data names that', { resolvedAt: ist('2024-05-06T12:00'), rcaWaits: [{ from: ist('2024-05-07T12:00'), to: null }] }, '2024-05-09T12:00', INDIA, 'rca',
      { state: 'paused', pause: { kind: 'waiting_for_data' } }],
    ['a breach on a Saturday stays a breach', {}, '2024-05-11T10:00', INDIA, 'resolution', { state: 'breached' }],
  ])('%s', (_, over, now, cal, clock, expected) => {
    expect(at(over, now, cal)[clock]).toMatchObject(expected);
  });

  it('still suggests escalation for an at-risk clock paused over the weekend', () => {
    const friday = computeSlaClocks(incident({ severity: 'major', reportedAt: ist('2024-05-10T04:00') }), INDIA, ist('2024-05-11T10:00'));
    expect(friday.resolution).toMatchObject({ state: 'paused', fractionUsed: 20 / 24 });
    expect(suggestEscalation('L1', friday)).toMatchObject({ to: 'L2' });
  });
});

describe('computeSlaClocks refuses inconsistent tickets', () => {
  it.each<[string, Partial<SlaInput>, RegExp]>([
    ['response before report', { firstResponseAt: ist('2024-05-06T09:00') }, /first response is before the incident was reported/],
    ['resolution before report', { resolvedAt: ist('2024-05-06T09:00') }, /resolution is before the incident was reported/],
    ['RCA without resolution', { rcaDeliveredAt: ist('2024-05-07T09:00') }, /RCA cannot be delivered before the incident is resolved/],
    ['RCA before resolution', { resolvedAt: ist('2024-05-07T09:00'), rcaDeliveredAt: ist('2024-05-07T08:00') }, /RCA delivery is before the resolution/],
    ['wait ending before it starts', { rcaWaits: [{ from: ist('2024-05-07T09:00'), to: ist('2024-05-07T08:00') }] }, /end of a wait for debug data is before its start/],
    ['invalid report time', { reportedAt: new Date('x') }, /reported is not a valid date/],
  ])('%s', (_, over, message) => {
    const call = () => clocks(over, '2024-05-08T10:00');
    expect(call).toThrow(ApiError);
    expect(call).toThrow(message);
  });
});

describe('suggestEscalation', () => {
  type EscRow = [string, SupportLevel, Partial<SlaInput>, string, { to: SupportLevel; reason: string } | null];
  it.each<EscRow>([
    ['critical at 80% from L1', 'L1', { firstResponseAt: ist('2024-05-06T10:05') }, '2024-05-06T12:24', { to: 'L2', reason: 'Resolution SLA 80% used (2 h 24 min of 3 h)' }],
    ['critical at 80% from L2', 'L2', { firstResponseAt: ist('2024-05-06T10:05') }, '2024-05-06T12:24', { to: 'L3', reason: 'Resolution SLA 80% used (2 h 24 min of 3 h)' }],
    ['nothing above L3', 'L3', { firstResponseAt: ist('2024-05-06T10:05') }, '2024-05-06T12:24', null],
    ['exactly at the threshold', 'L1', { firstResponseAt: ist('2024-05-06T10:05') }, '2024-05-06T12:15', { to: 'L2', reason: 'Resolution SLA 75% used (2 h 15 min of 3 h)' }],
    ['just under the threshold', 'L1', { firstResponseAt: ist('2024-05-06T10:05') }, '2024-05-06T12:14', null],
    ['unresolved past the budget', 'L1', { firstResponseAt: ist('2024-05-06T10:05') }, '2024-05-06T14:00', { to: 'L2', reason: 'Resolution SLA breached: 133% used (4 h of 3 h)' }],
    ['no first response at 80%', 'L1', { severity: 'minor' }, '2024-05-06T10:24', { to: 'L2', reason: 'First response SLA 80% used (24 min of 30 min)' }],
    ['the more used clock wins', 'L1', {}, '2024-05-06T10:40', { to: 'L2', reason: 'First response SLA breached: 133% used (40 min of 30 min)' }],
    ['a late first response already given is history', 'L1', { firstResponseAt: ist('2024-05-06T10:45') }, '2024-05-06T11:00', null],
    ['resolved late is history', 'L1', { firstResponseAt: ist('2024-05-06T10:05'), resolvedAt: ist('2024-05-06T14:00') }, '2024-05-06T15:00', null],
    ['stopped for client hardware', 'L1', { firstResponseAt: ist('2024-05-06T10:05'), cause: 'client_hardware_connectivity' }, '2024-05-08T10:00', null],
    ['RCA clocks never escalate', 'L1', { firstResponseAt: ist('2024-05-06T10:05'), resolvedAt: ist('2024-05-06T11:00') }, '2024-05-10T10:00', null],
  ])('%s', (_, level, over, now, expected) => {
    expect(suggestEscalation(level, clocks(over, now))).toEqual(expected);
  });

  it('uses a threshold of 75%', () => {
    expect(ESCALATION_THRESHOLD).toBe(0.75);
  });

  it('refuses an unknown level', () => {
    expect(() => suggestEscalation('L4' as SupportLevel, clocks({}, '2024-05-06T10:10'))).toThrow(/"L4" is not a support level/);
  });
});

describe('formatDuration and formatBudget', () => {
  it.each<[number, string]>([
    [0, '0 min'],
    [30_000, '< 1 min'],
    [59 * MIN + 59_000, '59 min'],
    [45 * MIN, '45 min'],
    [3 * H, '3 h'],
    [2 * H + 24 * MIN, '2 h 24 min'],
    [27 * H, '1 d 3 h'],
    [24 * H + 59 * MIN, '1 d'],
    [48 * H, '2 d'],
    [-15 * MIN, '-15 min'],
  ])('formatDuration(%d) → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it.each<[number, string]>([
    [30 * MIN, '30 min'],
    [3 * H, '3 h'],
    [24 * H, '24 h'],
    [48 * H, '48 h'],
    [90 * MIN, '1 h 30 min'],
  ])('formatBudget(%d) → %s', (ms, text) => {
    expect(formatBudget(ms)).toBe(text);
  });
});
