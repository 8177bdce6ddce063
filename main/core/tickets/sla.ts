import { ApiError } from '../../../contract/errors';
import type { ClockState, SlaClockView } from '../../../contract/models';
import { addBusinessMs, businessMsBetween, isBusinessDay, localDateOf, type BusinessCalendar } from './business-calendar';
import { formatBudget, formatDuration } from './escalation';
import type { Severity } from './severity';

export type { ClockState };
/** A clock as the window shows it; `reason` is written for a person, `dueAt`/`endedAt` are ISO. */
export type SlaClock = SlaClockView;

export interface Interval { from: Date; to: Date | null }

export interface SlaInput {
  type: 'incident' | 'change';
  severity: Severity;
  cause: 'software' | 'client_hardware_connectivity' | 'third_party' | 'unknown';
  reportedAt: Date;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  rcaDeliveredAt: Date | null;
  /** "Waiting for debug data": these spans do not count against the RCA clock. */
  rcaWaits: Interval[];
}

export type SlaClocks = { firstResponse: SlaClock; resolution: SlaClock; rca: SlaClock };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const PREMIUM_SLA: { firstResponseMs: number; resolutionMs: Record<Severity, number | null>; rcaMs: number } = Object.freeze({
  firstResponseMs: 30 * MINUTE,
  resolutionMs: Object.freeze({ critical: 3 * HOUR, major: 24 * HOUR, minor: null }),
  rcaMs: 48 * HOUR,
});

const SEVERITY_LABELS: Record<Severity, string> = { critical: 'Critical', major: 'Major', minor: 'Minor' };

export function computeSlaClocks(input: SlaInput, cal: BusinessCalendar, now: Date): SlaClocks {
  validate(input, now);
  if (input.type === 'change') {
    const reason = 'Change tickets have no SLA clock (window agreed with the customer)';
    return { firstResponse: notApplicable('first_response', reason), resolution: notApplicable('resolution', reason), rca: notApplicable('rca', reason) };
  }
  const firstResponse = runClock(cal, now, {
    name: 'first_response', budget: PREMIUM_SLA.firstResponseMs, start: input.reportedAt, end: input.firstResponseAt, pauses: [],
    label: `First response: ${formatBudget(PREMIUM_SLA.firstResponseMs)} of business time`,
  });
  return { firstResponse, resolution: resolutionClock(input, cal, now), rca: rcaClock(input, cal, now) };
}

function resolutionClock(input: SlaInput, cal: BusinessCalendar, now: Date): SlaClock {
  const budget = PREMIUM_SLA.resolutionMs[input.severity];
  if (budget === null) return notApplicable('resolution', `${SEVERITY_LABELS[input.severity]}: fixed in the next release/update`);
  if (input.cause === 'client_hardware_connectivity') {
    return { ...notApplicable('resolution', "Stopped: cause traced to the client's hardware or connectivity"), state: 'stopped' };
  }
  return runClock(cal, now, {
    name: 'resolution', budget, start: input.reportedAt, end: input.resolvedAt, pauses: [],
    label: `${SEVERITY_LABELS[input.severity]}: ${formatBudget(budget)} of business time`,
  });
}

function rcaClock(input: SlaInput, cal: BusinessCalendar, now: Date): SlaClock {
  if (input.severity === 'minor') return notApplicable('rca', 'RCA reports are for major and critical incidents only');
  if (input.cause === 'unknown') return notApplicable('rca', 'RCA per analysis: cause not yet traced to the application');
  if (input.cause !== 'software') return notApplicable('rca', 'RCA per analysis: external dependency');
  if (!input.resolvedAt) return notApplicable('rca', `RCA: ${formatBudget(PREMIUM_SLA.rcaMs)} of business time, starts when resolved`);
  return runClock(cal, now, {
    name: 'rca', budget: PREMIUM_SLA.rcaMs, start: input.resolvedAt, end: input.rcaDeliveredAt, pauses: input.rcaWaits ?? [],
    label: `RCA: ${formatBudget(PREMIUM_SLA.rcaMs)} of business time after resolution`,
  });
}

interface ClockSpec { name: SlaClock['name']; budget: number; start: Date; end: Date | null; pauses: Interval[]; label: string }

function runClock(cal: BusinessCalendar, now: Date, spec: ClockSpec): SlaClock {
  const { name, budget, start, end, label } = spec;
  const until = end ?? now;
  const s = start.getTime();
  let used = businessMsBetween(cal, start, until);
  for (const p of normalize(spec.pauses, s, now.getTime(), until.getTime())) used -= businessMsBetween(cal, new Date(p.from), new Date(p.to));
  used = Math.max(0, used);

  const openWait = end ? undefined : spec.pauses.find((p) => p.to === null && p.from.getTime() <= now.getTime());
  let state: ClockState;
  let reason = label;
  // A breach is final: pausing after the budget ran out does not undo it.
  if (used > budget) {
    state = 'breached';
    reason = `${label}; exceeded by ${formatDuration(used - budget)}`;
  } else if (end) {
    state = 'met';
    reason = `${label}; met`;
  } else if (openWait) {
    state = 'paused';
    reason = `Paused: waiting for debug data since ${formatLocal(cal, openWait.from)}`;
  } else {
    state = 'running';
  }
  const calendarPause = state === 'running' && now.getTime() >= s ? offDayPause(cal, now) : null;
  if (calendarPause) {
    state = 'paused';
    reason = `${calendarPause.reason}; ${label}`;
  }
  return {
    name, state, budgetMs: budget, usedMs: used, remainingMs: Math.max(0, budget - used), fractionUsed: used / budget,
    dueAt: projectDue(cal, s, budget, normalize(spec.pauses, s, now.getTime(), Infinity)).toISOString(), reason,
    ...(end ? { endedAt: end.toISOString() } : {}),
    ...(state === 'paused' ? { pause: calendarPause ? { kind: calendarPause.kind, resumesAt: calendarPause.resumesAt } : { kind: 'waiting_for_data' as const } } : {}),
  };
}

