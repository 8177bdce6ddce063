import { ApiError } from '../../../contract/errors';
import type { Severity, SupportLevel, TicketCause, TicketComponent, TicketType } from '../../../contract/domain/vocabulary';
import { SUPPORT_LEVELS } from '../../../contract/domain/vocabulary';
import type { Impact, Ticket, TicketEvent, TicketSummary } from '../../../contract/models';
import { getCustomer } from '../directory/customers';
import { notFound } from '../directory/sql-errors';
import type { Db } from '../store/database';
import type { BusinessCalendar } from './business-calendar';
import { suggestEscalation } from './escalation';
import { classifySeverity } from './severity';
import { computeSlaClocks } from './sla';

/**
 * What a ticket reads as "now" for the times it records and its SLA clocks: the laptop's clock alone, or,
 * on a data dir linked to a team store, the team's time (team-store/team-time.ts) so every laptop's
 * tickets count in the server's time.
 */
export type TicketClock = () => Date;
export const systemClock: TicketClock = () => new Date();

export interface OpenTicketInput {
  ref: string;
  siteId: number;
  type: TicketType;
  component: TicketComponent;
  impact: Partial<Impact>;
  summary?: string;
  reportedAt?: string;
  level?: SupportLevel;
  severityOverride?: { severity: Severity; reason: string };
}

interface TicketRow {
  id: number; ref: string; site_id: number; type: TicketType; component: TicketComponent; seats: number; calls: number | null;
  cannot_take_calls: number; cannot_login: number; calls_rejected: number; computed_severity: Severity; severity: Severity;
  severity_reason: string | null; status: Ticket['status']; level: SupportLevel; cause: TicketCause; summary: string | null;
  reported_at: string; first_response_at: string | null; resolved_at: string | null; rca_delivered_at: string | null;
  customer_name: string; site_name: string; customer_id: number;
}

const SELECT_TICKET = `
  SELECT t.*, c.name AS customer_name, s.name AS site_name, c.id AS customer_id
    FROM tickets t JOIN sites s ON s.id = t.site_id JOIN customers c ON c.id = s.customer_id`;

function calendarOf(db: Db, customerId: number): BusinessCalendar {
  const customer = getCustomer(db, customerId);
  return { timezone: customer.timezone, workdays: customer.workdays, holidays: customer.holidays };
}

function impactOf(row: TicketRow): Impact {
  return { seats: row.seats, ...(row.calls === null ? {} : { calls: row.calls }), cannotTakeCalls: row.cannot_take_calls, cannotLogin: row.cannot_login, callsRejected: row.calls_rejected };
}

function rcaWaits(db: Db, ticketId: number): { from: Date; to: Date | null }[] {
  return (db.prepare('SELECT started_at, ended_at FROM rca_waits WHERE ticket_id = ? ORDER BY id').all(ticketId) as { started_at: string; ended_at: string | null }[]).map(
    (w) => ({ from: new Date(w.started_at), to: w.ended_at ? new Date(w.ended_at) : null }),
  );
}

function toSummary(db: Db, row: TicketRow, now: Date): TicketSummary {
  const date = (s: string | null) => (s ? new Date(s) : null);
  const calendar = calendarOf(db, row.customer_id);
  const clocks = computeSlaClocks(
    {
      type: row.type, severity: row.severity, cause: row.cause, reportedAt: new Date(row.reported_at),
      firstResponseAt: date(row.first_response_at), resolvedAt: date(row.resolved_at), rcaDeliveredAt: date(row.rca_delivered_at),
      rcaWaits: rcaWaits(db, row.id),
    },
    calendar,
    now,
  );
  return {
    id: row.id, ref: row.ref, siteId: row.site_id, customerName: row.customer_name, siteName: row.site_name, timezone: calendar.timezone, type: row.type,
    component: row.component, severity: row.severity, computedSeverity: row.computed_severity, status: row.status, level: row.level,
    cause: row.cause, reportedAt: row.reported_at, clocks,
    escalation: row.status === 'open' ? suggestEscalation(row.level, clocks) : null,
  };
}

export function listTickets(db: Db, filter: { siteId?: number; status?: Ticket['status'] } = {}, now = new Date()): TicketSummary[] {
  const rows = db
    .prepare(`${SELECT_TICKET} WHERE (@siteId IS NULL OR t.site_id = @siteId) AND (@status IS NULL OR t.status = @status) ORDER BY t.reported_at DESC, t.id DESC`)
    .all({ siteId: filter.siteId ?? null, status: filter.status ?? null }) as TicketRow[];
  return rows.map((r) => toSummary(db, r, now));
}

