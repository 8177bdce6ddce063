import type { SessionRecordView } from '../../../contract/models';
import { importedListQuery } from '../session-log/list-query';
import { chainRecord, toEvent, toRecord } from '../session-log/records';
import type { SessionLog } from '../session-log/session-log';
import type { SessionEventRow, SessionLogFilter } from '../session-log/types';
import { ROW_COLUMNS } from '../session-log/verify';
import type { Db } from '../store/database';

/** Where this data dir's records of other engineers came from, and when they last came. */
export interface HeldLogs {
  /** Engineers whose records this data dir holds (pulled from the team store or imported from bundles). */
  engineers: number;
  /** When the newest of them was accepted: the last sync or import that brought records. */
  lastAcceptedAt: string | null;
}

export function heldLogs(db: Db): HeldLogs {
  const row = db.prepare('SELECT count(*) AS engineers, max(accepted_at) AS lastAcceptedAt FROM imported_logs').get() as HeldLogs;
  return { engineers: row.engineers, lastAcceptedAt: row.lastAcceptedAt };
}

/**
 * The team's log as this data dir holds it: its own records and every record of other engineers it holds
 * (a lead's team-store pulls and bundles, as of the last sync or import), one list, newest first, with the
 * same filters as the own log. A pulled record's ticket and site ids are the engineer's own data dir's
 * numbers, meaningless here, so they are left out.
 */
export function listTeamLog(db: Db, log: SessionLog, filter: SessionLogFilter): SessionRecordView[] {
  const { sql, params } = importedListQuery(filter);
  const bySession = db.prepare(`SELECT ${ROW_COLUMNS} FROM imported_events WHERE engineer_key = ? AND session_id = ? ORDER BY seq`);
  const bySeq = db.prepare(`SELECT ${ROW_COLUMNS} FROM imported_events WHERE engineer_key = ? AND seq = ?`);
  return db.transaction(() => {
    const found = db.prepare(sql).all(params) as { engineerKey: string; seq: number; sessionId: string; kind: string }[];
    const theirs = found.flatMap(({ engineerKey, seq, sessionId, kind }) => {
      const record = kind === 'attempt'
        ? toRecord((bySession.all(engineerKey, sessionId) as SessionEventRow[]).map(toEvent))
        : (() => { const row = bySeq.get(engineerKey, seq) as SessionEventRow | undefined; return row ? chainRecord(toEvent(row)) : undefined; })();
      return record ? [{ ...record, ticketId: null, siteId: null }] : [];
    });
    const merged = [...log.list(filter), ...theirs].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    return filter.limit === undefined ? merged : merged.slice(0, filter.limit);
  })();
}
