import { ApiError } from '../../../contract/errors';
import { listedEventKinds, type SessionLogFilter } from './types';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The query behind SessionLog.list: the event that begins each listed record (a session's attempt, or
 * a record that is not a session), newest first. Sessions scan session_events_byAt as they always did;
 * a filter without sessions says `kind <> 'attempt'` so SQLite may use the partial session_events_byKind.
 */
export function listQuery(filter: SessionLogFilter): { sql: string; params: Record<string, string | number> } {
  const { where, params } = listWhere(filter, 'session_events', 'o.session_id = a.session_id');
  return withLimit(`SELECT a.seq, a.session_id AS sessionId, a.kind FROM session_events a WHERE ${where} ORDER BY a.at DESC, a.seq DESC`, params, filter);
}

/**
 * The same list over the records this data dir holds of other engineers (imported_events: a lead's
 * bundles and team-store pulls), each row naming its engineer's log (engineer_key) beside its seq.
 */
export function importedListQuery(filter: SessionLogFilter): { sql: string; params: Record<string, string | number> } {
  const { where, params } = listWhere(filter, 'imported_events', 'o.engineer_key = a.engineer_key AND o.session_id = a.session_id');
  return withLimit(
    `SELECT a.engineer_key AS engineerKey, a.seq, a.session_id AS sessionId, a.kind, a.at FROM imported_events a WHERE ${where} ORDER BY a.at DESC, a.seq DESC`,
    params, filter,
  );
}

function listWhere(filter: SessionLogFilter, table: 'session_events' | 'imported_events', sameSession: string): { where: string; params: Record<string, string | number> } {
  const kinds = listedEventKinds(filter.kind);
  // Kinds are our own constants (EVENT_KINDS), never the caller's text, so they may be spelled into the SQL.
  const where = [`a.kind IN (${kinds.map((k) => `'${k}'`).join(', ')})`];
  if (!kinds.includes('attempt')) where.push("a.kind <> 'attempt'");
  const params: Record<string, string | number> = {};
  const add = (key: string, value: string | undefined, clause: string) => {
    if (value === undefined || value === '') return;
    where.push(clause);
    params[key] = value;
  };
  add('ticket', filter.ticket, 'a.ticket = @ticket COLLATE NOCASE');
  add('site', filter.site, "(a.site = @site COLLATE NOCASE OR substr(a.site, 1, length(@site) + 1) = @site || '/' COLLATE NOCASE)");
  add('method', filter.method, 'a.method = @method COLLATE NOCASE');
  add('engineer', filter.engineer, 'a.engineer = @engineer COLLATE NOCASE');
  add('from', filter.from === undefined ? undefined : timeBound(filter.from, 'from'), 'a.at >= @from');
  add('to', filter.to === undefined ? undefined : timeBound(filter.to, 'to'), 'a.at < @to');
  add('outcome', filter.outcome,
    `(SELECT o.outcome FROM ${table} o WHERE ${sameSession} AND o.outcome IS NOT NULL
       ORDER BY o.seq DESC LIMIT 1) = @outcome COLLATE NOCASE`);
  return { where: where.join(' AND '), params };
}

function withLimit(sql: string, params: Record<string, string | number>, filter: SessionLogFilter): { sql: string; params: Record<string, string | number> } {
  if (filter.limit === undefined) return { sql, params };
  if (!Number.isInteger(filter.limit) || filter.limit < 1) throw new ApiError('INVALID_INPUT', 'limit must be a whole number of at least 1');
  return { sql: `${sql} LIMIT @limit`, params: { ...params, limit: filter.limit } };
}

/** Normalises a filter bound so it compares as text with the stored UTC timestamps. */
function timeBound(value: string, name: string): string {
  if (DATE_ONLY.test(value) && !Number.isNaN(Date.parse(value))) return value;
  const time = Date.parse(value);
  if (Number.isNaN(time) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    throw new ApiError('INVALID_INPUT', `${name} must be a date (2026-11-25) or an ISO time (2026-11-25T10:00Z), not "${value}"`);
  }
  return new Date(time).toISOString();
}
