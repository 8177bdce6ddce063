import { ApiError } from '../../../contract/errors';
import { listedEventKinds, type SessionLogFilter } from './types';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Where a page ends: the next page starts after this record (newest first, so strictly older). `key` is the
 * engineer's log a held record belongs to (imported_events.engineer_key); the own log has none.
 */
export interface ListCursor { at: string; seq: number; key?: string }

type Query = { sql: string; params: Record<string, string | number> };

/** The filters that have an index of their own: the one a query reads first is its driver. */
export const FILTER_DRIVERS = ['ticket', 'site', 'engineer', 'outcome', 'method'] as const;
export type FilterDriver = (typeof FILTER_DRIVERS)[number];

/**
 * The two logs a list reads alike: the own log (session_events, migrations 0003/0020) and the records held of
 * other engineers (imported_events, a lead's team-store pulls and bundles; migration 0022), each with a
 * (value, at) index per filter and a table of each session's latest outcome. A held record is named by its
 * engineer's log and seq, so ties in time order by (engineer_key, seq) there.
 */
export interface LogTables {
  /** What the list reads: a table, or for held records the view that leaves out a pending import's rows (migration 0021). */
  events: 'session_events' | 'imported_events';
  /** The table under `events`, whose indexes a count of one filter's entries names (filter-driver.ts). */
  stored: 'session_events' | 'imported_events_all';
  outcomes: 'session_outcomes' | 'imported_outcomes';
  held: boolean;
  index: Record<Exclude<FilterDriver, 'outcome'>, string>;
}

export const OWN_LOG: LogTables = {
  events: 'session_events', stored: 'session_events', outcomes: 'session_outcomes', held: false,
  index: { ticket: 'session_events_byTicket', site: 'session_events_bySite', engineer: 'session_events_byEngineer', method: 'session_events_byMethod' },
};

export const HELD_LOGS: LogTables = {
  events: 'imported_events', stored: 'imported_events_all', outcomes: 'imported_outcomes', held: true,
  index: { ticket: 'imported_events_byTicket', site: 'imported_events_bySite', engineer: 'imported_events_byEngineer', method: 'imported_events_byMethod' },
};

/**
 * The query behind SessionLog.list (and the team's log over HELD_LOGS): the event that begins each listed
 * record (a session's attempt, or a record that is not a session), newest first. Each filter reads through an
 * index that keeps `at` order within its value (migrations 0020, 0022), so a page is read in order and a value
 * that matches nothing costs one probe instead of a walk of the whole log; with no filter, sessions read the
 * log's (at) index, and a filter without sessions says `kind <> 'attempt'` so SQLite may use the partial
 * session_events_byKind. An outcome is a session's latest, kept per session in the outcomes table: when it
 * drives, the query reads the sessions that ended that way, in order, and joins their attempts.
 *
 * `driver` names the filter whose index is read first when there are several (filter-driver.ts picks the one
 * that matches fewest); the others are checked on each row it reads. Absent: SQLite's choice (one filter).
 */
export function listQuery(filter: SessionLogFilter, after?: ListCursor, driver?: FilterDriver, tables: LogTables = OWN_LOG): Query {
  const { from, where, order, params } = listParts(filter, tables, driver, after);
  const key = tables.held ? 'a.engineer_key AS engineerKey, ' : '';
  return withLimit(`SELECT ${key}a.seq, a.session_id AS sessionId, a.kind, a.at FROM ${from} WHERE ${where} ORDER BY ${order}`, params, filter);
}

/** How many records match (the CLI's "and N more"): the same filters, no order (a sort would triple it), no limit. */
export function countQuery(filter: SessionLogFilter, driver?: FilterDriver, tables: LogTables = OWN_LOG): Query {
  const { from, where, params } = listParts(filter, tables, driver);
  return { sql: `SELECT count(*) FROM ${from} WHERE ${where}`, params };
}

/** The list over the records this data dir holds of other engineers, each row naming its engineer's log (engineerKey). */
export function importedListQuery(filter: SessionLogFilter, after?: ListCursor, driver?: FilterDriver): Query {
  return listQuery(filter, after, driver, HELD_LOGS);
}

/** A filter value that filters: given and not empty. */
export const given = (value: string | undefined): value is string => value !== undefined && value !== '';

