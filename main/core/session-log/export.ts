import type { Db } from '../store/database';
import { ROW_COLUMNS } from './verify';
import { EVENT_COLUMNS, type SessionEventRow } from './types';

export const EXPORT_FORMAT = 'switchboard-session-log';

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

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
