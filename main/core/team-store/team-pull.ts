import type { ClientBase } from 'pg';
import { ApiError } from '../../../contract/errors';
import { foldSession } from '../accountability/bundle-import';
import type { TeamRoster } from '../accountability/team-roster';
import { GENESIS_HASH, hashRow } from '../session-log/hash-chain';
import { EVENT_COLUMNS, type SessionEventRow } from '../session-log/types';
import { nowIso, type Db } from '../store/database';
import { inSlices, inTurns } from '../store/turns';

/** Records pulled per round trip. */
const PULL_BATCH = 2000;

interface PulledRow extends SessionEventRow { id: string; login: string; email: string; name: string }

const IMPORTED_COLUMNS = [...EVENT_COLUMNS.filter((c) => c !== 'seq'), 'hash'] as const;

/** bigint and text columns come back from PostgreSQL as strings; the hashed form has numbers. */
function asEventRow(row: PulledRow): SessionEventRow {
  const number = (value: unknown) => (value === null ? null : Number(value));
  return {
    ...row, seq: Number(row.seq), ticket_id: number(row.ticket_id), site_id: number(row.site_id),
    bytes_in: number(row.bytes_in), bytes_out: number(row.bytes_out),
  } as SessionEventRow;
}

/** One pulled record, checked: its row as hashed, and the key of the engineer's chain it belongs to. */
interface CheckedRecord { key: string; email: string; name: string; login: string; row: SessionEventRow }

/**
 * A lead's pull of the team's records (everyone's but the lead's own) by cursor, into the review queue the
 * bundles feed (imported_events, review_sessions), so the lead reviews live without bundles. The database
 * has already checked each chain; the lead's app checks again what it stores — every hash recomputed and
 * every record linked to the one before it — because what a lead reviews must not rest on one server's word.
 *
 * This runs on the core's thread, so a batch is never one long stretch of it (a batch of 2000 took ~160 ms
 * in one transaction, bench/team-pull.mjs): the whole batch is checked first, in turns of about TURN_MS,
 * and only a batch that checks out is written — then in transactions of about TURN_MS, with the thread
 * given back between turns. A record that does not check out keeps the whole batch out.
 */
export async function pullTeamRecords(client: ClientBase, db: Db, roster: TeamRoster, cursor: number): Promise<{ pulled: number; sessions: number; cursor: number }> {
  const members = roster.current()?.roster.members ?? [];
  // An engineer whose bundles this lead imported before keeps that key: their records are one chain, kept once.
  const knownKey = db.prepare('SELECT engineer_key FROM imported_logs WHERE lower(engineer) = lower(?)').pluck();
  const keyOf = (row: PulledRow) => (knownKey.get(row.email) as string | undefined)
    ?? members.find((m) => m.email.toLowerCase() === row.email.toLowerCase())?.fingerprint ?? `team-store:${row.login}`;
  const insert = db.prepare(`INSERT OR IGNORE INTO imported_events_all (engineer_key, seq, ${IMPORTED_COLUMNS.join(', ')}) VALUES (?, ?, ${IMPORTED_COLUMNS.map(() => '?').join(', ')})`);
  const previousHash = db.prepare('SELECT hash FROM imported_events WHERE engineer_key = ? AND seq = ?').pluck();
  const ensureLog = db.prepare(`
    INSERT INTO imported_logs (engineer_key, engineer, engineer_name, origin, first_seq, size, root_hash, frontier, checkpoint_note, cosigned_note, accepted_at, bundles)
    VALUES (@key, @email, @name, @origin, 1, @size, '', '[]', '', NULL, @now, 0)
    ON CONFLICT (engineer_key) DO UPDATE SET size = max(size, excluded.size), accepted_at = excluded.accepted_at, origin = excluded.origin`);
  let pulled = 0;
  const folded = new Set<string>();
  for (;;) {
    const { rows } = await client.query<PulledRow>(
      `SELECT l.id, l.login, m.email, m.name, ${EVENT_COLUMNS.map((c) => `l.${c}`).join(', ')}, l.hash
       FROM switchboard.log_records l JOIN switchboard.members m ON m.login = l.login
       WHERE l.id > $1 AND l.login <> current_user ORDER BY l.id LIMIT $2`, [cursor, PULL_BATCH]);
    if (rows.length === 0) break;
    const checked = await checkBatch(rows, keyOf, (key, seq) => previousHash.get(key, seq) as string | undefined);
    await inTurns(db, checked, (record) => insert.run(record.key, record.row.seq, ...IMPORTED_COLUMNS.map((c) => record.row[c])));
    const logs = new Map<string, CheckedRecord>();
    for (const record of checked) logs.set(record.key, record);
    db.transaction(() => {
      for (const { key, email, name, login, row } of logs.values()) ensureLog.run({ key, email, name, origin: `team-store/${login}`, size: row.seq, now: nowIso() });
    }).immediate();
    const touched = new Map<string, { key: string; email: string; sessionId: string }>();
    for (const { key, email, row } of checked) touched.set(`${key}\n${row.session_id}`, { key, email, sessionId: row.session_id });
    await inTurns(db, [...touched], ([id, { key, email, sessionId }]) => { if (foldSession(db, key, email, sessionId)) folded.add(id); });
    pulled += rows.length;
    cursor = Number(rows.at(-1)!.id);
  }
  return { pulled, sessions: folded.size, cursor };
}

/**
 * Every record of a batch re-hashed and linked to the one before it (in this batch or already held), in
 * turns of about TURN_MS; the first that does not check out refuses the batch before anything is written.
 */
async function checkBatch(rows: PulledRow[], keyOf: (row: PulledRow) => string, heldHash: (key: string, seq: number) => string | undefined): Promise<CheckedRecord[]> {
  const checked: CheckedRecord[] = [];
  const newest = new Map<string, { seq: number; hash: string }>();
  await inSlices(rows, (pulledRow) => {
    const row = asEventRow(pulledRow);
    const key = keyOf(pulledRow);
    const { hash, ...hashed } = row;
    if (hashRow(hashed) !== hash) throw new ApiError('TEAM_STORE_REFUSED', `Record ${row.seq} of ${pulledRow.email} from the team store does not hash to what it says; nothing of this pull was kept.`);
    const inBatch = newest.get(key);
    const before = row.seq === 1 ? GENESIS_HASH : inBatch?.seq === row.seq - 1 ? inBatch.hash : heldHash(key, row.seq - 1);
    if (before !== undefined && before !== row.prev_hash) {
      throw new ApiError('TEAM_STORE_REFUSED', `Record ${row.seq} of ${pulledRow.email} from the team store does not link to the record before it; nothing of this pull was kept.`);
    }
    newest.set(key, { seq: row.seq, hash: row.hash });
    checked.push({ key, email: pulledRow.email, name: pulledRow.name, login: pulledRow.login, row });
  });
  return checked;
}
