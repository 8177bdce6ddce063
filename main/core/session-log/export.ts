import type { Db } from '../store/database';
import { ROW_COLUMNS } from './verify';
import { EVENT_COLUMNS, type SessionEventRow, type SessionRecord } from './types';

export const EXPORT_FORMAT = 'switchboard-session-log';
/** The per-session report: derived from the events, so it is read with the log's head it was made from. */
export const SESSIONS_EXPORT_FORMAT = 'switchboard-session-report';

/** One row per session, in this order; `reasons` are one per line inside their cell. */
export const SESSION_CSV_COLUMNS = [
  'session_id', 'engineer', 'ticket', 'site', 'host', 'method', 'target', 'address', 'decision', 'reasons',
  'started_at', 'ended_at', 'outcome', 'bytes_in', 'bytes_out', 'summary', 'summary_by',
] as const;

const CSV_COLUMNS = [...EVENT_COLUMNS, 'hash'] as const;

function readAll(db: Db): SessionEventRow[] {
  return db.prepare(`SELECT ${ROW_COLUMNS} FROM session_events ORDER BY seq`).all() as SessionEventRow[];
}

/**
 * Every event exactly as stored, hashes included, with the head on top: the copy a lead archives,
 * and later hands to `verify({ expectedHead })` to show whether newer records were cut off.
 */
export function exportJson(db: Db, exportedAt: string): string {
  const events = db.transaction(() => readAll(db))();
  const last = events.at(-1);
  const head = last ? { seq: last.seq, hash: last.hash } : null;
  return `${JSON.stringify({ format: EXPORT_FORMAT, version: 1, exportedAt, head, events }, null, 2)}\n`;
}

/**
 * One line per event, all columns, RFC 4180 quoting. Cells that a spreadsheet would run as a formula
 * get a leading apostrophe (engineers type summaries), so the JSON export is the byte-exact copy.
 */
export function exportCsv(db: Db): string {
  const rows = db.transaction(() => readAll(db))();
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of rows) lines.push(CSV_COLUMNS.map((c) => csvCell(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * One line per session (its attempt folded with what became of it), oldest first: the sheet a lead
 * reads. It is a report, not evidence: the per-event JSON export is what `log verify` checks.
 */
export function exportSessionsCsv(records: readonly SessionRecord[]): string {
  const lines = [SESSION_CSV_COLUMNS.join(',')];
  for (const r of records) {
    const cells: (string | number | null)[] = [
      r.sessionId, r.engineer, r.ticket, r.site, r.host, r.method, r.target, r.address, r.decision, r.reasons.length > 0 ? r.reasons.join('\n') : null,
      r.startedAt, r.endedAt, r.outcome, r.bytesIn, r.bytesOut, r.summary, r.summaryBy,
    ];
    lines.push(cells.map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The same sessions as JSON, with the head of the log they were read from. */
export function exportSessionsJson(records: readonly SessionRecord[], head: { seq: number; hash: string } | null, exportedAt: string): string {
  const sessions = records.map((r) => ({
    sessionId: r.sessionId, engineer: r.engineer, ticket: r.ticket, site: r.site, host: r.host, method: r.method, target: r.target,
    address: r.address, decision: r.decision, reasons: r.reasons, startedAt: r.startedAt, endedAt: r.endedAt, outcome: r.outcome,
    bytesIn: r.bytesIn, bytesOut: r.bytesOut, summary: r.summary, summaryBy: r.summaryBy,
  }));
  return `${JSON.stringify({ format: SESSIONS_EXPORT_FORMAT, version: 1, exportedAt, head, sessions }, null, 2)}\n`;
}

export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