export function getTicket(db: Db, id: number, now = new Date()): Ticket {
  const row = requireTicket(db, id);
  const impact = impactOf(row);
  const events = (db.prepare('SELECT at, engineer, kind, from_value, to_value, reason FROM ticket_events WHERE ticket_id = ? ORDER BY team_order IS NULL, team_order, id').all(id) as {
    at: string; engineer: string; kind: string; from_value: string | null; to_value: string | null; reason: string | null;
  }[]).map((e): TicketEvent => ({ at: e.at, engineer: e.engineer, kind: e.kind, ...(e.from_value ? { from: e.from_value } : {}), ...(e.to_value ? { to: e.to_value } : {}), ...(e.reason ? { reason: e.reason } : {}) }));
  const waiting = db.prepare('SELECT 1 FROM rca_waits WHERE ticket_id = ? AND ended_at IS NULL').get(id) !== undefined;
  return {
    ...toSummary(db, row, now),
    impact,
    computation: classifySeverity({ ...impact, component: row.component }),
    ...(row.severity_reason ? { severityReason: row.severity_reason } : {}),
    ...(row.summary ? { summary: row.summary } : {}),
    ...(row.first_response_at ? { firstResponseAt: row.first_response_at } : {}),
    ...(row.resolved_at ? { resolvedAt: row.resolved_at } : {}),
    ...(row.rca_delivered_at ? { rcaDeliveredAt: row.rca_delivered_at } : {}),
    rcaWaiting: waiting,
    events,
  };
}

export function findTicketIdByRef(db: Db, ref: string): number | undefined {
  return (db.prepare('SELECT id FROM tickets WHERE ref = ? COLLATE NOCASE').get(ref) as { id: number } | undefined)?.id;
}

