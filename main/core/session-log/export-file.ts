import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../store/database';
import { csvCell, EXPORT_FORMAT } from './export';
import { SessionLog } from './session-log';
import { EVENT_COLUMNS, type SessionEventRow } from './types';
import { ROW_COLUMNS } from './verify';

export type ExportFormat = 'csv' | 'json' | 'sessions-csv' | 'sessions-json';

/** Events read per query while writing: a few megabytes at a time, whatever the log's length. */
const BATCH = 5000;
const CSV_COLUMNS = [...EVENT_COLUMNS, 'hash'] as const;

/**
 * Writes an export of the log to `part`, a page of events at a time, in one read transaction (so the
 * head on top is the last event below it): the same bytes as export.ts builds in memory, without ever
 * holding the log. The per-session report is built whole (its records are folded per session) — it is a
 * row per session, not per event. Tells `progress` the events written of the log's.
 */
export function writeExport(db: Db, format: ExportFormat, part: string, exportedAt: string, progress?: (done: number, total: number) => void): { bytes: number } {
  const fd = fs.openSync(part, 'wx', 0o600);
  let bytes = 0;
  const write = (text: string) => { bytes += fs.writeSync(fd, text); };
  try {
    db.transaction(() => {
      if (format === 'sessions-csv' || format === 'sessions-json') {
        write(new SessionLog(db).exportSessions(format === 'sessions-csv' ? 'csv' : 'json', exportedAt));
        return;
      }
      const head = db.prepare('SELECT seq, hash FROM session_events ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
      const total = head?.seq ?? 0;
      const page = db.prepare(`SELECT ${ROW_COLUMNS} FROM session_events WHERE seq > ? ORDER BY seq LIMIT ${BATCH}`);
      if (format === 'json') {
        // JSON.stringify(document, null, 2), written piece by piece.
        write(`{\n  "format": ${JSON.stringify(EXPORT_FORMAT)},\n  "version": 1,\n  "exportedAt": ${JSON.stringify(exportedAt)},\n  "head": ${head ? `{\n    "seq": ${head.seq},\n    "hash": ${JSON.stringify(head.hash)}\n  }` : 'null'},\n  "events": [`);
      } else {
        write(`${CSV_COLUMNS.join(',')}\r\n`);
      }
      let after = 0;
      let written = 0;
      for (;;) {
        const rows = page.all(after) as SessionEventRow[];
        if (rows.length === 0) break;
        const text = format === 'json'
          ? rows.map((row) => `${written++ === 0 ? '\n' : ',\n'}${JSON.stringify(row, null, 2).replace(/^/gm, '    ')}`).join('')
          : rows.map((row) => `${CSV_COLUMNS.map((c) => csvCell(row[c])).join(',')}\r\n`).join('');
        write(text);
        after = rows.at(-1)!.seq;
        progress?.(after, total);
      }
      if (format === 'json') write(written === 0 ? ']\n}\n' : '\n  ]\n}\n');
    })();
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return { bytes };
}

/**
 * Puts a whole part file in place under a free name in `dir` — `name`, else `name (1)`, `name (2)` … —
 * never over an existing file (a hard link fails when the name is taken), then removes the part.
 */
export function placeExport(part: string, dir: string, fileName: string): { path: string; fileName: string } {
  const ext = path.extname(fileName);
  const stem = fileName.slice(0, fileName.length - ext.length);
  for (let n = 0; ; n++) {
    const name = n === 0 ? fileName : `${stem} (${n})${ext}`;
    const target = path.join(dir, name);
    try {
      fs.linkSync(part, target);
      fs.rmSync(part, { force: true });
      return { path: target, fileName: name };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