/**
 * A clock counts only on the customer's working days: on a weekend day or a holiday it stands still
 * until the next working day starts, and says so (rather than looking like it runs).
 */
function offDayPause(cal: BusinessCalendar, now: Date): { kind: 'holiday' | 'non_working_day'; resumesAt?: string; reason: string } | null {
  const day = localDateOf(cal, now);
  if (isBusinessDay(cal, day)) return null;
  const kind = cal.holidays.includes(day) ? 'holiday' : 'non_working_day';
  const what = kind === 'holiday' ? `${day} is a holiday` : `${weekdayName(day)} is not a working day`;
  // One business millisecond from now lands just past the start of the next working day.
  const resumes = cal.workdays.length > 0 ? new Date(addBusinessMs(cal, now, 1).getTime() - 1) : null;
  return {
    kind,
    ...(resumes ? { resumesAt: resumes.toISOString() } : {}),
    reason: `Paused: ${what} for this customer (${cal.timezone})${resumes ? `; counts again from ${formatLocal(cal, resumes)}` : ''}`,
  };
}

function weekdayName(localDate: string): string {
  return new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'UTC' }).format(new Date(`${localDate}T00:00:00Z`));
}

/** Pauses clipped to [lo, hi], an open one lasting until `openEnd`, sorted and merged. */
function normalize(pauses: Interval[], lo: number, openEnd: number, hi: number): { from: number; to: number }[] {
  const spans = pauses
    .map((p) => ({ from: Math.max(lo, p.from.getTime()), to: Math.min(hi, p.to ? p.to.getTime() : openEnd) }))
    .filter((p) => p.to > p.from)
    .sort((a, b) => a.from - b.from);
  const merged: { from: number; to: number }[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span.from <= last.to) last.to = Math.max(last.to, span.to);
    else merged.push({ ...span });
  }
  return merged;
}

/** Where the budget runs out when the clock stands still during the pauses (an open one is projected to end now). */
function projectDue(cal: BusinessCalendar, start: number, budget: number, pauses: { from: number; to: number }[]): Date {
  let cursor = start;
  let remaining = budget;
  for (const pause of pauses) {
    const due = addBusinessMs(cal, new Date(cursor), remaining);
    if (due.getTime() <= pause.from) return due;
    remaining -= businessMsBetween(cal, new Date(cursor), new Date(pause.from));
    cursor = pause.to;
  }
  return addBusinessMs(cal, new Date(cursor), remaining);
}

function notApplicable(name: SlaClock['name'], reason: string): SlaClock {
  return { name, state: 'not_applicable', budgetMs: null, usedMs: 0, remainingMs: null, fractionUsed: null, dueAt: null, reason };
}

function formatLocal(cal: BusinessCalendar, at: Date): string {
  const text = new Intl.DateTimeFormat('sv-SE', { timeZone: cal.timezone, dateStyle: 'short', timeStyle: 'short' }).format(at);
  return `${text} (${cal.timezone})`;
}

function validate(input: SlaInput, now: Date): void {
  const valid = (d: unknown): d is Date => d instanceof Date && !Number.isNaN(d.getTime());
  const fail = (message: string): never => {
    throw new ApiError('INVALID_INPUT', message);
  };
  if (!valid(input.reportedAt)) fail('The time the incident was reported is not a valid date and time.');
  if (!valid(now)) fail('The current time is not a valid date and time.');
  if (!(input.severity in PREMIUM_SLA.resolutionMs)) fail(`"${String(input.severity)}" is not a severity (critical, major or minor).`);
  const after = (d: Date | null, base: Date, what: string, baseWhat: string) => {
    if (d === null) return;
    if (!valid(d)) fail(`${what} is not a valid date and time.`);
    if (d.getTime() < base.getTime()) fail(`${what} is before ${baseWhat}.`);
  };
  after(input.firstResponseAt, input.reportedAt, 'The first response', 'the incident was reported');
  after(input.resolvedAt, input.reportedAt, 'The resolution', 'the incident was reported');
  if (input.rcaDeliveredAt && !input.resolvedAt) fail('An RCA cannot be delivered before the incident is resolved.');
  if (input.resolvedAt) after(input.rcaDeliveredAt, input.resolvedAt, 'The RCA delivery', 'the resolution');
  for (const wait of input.rcaWaits ?? []) {
    if (!valid(wait.from)) fail('A wait for debug data has no valid start.');
    if (wait.to !== null) after(wait.to, wait.from, 'The end of a wait for debug data', 'its start');
  }
}
