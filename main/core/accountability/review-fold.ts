import type { Statement } from 'better-sqlite3';
import { toEvent, toRecord } from '../session-log/records';
import { EVENT_COLUMNS, type SessionEventRow } from '../session-log/types';
import type { Db } from '../store/database';

/** An imported record's columns (imported_events), beside engineer_key and seq. */
export const IMPORTED_COLUMNS = [...EVENT_COLUMNS.filter((c) => c !== 'seq'), 'hash'] as const;

/** One review-queue row (review_sessions), as the upsert takes it. */
export interface ReviewRow {
  key: string; engineer: string; sessionId: string; startedAt: string; endedAt: string | null; ticket: string | null;
  customer: string | null; site: string | null; host: string | null; method: string | null; decision: string | null;
  outcome: string | null; exception: 0 | 1; recording: string | null;
}

/**
 * One review-queue row per session, folded from all its imported records the way the log view folds
 * them (records.ts toRecord), so a session whose end came in a later bundle is completed then; null for
 * a session without its attempt. `haveRecording` says whether the lead holds a recording by its SHA-256.
 */
export function foldRows(rows: readonly SessionEventRow[], key: string, engineer: string, sessionId: string, haveRecording: (sha256: string) => boolean): ReviewRow | null {
  const attempt = rows.find((r) => r.kind === 'attempt');
  if (!attempt) return null;
  const record = toRecord(rows.map(toEvent));
  if (!record) return null;
  const [customer, ...site] = (record.site ?? '').split('/');
  const approval = attempt.detail ? (JSON.parse(attempt.detail) as Record<string, unknown>).approval : undefined;
  const sha = typeof record.detail.recordingSha256 === 'string' ? record.detail.recordingSha256 : null;
  return {
    key, engineer, sessionId, startedAt: record.startedAt, endedAt: record.endedAt, ticket: record.ticket,
    customer: record.site ? customer! : null, site: site.length ? site.join('/') : null, host: record.host, method: record.method,
    decision: record.decision, outcome: record.outcome, exception: approval ? 1 : 0, recording: sha !== null && haveRecording(sha) ? sha : null,
  };
}

/**
 * The rows a bundle's fresh records fold into, read on the worker beside the checks (each session's
 * records from earlier imports, then this bundle's), so the import's transaction only writes them.
 * `carried`: the recordings this bundle brings.
 */
export function foldBundleSessions(db: Db, key: string, engineer: string, fresh: readonly SessionEventRow[], carried: ReadonlySet<string>): ReviewRow[] {
  const statements = foldStatements(db);
  const bySession = new Map<string, SessionEventRow[]>();
  for (const r of fresh) {
    const rows = bySession.get(r.session_id);
    if (rows) rows.push(r);
    else bySession.set(r.session_id, [r]);
  }
  const have = (sha: string) => carried.has(sha) || statements.recording.get(sha) !== undefined;
  const out: ReviewRow[] = [];
  for (const [sessionId, rows] of bySession) {
    const earlier = statements.rows.all(key, sessionId) as SessionEventRow[];
    const row = foldRows(earlier.length ? [...earlier, ...rows] : rows, key, engineer, sessionId, have);
    if (row) out.push(row);
  }
  return out;
}

/** Writes a review-queue row; the review state is left as the lead set it. */
export function upsertReviewRow(db: Db, row: ReviewRow): void {
  foldStatements(db).upsert.run(row);
}

/** Folds one session from the imported records the database holds (a team-store pull). */
export function foldSession(db: Db, key: string, engineer: string, sessionId: string): boolean {
  const statements = foldStatements(db);
  const rows = statements.rows.all(key, sessionId) as SessionEventRow[];
  const row = foldRows(rows, key, engineer, sessionId, (sha) => statements.recording.get(sha) !== undefined);
  if (row) statements.upsert.run(row);
  return row !== null;
}

const prepared = new WeakMap<Db, { rows: Statement; recording: Statement; upsert: Statement }>();

/** The statements, prepared once per connection (a bundle folds thousands of sessions in one go). */
function foldStatements(db: Db) {
  let statements = prepared.get(db);
  if (!statements) {
    statements = {
      // INDEXED BY: left to itself SQLite reads the session's rows through the primary key (engineer_key, seq),
      // which spares it the sort but walks every record of the engineer — 3 ms a session at 30k records.
      // The stored table, not the view (INDEXED BY needs a table), with the view's condition: published rows only.
      rows: db.prepare(`SELECT seq, ${IMPORTED_COLUMNS.join(', ')} FROM imported_events_all INDEXED BY imported_events_bySession
        WHERE engineer_key = ? AND session_id = ? AND (import_id IS NULL OR import_id NOT IN (SELECT id FROM bundle_imports_pending)) ORDER BY seq`),
      recording: db.prepare('SELECT 1 FROM imported_recordings WHERE sha256 = ?'),
      upsert: db.prepare(`
        INSERT INTO review_sessions_all (engineer_key, engineer, session_id, started_at, ended_at, ticket, customer, site, host, method, decision, outcome, exception, recording_sha256)
        VALUES (@key, @engineer, @sessionId, @startedAt, @endedAt, @ticket, @customer, @site, @host, @method, @decision, @outcome, @exception, @recording)
        ON CONFLICT (engineer_key, session_id) DO UPDATE SET ended_at = excluded.ended_at, outcome = excluded.outcome, recording_sha256 = excluded.recording_sha256
      `),
    };
    prepared.set(db, statements);
  }
  return statements;
}