function listParts(filter: SessionLogFilter, tables: LogTables, driver: FilterDriver | undefined, after?: ListCursor): { from: string; where: string; order: string; params: Record<string, string | number> } {
  const { where, params } = listWhere(filter, driver);
  const outcome = given(filter.outcome);
  const lead = outcome && (driver === undefined || driver === 'outcome') ? 'so' : 'a';
  const at = `${lead}.at`;
  const seq = lead === 'so' ? 'so.attempt_seq' : 'a.seq';
  const keys = tables.held ? [at, `${lead}.engineer_key`, seq] : [at, seq];
  const page = after ? pageAfter(keys, after, tables.held) : null;
  const order = keys.map((k) => `${k} DESC`).join(', ');
  const all = { ...params, ...page?.params, ...(outcome ? { outcome: filter.outcome! } : {}) };
  const sameSession = `so.session_id = a.session_id${tables.held ? ' AND so.engineer_key = a.engineer_key' : ''} AND so.attempt_seq = a.seq`;
  const clauses = (...more: (string | undefined)[]) => [...more, where, page?.clause].filter(Boolean).join(' AND ');
  // The own log names its table, so the driver's index is named too; the held records are a view (no INDEXED BY
  // there), where the other filters' terms, written +a.column (listWhere), leave the driver's the only index to search.
  const pin = (name: Exclude<FilterDriver, 'outcome'>) => (tables.held ? '' : ` INDEXED BY ${tables.index[name]}`);
  if (!outcome) {
    const hint = driver !== undefined && driver !== 'outcome' ? pin(driver) : '';
    return { from: `${tables.events} a${hint}`, where: clauses(), order, params: all };
  }
  if (lead === 'so') {
    // CROSS JOIN keeps the outcomes table outside, read in (outcome, at) order: no sort, and no walk when nothing matches.
    const held = tables.held ? ' AND a.engineer_key = so.engineer_key' : '';
    return { from: `${tables.outcomes} so CROSS JOIN ${tables.events} a ON a.seq = so.attempt_seq${held}`, where: clauses('so.outcome = @outcome COLLATE NOCASE'), order, params: all };
  }
  // Another filter matches fewer: read its index, and look each session's outcome up by its key.
  return {
    from: `${tables.events} a${pin(driver as Exclude<FilterDriver, 'outcome'>)} CROSS JOIN ${tables.outcomes} so ON ${sameSession}`,
    where: clauses('so.outcome = @outcome COLLATE NOCASE'),
    order,
    params: all,
  };
}

/** Rows strictly after the cursor in newest-first order; a held cursor's key orders ties in time (the own log's has none: ''). */
function pageAfter(keys: string[], after: ListCursor, held: boolean): { clause: string; params: Record<string, string | number> } {
  if (!held) return { clause: `(${keys.join(', ')}) < (@afterAt, @afterSeq)`, params: { afterAt: after.at, afterSeq: after.seq } };
  return { clause: `(${keys.join(', ')}) < (@afterAt, @afterKey, @afterSeq)`, params: { afterAt: after.at, afterKey: after.key ?? '', afterSeq: after.seq } };
}

/**
 * The filters' terms on the listed events (`a`); the outcome is the caller's (it lives in the outcomes table).
 * With a driver, every other filter's term is written on +a.column, which SQLite never searches an index by.
 */
function listWhere(filter: SessionLogFilter, driver?: FilterDriver): { where: string; params: Record<string, string | number> } {
  const kinds = listedEventKinds(filter.kind);
  // Kinds are our own constants (EVENT_KINDS), never the caller's text, so they may be spelled into the SQL.
  const where = [`a.kind IN (${kinds.map((k) => `'${k}'`).join(', ')})`];
  if (!kinds.includes('attempt')) where.push("a.kind <> 'attempt'");
  const params: Record<string, string | number> = {};
  const add = (key: string, value: string | undefined, clause: string) => {
    if (!given(value)) return;
    where.push(clause);
    params[key] = value;
  };
  const term = (name: Exclude<FilterDriver, 'outcome'>) => {
    const text = FILTER_TERMS[name](filter);
    return driver === undefined || driver === name ? text : text.replace(/\ba\.(\w+)/g, '+a.$1');
  };
  add('ticket', filter.ticket, term('ticket'));
  add('site', filter.site, term('site'));
  add('method', filter.method, term('method'));
  add('engineer', filter.engineer, term('engineer'));
  const bounds = timeTerms(filter, 'a.at');
  return { where: [...where, ...bounds.terms].join(' AND '), params: { ...params, ...bounds.params } };
}

/** Each indexed filter's term on an event row `a`, in the form its (value, at) index is searched by. */
export const FILTER_TERMS: Record<Exclude<FilterDriver, 'outcome'>, (filter: SessionLogFilter) => string> = {
  ticket: () => 'a.ticket = @ticket COLLATE NOCASE',
  // "Customer/site" is one value; "Customer" every "Customer/…": the range [Customer, Customer0) reads the
  // index (case-folded, as the column compares), and the exact test drops "Customer 2…" inside it.
  site: (filter) => (filter.site?.includes('/')
    ? 'a.site = @site COLLATE NOCASE'
    : "a.site >= @site COLLATE NOCASE AND a.site < @site || '0' COLLATE NOCASE AND (a.site = @site COLLATE NOCASE OR substr(a.site, 1, length(@site) + 1) = @site || '/' COLLATE NOCASE)"),
  method: () => 'a.method = @method COLLATE NOCASE',
  engineer: () => 'a.engineer = @engineer COLLATE NOCASE',
};

/** The filter's time bounds as terms on `column` (ISO text compares in time order): the list's, and a count of one filter's index. */
export function timeTerms(filter: SessionLogFilter, column: string): { terms: string[]; params: Record<string, string> } {
  const terms: string[] = [];
  const params: Record<string, string> = {};
  if (filter.from !== undefined) { terms.push(`${column} >= @from`); params.from = timeBound(filter.from, 'from'); }
  if (filter.to !== undefined) { terms.push(`${column} < @to`); params.to = timeBound(filter.to, 'to'); }
  return { terms, params };
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
