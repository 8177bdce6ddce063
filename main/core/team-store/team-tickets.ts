import type { ClientBase } from 'pg';
import type { Severity, SupportLevel } from '../../../contract/domain/vocabulary';
import type { Db } from '../store/database';
import { inTurns } from '../store/turns';
import { foldTicket, openingLevel, type FoldableEvent } from '../tickets/ticket-fold';
import { isConnectionLost } from './connection';
import { refusal } from './membership';

/** What a sync did with the team's ticket list. */
export interface TicketsSynced {
  pushed: { tickets: number; events: number };
  pulled: { tickets: number; events: number };
  /** Tickets of the team waiting here because their customer/site is not in this data dir (yet). */
  skipped: number;
  warnings: string[];
}

/** Tickets, or changes, per round trip of a pull. */
const PULL_PAGE = 1000;
/** Where the last pull of tickets ended: a transaction horizon of the team store (xid8, as text). */
const CURSOR_KEY = 'team_tickets_cursor';

interface LocalTicket {
  id: number; ref: string; customer: string; site: string; type: string; component: string; seats: number; calls: number | null;
  cannot_take_calls: number; cannot_login: number; calls_rejected: number; computed_severity: Severity; level: SupportLevel;
  summary: string | null; reported_at: string; created_by: string;
}

interface LocalEvent { uid: string; ref: string; at: string; engineer: string; kind: string; from_value: string | null; to_value: string | null; reason: string | null }

interface StoreTicket extends Omit<LocalTicket, 'id' | 'reported_at'> { reported_at: Date; opened_by: string }

interface StoreEvent extends Omit<LocalEvent, 'at'> { id: string; at: Date }

/**
 * The team's one ticket list, synced both ways. Push: this data dir's tickets the store does not have
 * yet, and every event it has not seen come back from the store, each by its ref or uid with ON CONFLICT
 * DO NOTHING — a retry, a cut connection after the commit or a second sync never doubles anything. Pull:
 * everything written in transactions that ended since the last pull (every laptop's, this one's too, so
 * each event learns its place in the store's order), then each ticket touched is folded again from its
 * events in that order, so two engineers' offline changes to one ticket both land, the same on every
 * laptop. A ticket whose customer/site this data dir does not have is skipped with a warning and waits
 * (team_ticket_skips) until the site exists here.
 */
export async function syncTickets(client: ClientBase, db: Db): Promise<TicketsSynced> {
  const warnings: string[] = [];
  const pushed = await pushTickets(client, db, warnings);
  const pulled = await pullTickets(client, db, warnings);
  return { pushed, pulled: { tickets: pulled.tickets, events: pulled.events }, skipped: pulled.skipped, warnings };
}

