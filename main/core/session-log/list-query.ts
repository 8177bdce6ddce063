import { ApiError } from '../../../contract/errors';
import { listedEventKinds, type SessionLogFilter } from './types';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Where a page ends: the next page starts after this record (newest first, so strictly older). */
export interface ListCursor { at: string; seq: number }

type Query = { sql: string; params: Record<string, string | number> };

/**
 * The query behind SessionLog.list: the event that begins each listed record (a session's attempt, or
 * a record that is not a session), newest first. Each filter reads through an index that keeps `at`
 * order within its value (migration 0020), so a page is read in order and a value that matches nothing
 * costs one probe instead of a walk of the whole log; with no filter, sessions read session_events_byAt,
 * and a filter without sessions says `kind <> 'attempt'` so SQLite may use the partial session_events_byKind.
 * An outcome is a session's latest, kept per session in session_outcomes: that filter reads the sessions
 * that ended that way, in order, and joins their attempts.
 */
export function listQuery(filter: SessionLogFilter, after?: ListCursor): Query {
  const { from, where, order, params } = listParts(filter, after);
  return withLimit(`SELECT a.seq, a.session_id AS sessionId, a.kind, a.at FROM ${from} WHERE ${where} ORDER BY ${order}`, params, filter);
}

/** How many records match (the CLI's "and N more"): the same filters, no order (a sort would triple it), no limit. */
export function countQuery(filter: SessionLogFilter): Query {
  const { from, where, params } = listParts(filter);
  return { sql: `SELECT count(*) FROM ${from} WHERE ${where}`, params };
}

function listParts(filter: SessionLogFilter, after?: ListCursor): { from: string; where: string; order: string; params: Record<string, string | number> } {
  const { where, params } = listWhere(filter, 'session_events', 'o.session_id = a.session_id', { outcomeBySubquery: false });
  if (filter.outcome === undefined || filter.outcome === '') {
    const page = after ? pageAfter('a.at', 'a.seq', after) : null;
    return { from: 'session_events a', where: [where, page?.clause].filter(Boolean).join(' AND '), order: 'a.at DESC, a.seq DESC', params: { ...params, ...page?.params } };
  }
  const page = after ? pageAfter('so.at', 'so.attempt_seq', after) : null;
  // CROSS JOIN keeps session_outcomes outside, read in (outcome, at) order: no sort, and no walk when nothing matches.
  return {
    from: 'session_outcomes so CROSS JOIN session_events a ON a.seq = so.attempt_seq',
    where: ['so.outcome = @outcome COLLATE NOCASE', where, page?.clause].filter(Boolean).join(' AND '),
    order: 'so.at DESC, so.attempt_seq DESC',
    params: { ...params, ...page?.params, outcome: filter.outcome },
  };
}

/**
 * The same list over the records this data dir holds of other engineers (imported_events: a lead's
 * bundles and team-store pulls), each row naming its engineer's log (engineer_key) beside its seq.
 */
export function importedListQuery(filter: SessionLogFilter): Query {
  const { where, params } = listWhere(filter, 'imported_events', 'o.engineer_key = a.engineer_key AND o.session_id = a.session_id', { outcomeBySubquery: true });
  return withLimit(
    `SELECT a.engineer_key AS engineerKey, a.seq, a.session_id AS sessionId, a.kind, a.at FROM imported_events a WHERE ${where} ORDER BY a.at DESC, a.seq DESC`,
    params, filter,
  );
}

const pageAfter = (at: string, seq: string, after: ListCursor) => ({ clause: `(${at}, ${seq}) < (@afterAt, @afterSeq)`, params: { afterAt: after.at, afterSeq: after.seq } });

/** `outcomeBySubquery`: the latest outcome looked up per row (imported_events has no session_outcomes). */
function listWhere(filter: SessionLogFilter, table: 'session_events' | 'imported_events', sameSession: string, { outcomeBySubquery }: { outcomeBySubquery: boolean }): { where: string; params: Record<string, string | number> } {
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
  // "Customer/site" is one value; "Customer" every "Customer/…": the range [Customer, Customer0) reads the
  // index (case-folded, as the column compares), and the exact test drops "Customer 2…" inside it.
  add('site', filter.site, filter.site?.includes('/')
    ? 'a.site = @site COLLATE NOCASE'
    : "a.site >= @site COLLATE NOCASE AND a.site < @site || '0' COLLATE NOCASE AND (a.site = @site COLLATE NOCASE OR substr(a.site, 1, length(@site) + 1) = @site || '/' COLLATE NOCASE)");
  add('method', filter.method, 'a.method = @method COLLATE NOCASE');
  add('engineer', filter.engineer, 'a.engineer = @engineer COLLATE NOCASE');
  add('from', filter.from === undefined ? undefined : timeBound(filter.from, 'from'), 'a.at >= @from');
  add('to', filter.to === undefined ? undefined : timeBound(filter.to, 'to'), 'a.at < @to');
  if (outcomeBySubquery) {
    add('outcome', filter.outcome,
      `(SELECT o.outcome FROM ${table} o WHERE ${sameSession} AND o.outcome IS NOT NULL
         ORDER BY o.seq DESC LIMIT 1) = @outcome COLLATE NOCASE`);
  }
  return { where: where.join(' AND '), params };
}

function withLimit(sql: string, params: Record<string, string | number>, filter: SessionLogFilter): Query {
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
