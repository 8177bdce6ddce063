import { ApiError } from '../../../contract/errors';
import type { MissedTicket, ReviewState, WeeklyCount, WeeklyReview } from '../../../contract/review';
import { REVIEW_STATES } from '../../../contract/review';
import type { TicketSummary } from '../../../contract/models';
import type { Db } from '../store/database';
import { SESSION_COLUMNS, SESSION_FROM, toSessionView, type ReviewSessionRow } from './review-queue';

const DAY_MS = 86_400_000;
const FLAGGED_SHOWN = 200;

/**
 * The lead's week: imported sessions (bundles and team-store pulls) that started between Monday 00:00 and
 * the next Monday 00:00 in the lead's zone, counted per engineer — every engineer pulled from the team
 * store, with or without sessions — and per site (with denials, exceptions and flags), and the
 * tickets whose SLA or RCA was missed. Tickets are judged from this data dir's own tickets (the
 * engineers' bundles carry sessions, not tickets): those with a missed deadline in the week, and those
 * the week's sessions name; a ticket the sessions name that is not here is listed as unknown.
 */
export function weeklyReview(db: Db, week: string, timeZone: string, tickets: readonly TicketSummary[]): WeeklyReview {
  const range = weekRange(week, timeZone);
  const bounds = { from: range.startsAt, to: range.endsAt };
  const inWeek = 'r.started_at >= @from AND r.started_at < @to';
  const counts = `count(*) AS sessions, coalesce(sum(r.decision = 'deny'), 0) AS denials, coalesce(sum(r.exception), 0) AS exceptions,
    coalesce(sum(r.state = 'flagged'), 0) AS flagged`;
  const totals = db.prepare(`SELECT ${counts} FROM review_sessions r WHERE ${inWeek}`).get(bounds) as WeeklyCount;
  // The team as the last sync knows it: an engineer pulled from the team store counts with no session
  // this week too (a lead wants to see who did nothing); bundles only say who sent one.
  const perEngineer = db.prepare(
    `SELECT r.engineer, l.engineer_name AS name, ${counts} FROM ${SESSION_FROM} WHERE ${inWeek} GROUP BY r.engineer
     UNION ALL
     SELECT t.engineer, t.engineer_name, 0, 0, 0, 0 FROM imported_logs t WHERE t.origin LIKE 'team-store/%'
       AND NOT EXISTS (SELECT 1 FROM review_sessions w WHERE w.engineer = t.engineer COLLATE NOCASE AND w.started_at >= @from AND w.started_at < @to)
     ORDER BY sessions DESC, engineer`,
  ).all(bounds) as WeeklyReview['perEngineer'];
  const perSite = db.prepare(
    `SELECT r.customer, r.site, ${counts} FROM review_sessions r WHERE ${inWeek}
      GROUP BY r.customer COLLATE NOCASE, r.site COLLATE NOCASE ORDER BY sessions DESC, r.customer, r.site`,
  ).all(bounds) as WeeklyReview['perSite'];
  const byState = Object.fromEntries(REVIEW_STATES.map((s) => [s, 0])) as Record<ReviewState, number>;
  for (const row of db.prepare(`SELECT r.state, count(*) AS n FROM review_sessions r WHERE ${inWeek} GROUP BY r.state`).all(bounds) as { state: ReviewState; n: number }[]) {
    byState[row.state] = row.n;
  }
  const flaggedSessions = (db.prepare(
    `SELECT ${SESSION_COLUMNS} FROM ${SESSION_FROM} WHERE r.state = 'flagged' AND ${inWeek} ORDER BY r.started_at DESC, r.id DESC LIMIT ${FLAGGED_SHOWN}`,
  ).all(bounds) as ReviewSessionRow[]).map(toSessionView);
  const named = db.prepare(
    `SELECT r.ticket AS ref, count(*) AS n FROM review_sessions r WHERE ${inWeek} AND r.ticket IS NOT NULL GROUP BY r.ticket COLLATE NOCASE`,
  ).all(bounds) as { ref: string; n: number }[];
  const { missedTickets, unknownTickets } = missed(tickets, named, range);
  // Not bound to the week: an engineer who stopped sending bundles (or whose records stopped coming from
  // the team store) shows by the age of the last that came.
  const bundles = db.prepare(
    `SELECT engineer, engineer_name AS name, accepted_at AS lastAcceptedAt, bundles, size AS records,
       CASE WHEN origin LIKE 'team-store/%' THEN 'team-store' ELSE 'bundles' END AS source
     FROM imported_logs ORDER BY accepted_at, engineer`,
  ).all() as WeeklyReview['bundles'];
  return { week: range, totals, perEngineer, perSite, byState, flaggedSessions, missedTickets, unknownTickets, bundles };
}

