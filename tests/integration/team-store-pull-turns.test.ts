import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashRow } from '../../main/core/session-log/hash-chain';
import { EVENT_COLUMNS, type SessionEventRow } from '../../main/core/session-log/types';
import { useCores } from '../helpers/core';
import { usePostgres } from '../helpers/postgres';
import { countsSeenDuring, useLeadAndRavi } from '../helpers/team-store-lab';

/**
 * A lead's pull runs on the core's thread: a batch of the team's records is checked and written in short
 * turns, with the thread given back between them, so the lead's window is answered while a big pull runs
 * (bench/team-pull.mjs measures the waits). A real PostgreSQL, the lead's real SQLite data dir.
 */
const postgres = usePostgres();
const cores = useCores();
const { lead } = useLeadAndRavi(postgres, cores);

const ravisSessions = () => lead().db.prepare("SELECT count(*) FROM review_sessions WHERE engineer = 'ravi@example.com'").pluck().get() as number;

describe('a lead\'s pull of many records', () => {
  it('answers the core\'s other work while a batch is written: the pull writes in short turns, and every record arrives', async () => {
    await lead().team.sync();
    // 1200 more sessions of Ravi's (2400 records, more than a batch of 2000) go straight into the store, his chain continued.
    const admin = await postgres().connect();
    let added = 0;
    try {
      const { login, seq, hash } = (await admin.query<{ login: string; seq: string; hash: string }>(
        "SELECT l.login, l.seq, l.hash FROM switchboard.log_records l JOIN switchboard.members m ON m.login = l.login WHERE m.email = 'ravi@example.com' ORDER BY l.seq DESC LIMIT 1")).rows[0]!;
      let prev = hash;
      const rows: Array<SessionEventRow & { hash: string }> = [];
      for (let n = 0; n < 1200; n++) {
        const sessionId = randomUUID();
        for (const kind of ['attempt', 'started'] as const) {
          const row = {
            seq: Number(seq) + rows.length + 1, session_id: sessionId, kind, at: new Date(Date.UTC(2026, 10, 30, 9) + rows.length * 1000).toISOString(),
            engineer: 'ravi@example.com', ticket: 'INC-1', ticket_id: 1, site: 'Acme/hq', site_id: 1, host: 'agent-pc', method: 'anydesk',
            target: 'agent-pc', address: null, decision: kind === 'attempt' ? 'allow' : null, reasons: null, outcome: kind === 'attempt' ? 'allowed' : 'connected',
            bytes_in: null, bytes_out: null, detail: null, summary: null, prev_hash: prev,
          } as SessionEventRow;
          prev = hashRow(row);
          rows.push({ ...row, hash: prev });
        }
      }
      await admin.query('SET session_replication_role = replica');
      const columns = ['login', ...EVENT_COLUMNS, 'hash'];
      for (let i = 0; i < rows.length; i += 400) {
        const slice = rows.slice(i, i + 400);
        const values = slice.map((_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ');
        await admin.query(`INSERT INTO switchboard.log_records (${columns.join(', ')}) VALUES ${values}`,
          slice.flatMap((row) => columns.map((c) => (c === 'login' ? login : row[c as keyof typeof row]))));
      }
      added = rows.length;
    } finally {
      await admin.end();
    }
    const held = () => lead().db.prepare("SELECT count(*) FROM imported_events WHERE engineer = 'ravi@example.com'").pluck().get() as number;
    const before = held();
    // What the core's thread sees whenever it is free during the pull: a reader on the lead's own database.
    const { value: synced, seen } = await countsSeenDuring(held, () => lead().team.sync());
    expect(synced.pulled).toBe(added);
    expect(held()).toBe(before + added);
    expect(ravisSessions()).toBe(3 + 1200);
    // One transaction per batch would show the reader only whole batches (before, +2000, +2400).
    const partway = seen.filter((n) => n > before && n < before + added && n !== before + 2000);
    expect(partway.length, `counts seen during the pull: ${seen.join(', ')}`).toBeGreaterThan(0);
  });
});
