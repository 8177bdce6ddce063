import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useCores } from '../helpers/core';
import { usePostgres } from '../helpers/postgres';
import { countsSeenDuring, useLeadAndRavi } from '../helpers/team-store-lab';

/**
 * A laptop's pull of the team's site notes runs on the core's thread: a batch of revisions is applied in
 * short turns with the thread given back between them, so the window is answered while thousands of notes
 * come in (a new laptop's first sync of a team with 100k notes). A real PostgreSQL, a real SQLite data dir.
 */
const postgres = usePostgres();
const cores = useCores();
const { lead, ravi } = useLeadAndRavi(postgres, cores);
const NOTES = 2500;

describe('a pull of many site notes', () => {
  it('answers the core\'s other work while a batch is applied, and every note arrives with its text', async () => {
    // Ravi's notes, straight into the store (as his laptop's pushes would have put them): first revisions of new notes.
    const admin = await postgres().connect();
    const login = ravi().team.status().login!;
    const uid = () => randomBytes(16).toString('hex');
    try {
      await admin.query('SET session_replication_role = replica');
      for (let i = 0; i < NOTES; i += 500) {
        const values: unknown[] = [];
        const rows: string[] = [];
        for (let n = i; n < Math.min(NOTES, i + 500); n++) {
          const at = values.length;
          rows.push(`($${at + 1}, $${at + 2}, NULL, 'Acme', 'Pune', NULL, $${at + 3}, $${at + 4}, false, $${at + 5}, $${at + 6})`);
          values.push(uid(), uid(), `Dialer runbook ${n}`, `Step ${n}: restart the dialer after 22:00; check the trunk ${n % 7} first.`, login, new Date(Date.UTC(2026, 10, 30, 9, 0, n)).toISOString());
        }
        await admin.query(`INSERT INTO switchboard.note_revisions (uid, note_uid, parent_uid, customer, site, host, title, body, deleted, author, written_at) VALUES ${rows.join(', ')}`, values);
      }
    } finally {
      await admin.end();
    }
    const notes = () => lead().db.prepare("SELECT count(*) FROM notes WHERE title LIKE 'Dialer runbook %'").pluck().get() as number;
    // What the core's thread sees whenever it is free during the sync: a reader on the lead's own database.
    const { value: synced, seen } = await countsSeenDuring(notes, () => lead().team.sync());
    expect(synced.notes).toMatchObject({ pulled: NOTES, skipped: 0 });
    expect(notes()).toBe(NOTES);
    expect(lead().db.prepare("SELECT body FROM notes WHERE title = 'Dialer runbook 1234'").pluck().get()).toBe('Step 1234: restart the dialer after 22:00; check the trunk 2 first.');
    // One transaction per batch of 1000 would show the reader only whole batches (0, 1000, 2000, 2500).
    const partway = seen.filter((n) => n % 1000 !== 0 && n !== NOTES);
    expect(partway.length, `counts seen during the sync: ${seen.join(', ')}`).toBeGreaterThan(0);
  });
});