function missed(tickets: readonly TicketSummary[], named: { ref: string; n: number }[], range: { startsAt: string; endsAt: string }) {
  const sessionsByRef = new Map(named.map((t) => [t.ref.toLowerCase(), t.n]));
  const known = new Set<string>();
  const missedTickets: MissedTicket[] = [];
  for (const ticket of tickets) {
    const ref = ticket.ref.toLowerCase();
    known.add(ref);
    const clocks = [ticket.clocks.firstResponse, ticket.clocks.resolution, ticket.clocks.rca].filter((c) => c.state === 'breached');
    if (clocks.length === 0) continue;
    const dueInWeek = clocks.some((c) => c.dueAt !== null && c.dueAt >= range.startsAt && c.dueAt < range.endsAt);
    const sessions = sessionsByRef.get(ref) ?? 0;
    if (!dueInWeek && sessions === 0) continue;
    const due = clocks.map((c) => c.dueAt).filter((d): d is string => d !== null).sort();
    missedTickets.push({ ref: ticket.ref, customer: ticket.customerName, site: ticket.siteName, missed: clocks.map((c) => c.name), dueAt: due[0] ?? null, sessions });
  }
  missedTickets.sort((a, b) => (a.dueAt ?? '').localeCompare(b.dueAt ?? '') || a.ref.localeCompare(b.ref));
  const unknownTickets = named.filter((t) => !known.has(t.ref.toLowerCase())).map((t) => t.ref).sort();
  return { missedTickets, unknownTickets };
}

/** Monday–Sunday around `day`, as local dates and as the instants they begin and end in `timeZone`. */
export function weekRange(day: string, timeZone: string): WeeklyReview['week'] {
  const at = Date.parse(`${day}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(at)) throw new ApiError('INVALID_INPUT', `"${day}" is not a date like 2026-11-23.`);
  const monday = at - ((new Date(at).getUTCDay() + 6) % 7) * DAY_MS;
  const nextMonday = monday + 7 * DAY_MS;
  return {
    monday: isoDate(monday), sunday: isoDate(nextMonday - DAY_MS), timeZone,
    startsAt: new Date(zonedMidnight(monday, timeZone)).toISOString(), endsAt: new Date(zonedMidnight(nextMonday, timeZone)).toISOString(),
  };
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The instant a date's wall-clock midnight happens in the zone (`wall` is that date at 00:00 UTC). */
function zonedMidnight(wall: number, timeZone: string): number {
  const first = wall - offsetMs(wall, timeZone);
  return wall - offsetMs(first, timeZone);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** How far the zone's wall clock is ahead of UTC at an instant. */
function offsetMs(at: number, timeZone: string): number {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    try {
      fmt = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    } catch {
      throw new ApiError('INVALID_INPUT', `"${timeZone}" is not a time zone (an IANA name like Europe/Berlin).`);
    }
    formatters.set(timeZone, fmt);
  }
  const part = Object.fromEntries(fmt.formatToParts(new Date(at)).map((p) => [p.type, Number(p.value)]));
  const wall = Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!, part.second!);
  return wall - Math.floor(at / 1000) * 1000;
}