async function pushTickets(client: ClientBase, db: Db, warnings: string[]): Promise<TicketsSynced['pushed']> {
  const tickets = db.prepare(`
    SELECT t.id, t.ref, c.name AS customer, s.name AS site, t.type, t.component, t.seats, t.calls, t.cannot_take_calls, t.cannot_login,
           t.calls_rejected, t.computed_severity, t.level, t.summary, t.reported_at, t.created_by
      FROM tickets t JOIN sites s ON s.id = t.site_id JOIN customers c ON c.id = s.customer_id
     WHERE t.team_pushed = 0 ORDER BY t.id`).all() as LocalTicket[];
  const events = db.prepare(`
    SELECT e.uid, t.ref, e.at, e.engineer, e.kind, e.from_value, e.to_value, e.reason
      FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
     WHERE e.team_order IS NULL ORDER BY e.id`).all() as LocalEvent[];
  if (tickets.length === 0 && events.length === 0) return { tickets: 0, events: 0 };
  const eventsOf = db.prepare('SELECT kind, to_value AS "to", from_value AS "from", at, reason FROM ticket_events WHERE ticket_id = ? ORDER BY id');
  let ticketsPushed = 0;
  let eventsPushed = 0;
  const orders: [number, string][] = [];
  await client.query('BEGIN');
  try {
    for (const t of tickets) {
      // The opening as it was: later changes are events, pushed below.
      const level = openingLevel(t.level, eventsOf.all(t.id) as FoldableEvent[]);
      const inserted = await client.query(
        `INSERT INTO switchboard.tickets (ref, customer, site, type, component, seats, calls, cannot_take_calls, cannot_login, calls_rejected,
                                          computed_severity, level, summary, reported_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) ON CONFLICT (ref_key) DO NOTHING RETURNING id`,
        [t.ref, t.customer, t.site, t.type, t.component, t.seats, t.calls, t.cannot_take_calls, t.cannot_login, t.calls_rejected,
          t.computed_severity, level, t.summary, t.reported_at, t.created_by],
      );
      if (inserted.rowCount) {
        ticketsPushed++;
        continue;
      }
      const other = (await client.query<{ mine: boolean; created_by: string }>(
        `SELECT t.opened_by = current_user AS mine, coalesce(m.email, t.created_by) AS created_by
           FROM switchboard.tickets t LEFT JOIN switchboard.members m ON m.login = t.opened_by WHERE t.ref_key = lower($1)`, [t.ref])).rows[0];
      if (other && !other.mine) {
        warnings.push(`Ticket ${t.ref} was also opened by ${other.created_by}; the team keeps that opening, and your changes to it are added to it.`);
      }
    }
    for (const e of events) {
      // The event's place in the store's order, whether this push added it or an earlier one whose
      // answer never came back did.
      const stored = await client.query<{ id: string; added: boolean }>(
        `WITH added AS (
           INSERT INTO switchboard.ticket_events (uid, ticket_id, at, engineer, kind, from_value, to_value, reason)
           SELECT $1, t.id, $3, $4, $5, $6, $7, $8 FROM switchboard.tickets t WHERE t.ref_key = lower($2)
           ON CONFLICT (uid) DO NOTHING RETURNING id)
         SELECT id::text, true AS added FROM added UNION ALL SELECT id::text, false FROM switchboard.ticket_events WHERE uid = $1`,
        [e.uid, e.ref, e.at, e.engineer, e.kind, e.from_value, e.to_value, e.reason],
      );
      const row = stored.rows[0];
      if (!row) continue;
      if (row.added) eventsPushed++;
      orders.push([Number(row.id), e.uid]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw isConnectionLost(error) ? error : refusal(error, `push ${tickets.length} ticket(s) and ${events.length} ticket change(s)`);
  }
  // Only now, after the commit: an event marked pushed is in the store.
  const mark = db.prepare('UPDATE tickets SET team_pushed = 1 WHERE id = ?');
  const order = db.prepare('UPDATE ticket_events SET team_order = ? WHERE uid = ?');
  db.transaction(() => {
    for (const t of tickets) mark.run(t.id);
    for (const [id, uid] of orders) order.run(id, uid);
  })();
  return { tickets: ticketsPushed, events: eventsPushed };
}

async function pullTickets(client: ClientBase, db: Db, warnings: string[]): Promise<{ tickets: number; events: number; skipped: number }> {
  const cursor = (db.prepare('SELECT value FROM store_meta WHERE key = ?').pluck().get(CURSOR_KEY) as string | undefined) ?? '0';
  const siteOf = db.prepare(`SELECT s.id FROM sites s JOIN customers c ON c.id = s.customer_id
    WHERE c.name = ? COLLATE NOCASE AND s.name = ? COLLATE NOCASE AND s.deleted_at IS NULL AND c.deleted_at IS NULL`).pluck();
  // Tickets that waited for their site, now that this data dir has it: taken again whole, with all their events.
  const ready = (db.prepare('SELECT ref, customer, site FROM team_ticket_skips').all() as { ref: string; customer: string; site: string }[])
    .filter((skip) => siteOf.get(skip.customer, skip.site) !== undefined).map((skip) => skip.ref.toLowerCase());
  // Only transactions older than every one still running: a row committed later with a smaller id is
  // never passed over, it is simply in a later pull's window.
  const horizon = (await client.query<{ h: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS h')).rows[0]!.h;
  const params = [cursor, horizon, ready];
  // Who opened or changed a ticket is, here, the member whose login wrote the row (the database enforces
  // that), not the name the writing client put in it.
  // A page at a time by id inside that window: a first sync takes the whole team's tickets, which neither
  // memory nor the core's thread should hold at once.
  const ticketsAfter = async (afterId: string) => (await client.query<StoreTicket & { id: string }>(
    `SELECT t.id::text AS id, ref, customer, site, type, component, seats, calls, cannot_take_calls, cannot_login, calls_rejected, computed_severity, level,
            summary, reported_at, coalesce(m.email, t.created_by) AS created_by, opened_by
       FROM switchboard.tickets t LEFT JOIN switchboard.members m ON m.login = t.opened_by
      WHERE (tx >= $1::xid8 OR ref_key = ANY($3::text[])) AND tx < $2::xid8 AND t.id > $4::bigint ORDER BY t.id LIMIT ${PULL_PAGE}`, [...params, afterId])).rows;
  const eventsAfter = async (afterId: string) => (await client.query<StoreEvent>(
    `SELECT e.id::text AS id, e.uid, t.ref, e.at, coalesce(m.email, e.engineer) AS engineer, e.kind, e.from_value, e.to_value, e.reason
       FROM switchboard.ticket_events e JOIN switchboard.tickets t ON t.id = e.ticket_id LEFT JOIN switchboard.members m ON m.login = e.author
      WHERE (e.tx >= $1::xid8 OR t.ref_key = ANY($3::text[])) AND e.tx < $2::xid8 AND e.id > $4::bigint ORDER BY e.id LIMIT ${PULL_PAGE}`, [...params, afterId])).rows;

  const localId = db.prepare('SELECT id FROM tickets WHERE ref = ? COLLATE NOCASE').pluck();
  const insertTicket = db.prepare(`
    INSERT INTO tickets (ref, site_id, type, component, seats, calls, cannot_take_calls, cannot_login, calls_rejected, computed_severity, severity,
                         status, level, summary, reported_at, created_by, created_at, updated_at, team_pushed)
    VALUES (@ref, @siteId, @type, @component, @seats, @calls, @cannot_take_calls, @cannot_login, @calls_rejected, @computed_severity, @computed_severity,
            'open', @level, @summary, @reportedAt, @created_by, @reportedAt, @reportedAt, 1)`);
  // A ticket opened here and by someone else too: the store's opening is the team's.
  const adoptOpening = db.prepare(`
    UPDATE tickets SET type = @type, component = @component, seats = @seats, calls = @calls, cannot_take_calls = @cannot_take_calls,
      cannot_login = @cannot_login, calls_rejected = @calls_rejected, computed_severity = @computed_severity, summary = @summary,
      reported_at = @reportedAt, created_by = @created_by, team_pushed = 1
    WHERE id = @id`);
  const skip = db.prepare('INSERT INTO team_ticket_skips (ref, customer, site, skipped_at) VALUES (?, ?, ?, ?) ON CONFLICT (ref) DO NOTHING');
  const unskip = db.prepare('DELETE FROM team_ticket_skips WHERE ref = ?');
  const knownEvent = db.prepare('UPDATE ticket_events SET team_order = ? WHERE uid = ?');
  const insertEvent = db.prepare(`INSERT INTO ticket_events (ticket_id, at, engineer, kind, from_value, to_value, reason, uid, team_order)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);

  // In turns on the core's thread (a first sync takes every ticket of the team). A pull cut off partway
  // leaves its cursor where it was: the next one takes the same window again, and every step is idempotent
  // (an opening adopted, an event known by its uid, a ticket folded again from its events).
  let pulledTickets = 0;
  let pulledEvents = 0;
  const touched = new Set<number>();
  const applyTicket = (t: StoreTicket) => {
    const row = { ...t, reportedAt: t.reported_at.toISOString() };
    const existing = localId.get(t.ref) as number | undefined;
    if (existing !== undefined) {
      adoptOpening.run({ ...row, id: existing });
      touched.add(existing);
      return;
    }
    const siteId = siteOf.get(t.customer, t.site) as number | undefined;
    if (siteId === undefined) {
      if (skip.run(t.ref, t.customer, t.site, new Date().toISOString()).changes > 0) {
        warnings.push(`Ticket ${t.ref} of ${t.customer}/${t.site} (opened by ${t.created_by}) is not shown here: this data dir has no site ${t.customer}/${t.site}. It comes with the first sync after the site is added.`);
      }
      return;
    }
    touched.add(Number(insertTicket.run({ ...row, siteId }).lastInsertRowid));
    unskip.run(t.ref);
    pulledTickets++;
  };
  const applyEvent = (e: StoreEvent) => {
    // A change to a ticket that waits for its site comes with the ticket, whole, once it is taken.
    const ticketId = localId.get(e.ref) as number | undefined;
    if (ticketId === undefined) return;
    touched.add(ticketId);
    if (knownEvent.run(Number(e.id), e.uid).changes > 0) return;
    insertEvent.run(ticketId, e.at.toISOString(), e.engineer, e.kind, e.from_value, e.to_value, e.reason, e.uid, Number(e.id));
    pulledEvents++;
  };
  for (let page = await ticketsAfter('0'); page.length > 0; page = await ticketsAfter(page.at(-1)!.id)) await inTurns(db, page, applyTicket);
  for (let page = await eventsAfter('0'); page.length > 0; page = await eventsAfter(page.at(-1)!.id)) await inTurns(db, page, applyEvent);
  await inTurns(db, [...touched], (id) => refold(db, id));
  const skipped = db.transaction(() => {
    db.prepare('INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(CURSOR_KEY, horizon);
    return Number(db.prepare('SELECT count(*) FROM team_ticket_skips').pluck().get());
  })();
  return { tickets: pulledTickets, events: pulledEvents, skipped };
}

/** The ticket's state again from its events: the store's order first, this laptop's unpushed ones after. */
function refold(db: Db, ticketId: number): void {
  const ticket = db.prepare('SELECT reported_at, computed_severity, level FROM tickets WHERE id = ?').get(ticketId) as
    { reported_at: string; computed_severity: Severity; level: SupportLevel };
  const events = db.prepare(`SELECT at, kind, from_value AS "from", to_value AS "to", reason FROM ticket_events
    WHERE ticket_id = ? ORDER BY team_order IS NULL, team_order, id`).all(ticketId) as FoldableEvent[];
  const level = openingLevel(ticket.level, db.prepare(`SELECT at, kind, from_value AS "from", to_value AS "to", reason FROM ticket_events
    WHERE ticket_id = ? ORDER BY id`).all(ticketId) as FoldableEvent[]);
  const state = foldTicket({ reportedAt: ticket.reported_at, computedSeverity: ticket.computed_severity, level }, events);
  const lastChange = events.reduce((latest, e) => (e.at > latest ? e.at : latest), ticket.reported_at);
  db.prepare(`UPDATE tickets SET status = ?, level = ?, severity = ?, severity_reason = ?, cause = ?, first_response_at = ?, resolved_at = ?,
    rca_delivered_at = ?, updated_at = ? WHERE id = ?`).run(state.status, state.level, state.severity, state.severityReason, state.cause,
    state.firstResponseAt, state.resolvedAt, state.rcaDeliveredAt, lastChange, ticketId);
  db.prepare('DELETE FROM rca_waits WHERE ticket_id = ?').run(ticketId);
  const wait = db.prepare('INSERT INTO rca_waits (ticket_id, started_at, ended_at, reason) VALUES (?, ?, ?, ?)');
  for (const w of state.rcaWaits) wait.run(ticketId, w.startedAt, w.endedAt, w.reason);
}
