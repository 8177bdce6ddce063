import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useCores } from '../helpers/core';
import { usePostgres } from '../helpers/postgres';
import { countsSeenDuring, useLeadAndRavi } from '../helpers/team-store-lab';

/**
 * A laptop's pull of the team's tickets runs on the core's thread: the tickets, their changes and the
 * fold of each ticket's state are written in short turns with the thread given back between them, so the
 * window is answered while a first sync takes a whole team's tickets. A real PostgreSQL, a real SQLite
 * data dir.
 */
const postgres = usePostgres();
const cores = useCores();
const { lead } = useLeadAndRavi(postgres, cores);
const TICKETS = 1500;

describe('a pull of many tickets', () => {
  it('answers the core\'s other work while the tickets are written, and every ticket arrives folded from its changes', async () => {
    // The team's tickets, straight into the store: each opened, answered and resolved.
    const admin = await postgres().connect();
    try {
      await admin.query('SET session_replication_role = replica');
      for (let i = 0; i < TICKETS; i += 500) {
        const refs = Array.from({ length: Math.min(500, TICKETS - i) }, (_, n) => `T-${i + n}`);
        const reported = (n: number) => new Date(Date.UTC(2026, 10, 30, 8, 0, n)).toISOString();
        const { rows } = await admin.query<{ id: string; ref: string }>(
          `INSERT INTO switchboard.tickets (ref, customer, site, type, component, seats, computed_severity, level, reported_at, created_by)
           SELECT ref, 'Acme', 'Pune', 'incident', 'other', 10, 'minor', 'L1', at, 'ravi@example.com' FROM unnest($1::text[], $2::timestamptz[]) AS x(ref, at)
           RETURNING id, ref`, [refs, refs.map((_, n) => reported(i + n))]);
        const uids = rows.flatMap(() => [randomBytes(16).toString('hex'), randomBytes(16).toString('hex')]);
        await admin.query(
          `INSERT INTO switchboard.ticket_events (uid, ticket_id, at, engineer, kind)
           SELECT uid, ticket_id, at, 'ravi@example.com', kind FROM unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::text[]) AS x(uid, ticket_id, at, kind)`,
          [uids, rows.flatMap((r) => [r.id, r.id]), rows.flatMap((_, n) => [reported(i + n + 60), reported(i + n + 600)]), rows.flatMap(() => ['first_response', 'resolved'])]);
      }
    } finally {
      await admin.end();
    }
    const pulled = () => lead().db.prepare("SELECT count(*) FROM tickets WHERE ref LIKE 'T-%'").pluck().get() as number;
    // What the core's thread sees whenever it is free during the sync: a reader on the lead's own database.
    const { value: synced, seen } = await countsSeenDuring(pulled, () => lead().team.sync());
    expect(synced.tickets.pulled.tickets).toBe(TICKETS);
    expect(lead().db.prepare("SELECT count(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.ref LIKE 'T-%' AND e.team_order IS NOT NULL").pluck().get()).toBe(2 * TICKETS);
    expect(pulled()).toBe(TICKETS);
    expect(lead().db.prepare("SELECT status FROM tickets WHERE ref = 'T-1234'").pluck().get()).toBe('resolved');
    expect(lead().db.prepare("SELECT count(*) FROM tickets WHERE ref LIKE 'T-%' AND status = 'resolved' AND first_response_at IS NOT NULL").pluck().get()).toBe(TICKETS);
    // One transaction for the whole pull would show the reader none or all of them.
    const partway = seen.filter((n) => n > 0 && n < TICKETS);
    expect(partway.length, `counts seen during the sync: ${seen.join(', ')}`).toBeGreaterThan(0);
  });
});