function addEvent(db: Db, ticketId: number, at: string, engineer: string, kind: string, values: { from?: string | null; to?: string | null; reason?: string | null } = {}): void {
  db.prepare('INSERT INTO ticket_events (ticket_id, at, engineer, kind, from_value, to_value, reason) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(ticketId, at, engineer, kind, values.from ?? null, values.to ?? null, values.reason ?? null);
}

export function openTicket(db: Db, input: OpenTicketInput, engineer: string, clock: TicketClock = systemClock): number {
  return db.transaction(() => {
    const site = db.prepare('SELECT seats, peak_calls FROM sites WHERE id = ? AND deleted_at IS NULL').get(input.siteId) as { seats: number; peak_calls: number } | undefined;
    if (!site) throw notFound('Site', input.siteId);
    if (findTicketIdByRef(db, input.ref) !== undefined) throw new ApiError('CONFLICT', `Ticket ${input.ref} already exists; use it instead of opening it again.`);
    const impact: Impact = {
      seats: input.impact.seats ?? site.seats,
      calls: input.impact.calls ?? site.peak_calls,
      cannotTakeCalls: input.impact.cannotTakeCalls ?? 0,
      cannotLogin: input.impact.cannotLogin ?? 0,
      callsRejected: input.impact.callsRejected ?? 0,
    };
    const computed = classifySeverity({ ...impact, component: input.component });
    const override = input.severityOverride;
    const now = clock().toISOString();
    const id = Number(
      db.prepare(
        `INSERT INTO tickets (ref, site_id, type, component, seats, calls, cannot_take_calls, cannot_login, calls_rejected, computed_severity, severity,
                              severity_reason, status, level, summary, reported_at, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?)`,
      ).run(input.ref, input.siteId, input.type, input.component, impact.seats, impact.calls ?? null, impact.cannotTakeCalls, impact.cannotLogin, impact.callsRejected,
        computed.severity, override?.severity ?? computed.severity, override?.reason ?? null, input.level ?? 'L1', input.summary ?? null,
        input.reportedAt ?? now, engineer, now, now).lastInsertRowid,
    );
    addEvent(db, id, now, engineer, 'opened', { to: computed.severity, reason: computed.steps.join('; ') });
    if (override && override.severity !== computed.severity) addEvent(db, id, now, engineer, 'severity_override', { from: computed.severity, to: override.severity, reason: override.reason });
    return id;
  })();
}

function requireTicket(db: Db, id: number): TicketRow {
  const row = db.prepare(`${SELECT_TICKET} WHERE t.id = ?`).get(id) as TicketRow | undefined;
  if (!row) throw notFound('Ticket', id);
  return row;
}

function touch(db: Db, id: number, at: string, sql: string, ...params: unknown[]): void {
  db.prepare(`UPDATE tickets SET ${sql}, updated_at = ? WHERE id = ?`).run(...params, at, id);
}

/**
 * Every change to a ticket goes through here: the transition is checked and who did it, and why, is
 * recorded — at the clock's time (the team's time on a linked data dir).
 */
export function ticketActionsAt(clock: TicketClock) {
  /** One time per action: the ticket's field and its event say the same instant. */
  const stamp = () => clock().toISOString();
  return {
    respond(db: Db, id: number, engineer: string): void {
      const row = requireTicket(db, id);
      if (row.first_response_at) throw new ApiError('CONFLICT', `Ticket ${row.ref} already had its first response.`);
      const now = stamp();
      db.transaction(() => { touch(db, id, now, 'first_response_at = ?', now); addEvent(db, id, now, engineer, 'first_response'); })();
    },
    resolve(db: Db, id: number, engineer: string, reason?: string): void {
      const row = requireTicket(db, id);
      if (row.status !== 'open') throw new ApiError('CONFLICT', `Ticket ${row.ref} is ${row.status}, not open.`);
      const now = stamp();
      db.transaction(() => {
        touch(db, id, now, "status = 'resolved', resolved_at = ?, first_response_at = coalesce(first_response_at, ?)", now, now);
        addEvent(db, id, now, engineer, 'resolved', { reason: reason ?? null });
      })();
    },
    close(db: Db, id: number, engineer: string): void {
      const row = requireTicket(db, id);
      if (row.status === 'closed') throw new ApiError('CONFLICT', `Ticket ${row.ref} is already closed.`);
      const now = stamp();
      db.transaction(() => { touch(db, id, now, "status = 'closed'"); addEvent(db, id, now, engineer, 'closed', { from: row.status }); })();
    },
    reopen(db: Db, id: number, engineer: string, reason: string): void {
      const row = requireTicket(db, id);
      if (row.status === 'open') throw new ApiError('CONFLICT', `Ticket ${row.ref} is already open.`);
      const now = stamp();
      db.transaction(() => {
        touch(db, id, now, "status = 'open', resolved_at = NULL, rca_delivered_at = NULL");
        addEvent(db, id, now, engineer, 'reopened', { from: row.status, reason });
      })();
    },
    escalate(db: Db, id: number, engineer: string, to: SupportLevel, reason: string): void {
      const row = requireTicket(db, id);
      if (SUPPORT_LEVELS.indexOf(to) <= SUPPORT_LEVELS.indexOf(row.level)) {
        throw new ApiError('INVALID_INPUT', `Ticket ${row.ref} is at ${row.level}; escalation goes up (L1 → L2 → L3).`);
      }
      const now = stamp();
      db.transaction(() => { touch(db, id, now, 'level = ?', to); addEvent(db, id, now, engineer, 'escalated', { from: row.level, to, reason }); })();
    },
    overrideSeverity(db: Db, id: number, engineer: string, severity: Severity, reason: string): void {
      const row = requireTicket(db, id);
      if (!reason.trim()) throw new ApiError('INVALID_INPUT', 'An override needs a reason.');
      const now = stamp();
      db.transaction(() => {
        touch(db, id, now, 'severity = ?, severity_reason = ?', severity, severity === row.computed_severity ? null : reason);
        addEvent(db, id, now, engineer, 'severity_override', { from: row.severity, to: severity, reason });
      })();
    },
    setCause(db: Db, id: number, engineer: string, cause: TicketCause, reason?: string): void {
      const row = requireTicket(db, id);
      const now = stamp();
      db.transaction(() => { touch(db, id, now, 'cause = ?', cause); addEvent(db, id, now, engineer, 'cause', { from: row.cause, to: cause, reason: reason ?? null }); })();
    },
    rcaWait(db: Db, id: number, engineer: string, waiting: boolean, reason: string): void {
      const row = requireTicket(db, id);
      const open = db.prepare('SELECT id FROM rca_waits WHERE ticket_id = ? AND ended_at IS NULL').get(id) as { id: number } | undefined;
      if (waiting === Boolean(open)) throw new ApiError('CONFLICT', `Ticket ${row.ref} is ${waiting ? 'already' : 'not'} waiting for debug data.`);
      const now = stamp();
      db.transaction(() => {
        if (waiting) db.prepare('INSERT INTO rca_waits (ticket_id, started_at, reason) VALUES (?, ?, ?)').run(id, now, reason);
        else db.prepare('UPDATE rca_waits SET ended_at = ? WHERE id = ?').run(now, open!.id);
        addEvent(db, id, now, engineer, waiting ? 'rca_wait_started' : 'rca_wait_ended', { reason });
      })();
    },
    rcaDelivered(db: Db, id: number, engineer: string): void {
      const row = requireTicket(db, id);
      if (!row.resolved_at) throw new ApiError('CONFLICT', `Ticket ${row.ref} is not resolved yet; the RCA follows the resolution.`);
      const now = stamp();
      db.transaction(() => { touch(db, id, now, 'rca_delivered_at = ?', now); addEvent(db, id, now, engineer, 'rca_delivered'); })();
    },
  };
}

/** The actions at this laptop's own clock (a data dir not linked to a team store, and tests). */
export const ticketActions = ticketActionsAt(systemClock);
