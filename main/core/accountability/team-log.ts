import type { SessionRecordView } from '../../../contract/models';
import { chooseDriver } from '../session-log/filter-driver';
import { countQuery, HELD_LOGS, importedListQuery, listQuery, type ListCursor } from '../session-log/list-query';
import { chainRecord, toEvent, toRecord } from '../session-log/records';
import type { ListedRow, SessionLog } from '../session-log/session-log';
import type { SessionEventRow, SessionLogFilter } from '../session-log/types';
import { ROW_COLUMNS } from '../session-log/verify';
import type { Db } from '../store/database';
import { prepared } from '../store/statement-cache';

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

/** Where a page of the team's log ends; `key` is the held record's engineer log, '' for the own log's. */
export type TeamLogCursor = Required<ListCursor>;

interface FoundRow extends ListedRow { engineerKey: string }

/**
 * The team's log as this data dir holds it: its own records and every record of other engineers it holds
 * (a lead's team-store pulls and bundles, as of the last sync or import), one list, newest first, with the
 * same filters as the own log, a page (`filter.limit`) after `after` at a time. Both logs are read through
 * their indexes (migrations 0020, 0022) for the page's keys only, merged, and only the page's records are
 * assembled, so reading the whole team's log page by page holds one page (`log list --all`). Ties in time
 * order by (engineer log, seq), the own log's last. A pulled record's ticket and site ids are the
 * engineer's own data dir's numbers, meaningless here, so they are left out.
 */
export function teamLogPage(db: Db, log: SessionLog, filter: SessionLogFilter & { limit: number }, after?: TeamLogCursor): { records: SessionRecordView[]; next: TeamLogCursor | null } {
  // A session's rows by imported_events_bySession, named: without statistics SQLite reads (engineer_key, session_id)
  // through the primary key — every record of that engineer, per session. The view (imported_events) still decides
  // which rows are published (migration 0021), joined by the primary key.
  const bySession = prepared(db, `SELECT ${ROW_COLUMNS.split(', ').map((c) => `v.${c}`).join(', ')} FROM imported_events_all s INDEXED BY imported_events_bySession
    JOIN imported_events v ON v.engineer_key = s.engineer_key AND v.seq = s.seq WHERE s.engineer_key = ? AND s.session_id = ? ORDER BY s.seq`);
  const bySeq = prepared(db, `SELECT ${ROW_COLUMNS} FROM imported_events WHERE engineer_key = ? AND seq = ?`);
  return db.transaction(() => {
    // The own log's rows after the cursor: all at an older time, and at the same time when the cursor is the own log's
    // (the own log sorts last among equal times) or a held record's (then every own record at that time is still to come).
    const ownAfter = after && { at: after.at, seq: after.key === '' ? after.seq : Number.MAX_SAFE_INTEGER };
    const ownQuery = listQuery(filter, ownAfter, chooseDriver(db, filter));
    const own = prepared(db, ownQuery.sql).all(ownQuery.params) as ListedRow[];
    const heldQuery = importedListQuery(filter, after, chooseDriver(db, filter, HELD_LOGS));
    const held = prepared(db, heldQuery.sql).all(heldQuery.params) as FoundRow[];
    const page = mergeNewestFirst(own.map((r) => ({ ...r, engineerKey: '' })), held, filter.limit);
    const records = page.flatMap((row) => {
      if (row.engineerKey === '') return log.recordsOf([row]);
      const record = row.kind === 'attempt'
        ? toRecord((bySession.all(row.engineerKey, row.sessionId) as SessionEventRow[]).map(toEvent))
        : (() => { const found = bySeq.get(row.engineerKey, row.seq) as SessionEventRow | undefined; return found ? chainRecord(toEvent(found)) : undefined; })();
      return record ? [{ ...record, ticketId: null, siteId: null }] : [];
    });
    const last = page.at(-1);
    return { records, next: last && page.length === filter.limit ? { at: last.at, key: last.engineerKey, seq: last.seq } : null };
  })();
}

/** How many records of the team's log the filter matches: the own log's and the held ones'. */
export function teamLogCount(db: Db, log: SessionLog, filter: SessionLogFilter): number {
  const held = countQuery(filter, chooseDriver(db, filter, HELD_LOGS), HELD_LOGS);
  return log.count(filter) + (prepared(db, held.sql).pluck().get(held.params) as number);
}

/** The first `limit` of two lists already newest first by (at, engineer log, seq). */
function mergeNewestFirst(a: FoundRow[], b: FoundRow[], limit: number): FoundRow[] {
  const newer = (x: FoundRow, y: FoundRow) => (x.at !== y.at ? x.at > y.at : x.engineerKey !== y.engineerKey ? x.engineerKey > y.engineerKey : x.seq > y.seq);
  const merged: FoundRow[] = [];
  let i = 0;
  let j = 0;
  while (merged.length < limit) {
    const x = a[i];
    const y = b[j];
    if (x && (!y || newer(x, y))) { merged.push(x); i++; } else if (y) { merged.push(y); j++; } else break;
  }
  return merged;
}
