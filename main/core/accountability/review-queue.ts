import { ApiError } from '../../../contract/errors';
import type {
  ImportedEventView, ReviewDecisionView, ReviewDetail, ReviewFacets, ReviewFilter, ReviewPage, ReviewSessionView, ReviewState,
} from '../../../contract/review';
import type { Db } from '../store/database';

/** A review_sessions row with its engineer's name and latest decision, as the queries below select it. */
export interface ReviewSessionRow {
  id: number;
  engineer_key: string;
  engineer: string;
  engineer_name: string | null;
  session_id: string;
  started_at: string;
  ended_at: string | null;
  ticket: string | null;
  customer: string | null;
  site: string | null;
  host: string | null;
  method: string | null;
  decision: string | null;
  outcome: string | null;
  exception: number;
  recording_sha256: string | null;
  state: ReviewState;
  state_comment: string | null;
  state_at: string | null;
  decided_by: string | null;
}

export const SESSION_COLUMNS = `r.id, r.engineer_key, r.engineer, l.engineer_name, r.session_id, r.started_at, r.ended_at, r.ticket, r.customer,
  r.site, r.host, r.method, r.decision, r.outcome, r.exception, r.recording_sha256, r.state, r.state_comment, r.state_at,
  (SELECT d.decided_by FROM review_decisions d WHERE d.review_session_id = r.id ORDER BY d.id DESC LIMIT 1) AS decided_by`;
export const SESSION_FROM = 'review_sessions r LEFT JOIN imported_logs l ON l.engineer_key = r.engineer_key';

export interface ReviewQuery { where: string; params: Record<string, string | number> }

/**
 * The WHERE clause for a filter, written so each single filter is an equality prefix of one of the
 * queue's indexes (0010-review.ts) followed by its (started_at DESC, id DESC): SQLite then reads the
 * first page straight off the index, with no sort, however many sessions there are.
 */
export function reviewWhere(filter: ReviewFilter): ReviewQuery {
  const where: string[] = [];
  const params: Record<string, string | number> = {};
  const add = (key: string, value: string | undefined, clause: string) => {
    if (value === undefined || value === '') return;
    where.push(clause);
    params[key] = value;
  };
  add('engineer', filter.engineer?.toLowerCase(), 'r.engineer = @engineer');
  const { customer, site } = splitSiteFilter(filter);
  add('customer', customer, 'r.customer = @customer COLLATE NOCASE');
  add('site', site, 'r.site = @site COLLATE NOCASE');
  add('ticket', filter.ticket, 'r.ticket = @ticket COLLATE NOCASE');
  add('method', filter.method?.toLowerCase(), 'r.method = @method');
  add('outcome', filter.outcome?.toLowerCase(), 'r.outcome = @outcome');
  add('state', filter.state, 'r.state = @state');
  const { from, to } = reviewBounds(filter);
  add('from', from, 'r.started_at >= @from');
  add('to', to, 'r.started_at < @to');
  return { where: where.length > 0 ? `WHERE ${where.join(' AND ')}` : '', params };
}

/** "Customer/site" in the site filter names both; it must agree with a customer filter given beside it. */
export function splitSiteFilter(filter: Pick<ReviewFilter, 'customer' | 'site'>): { customer: string | undefined; site: string | undefined } {
  let customer = filter.customer;
  let site = filter.site;
  if (site?.includes('/')) {
    const slash = site.indexOf('/');
    const named = site.slice(0, slash).trim();
    if (customer && named.toLowerCase() !== customer.toLowerCase()) {
      throw new ApiError('INVALID_INPUT', `The site "${site}" names the customer ${named}, but the customer filter is ${customer}; give one of them.`);
    }
    customer = named;
    site = site.slice(slash + 1).trim();
  }
  return { customer, site };
}

/** The filter's start bound (inclusive) and end bound (exclusive) as compared with started_at; refuses an empty range. */
export function reviewBounds(filter: Pick<ReviewFilter, 'from' | 'to'>): { from: string | undefined; to: string | undefined } {
  const from = filter.from === undefined || filter.from === '' ? undefined : lowerBound(filter.from);
  const to = filter.to === undefined || filter.to === '' ? undefined : upperBound(filter.to);
  if (from !== undefined && to !== undefined && from >= to) {
    throw new ApiError('INVALID_INPUT', `The date range is empty: from ${filter.from} is not before to ${filter.to}.`);
  }
  return { from, to };
}

/** A date alone is its first instant (UTC); an ISO time is taken as given. */
function lowerBound(value: string): string {
  return isDateOnly(value) ? value : isoInstant(value, 'from');
}

/** A date alone includes that whole day (UTC): the bound is the next day's start. */
function upperBound(value: string): string {
  if (!isDateOnly(value)) return isoInstant(value, 'to');
  const next = new Date(`${value}T00:00:00.000Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

function isDateOnly(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));
}

function isoInstant(value: string, name: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new ApiError('INVALID_INPUT', `${name} must be a date (2026-11-25) or an ISO time (2026-11-25T10:00:00Z), not "${value}".`);
  return new Date(time).toISOString();
}

export function toSessionView(row: ReviewSessionRow): ReviewSessionView {
  return {
    id: row.id, sessionId: row.session_id, engineer: row.engineer, engineerName: row.engineer_name, engineerKey: row.engineer_key,
    startedAt: row.started_at, endedAt: row.ended_at, ticket: row.ticket, customer: row.customer, site: row.site, host: row.host,
    method: row.method, decision: row.decision, outcome: row.outcome, exception: row.exception === 1,
    recordingSha256: row.recording_sha256, state: row.state, comment: row.state_comment,
    decidedBy: row.decided_by, decidedAt: row.decided_by ? row.state_at : null,
  };
}

interface ImportedEventRow {
  seq: number; kind: string; at: string; engineer: string; decision: string | null; reasons: string | null; outcome: string | null;
  address: string | null; detail: string | null; summary: string | null; hash: string;
}

/**
 * The lead's queue of imported sessions: filtered pages (newest first, keyset-paged), one session with
 * the engineer's records as they signed them, and the names the filter bar offers.
 */
export class ReviewQueue {
  constructor(private readonly db: Db) {}

  list(filter: ReviewFilter & { limit?: number; after?: { startedAt: string; id: number } }): ReviewPage {
    const limit = filter.limit ?? 50;
    const { where, params } = reviewWhere(filter);
    let clause = where;
    if (filter.after) {
      clause = `${clause ? `${clause} AND` : 'WHERE'} (r.started_at, r.id) < (@afterAt, @afterId)`;
      params.afterAt = filter.after.startedAt;
      params.afterId = filter.after.id;
    }
    const rows = this.db.prepare(`SELECT ${SESSION_COLUMNS} FROM ${SESSION_FROM} ${clause} ORDER BY r.started_at DESC, r.id DESC LIMIT @limit`)
      .all({ ...params, limit: limit + 1 }) as ReviewSessionRow[];
    const more = rows.length > limit;
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { sessions: page.map(toSessionView), next: more && last ? { startedAt: last.started_at, id: last.id } : null };
  }

  /** Every session the filter matches, newest first, one row at a time (for the report). */
  *each(filter: ReviewFilter): Generator<ReviewSessionView> {
    const { where, params } = reviewWhere(filter);
    const rows = this.db.prepare(`SELECT ${SESSION_COLUMNS} FROM ${SESSION_FROM} ${where} ORDER BY r.started_at DESC, r.id DESC`).iterate(params);
    for (const row of rows) yield toSessionView(row as ReviewSessionRow);
  }

  row(id: number): ReviewSessionRow {
    const row = this.db.prepare(`SELECT ${SESSION_COLUMNS} FROM ${SESSION_FROM} WHERE r.id = ?`).get(id) as ReviewSessionRow | undefined;
    if (!row) throw new ApiError('NOT_FOUND', `There is no imported session #${id} in the review queue.`);
    return row;
  }

  /**
   * The queue id of a session named the way a person names it: the engineer's session id, or its first
   * 8+ characters when only one session starts so. NOT_FOUND or an ambiguity is said in words.
   */
  resolve(ref: string): number {
    const text = ref.trim();
    const exact = this.db.prepare('SELECT id FROM review_sessions WHERE session_id = ?').pluck().all(text) as number[];
    if (exact.length === 1) return exact[0]!;
    if (exact.length > 1) throw new ApiError('CONFLICT', `Several engineers have a session ${text}; name it by its queue number instead (review list shows it).`);
    if (/^#?\d+$/.test(text)) {
      const byNumber = this.db.prepare('SELECT id FROM review_sessions WHERE id = ?').pluck().get(Number(text.replace('#', ''))) as number | undefined;
      if (byNumber !== undefined) return byNumber;
    }
    if (text.length >= 8) {
      const prefixed = this.db.prepare("SELECT id FROM review_sessions WHERE session_id >= ? AND session_id < ? || char(1114111) LIMIT 2").pluck().all(text, text) as number[];
      if (prefixed.length === 1) return prefixed[0]!;
      if (prefixed.length > 1) throw new ApiError('CONFLICT', `More than one imported session id starts with ${text}; give more of it.`);
    }
    throw new ApiError('NOT_FOUND', `There is no imported session ${text} in the review queue. "switchboard review list" shows what has been imported.`);
  }

  detail(id: number): ReviewDetail {
    const row = this.row(id);
    const events = (this.db.prepare(
      `SELECT seq, kind, at, engineer, decision, reasons, outcome, address, detail, summary, hash
         FROM imported_events WHERE engineer_key = ? AND session_id = ? ORDER BY seq`,
    ).all(row.engineer_key, row.session_id) as ImportedEventRow[]).map(toEventView);
    const decisions = this.decisions(id);
    const recording = row.recording_sha256
      ? (this.db.prepare('SELECT sha256, bytes FROM imported_recordings WHERE sha256 = ?').get(row.recording_sha256) as { sha256: string; bytes: number } | undefined) ?? null
      : null;
    return { session: toSessionView(row), events, decisions, recording };
  }

  /** The hashes of the engineer's records for a session: what a review decision covers. */
  recordHashes(row: Pick<ReviewSessionRow, 'engineer_key' | 'session_id'>): { seq: number; hash: string }[] {
    return this.db.prepare('SELECT seq, hash FROM imported_events WHERE engineer_key = ? AND session_id = ? ORDER BY seq')
      .all(row.engineer_key, row.session_id) as { seq: number; hash: string }[];
  }

  decisions(id: number): ReviewDecisionView[] {
    return (this.db.prepare('SELECT state, comment, decided_by, decided_at, log_seq FROM review_decisions WHERE review_session_id = ? ORDER BY id').all(id) as {
      state: ReviewState; comment: string | null; decided_by: string; decided_at: string; log_seq: number;
    }[]).map((d) => ({ state: d.state, comment: d.comment, decidedBy: d.decided_by, decidedAt: d.decided_at, logSeq: d.log_seq }));
  }

  /**
   * Who and which customers the filter bar offers. Customers are read by skipping along their index
   * (one probe per distinct name), so this stays quick with a million sessions.
   */
  facets(): ReviewFacets {
    const engineers = this.db.prepare('SELECT engineer AS email, engineer_name AS name FROM imported_logs ORDER BY engineer_name COLLATE NOCASE, engineer').all() as { email: string; name: string }[];
    const customers = this.db.prepare(`
      WITH RECURSIVE c(name) AS (
        SELECT min(customer COLLATE NOCASE) FROM review_sessions
        UNION ALL
        SELECT (SELECT min(customer COLLATE NOCASE) FROM review_sessions WHERE customer > c.name COLLATE NOCASE) FROM c WHERE c.name IS NOT NULL
      ) SELECT name FROM c WHERE name IS NOT NULL LIMIT 1000`).pluck().all() as string[];
    return { engineers, customers };
  }
}

function toEventView(row: ImportedEventRow): ImportedEventView {
  let detail: Record<string, unknown> = {};
  if (row.detail) {
    try {
      detail = JSON.parse(row.detail) as Record<string, unknown>;
    } catch {
      detail = { unreadableDetail: row.detail };
    }
  }
  return {
    seq: row.seq, kind: row.kind, at: row.at, engineer: row.engineer, decision: row.decision,
    reasons: row.reasons ? row.reasons.split('\n') : [], outcome: row.outcome, address: row.address, detail, summary: row.summary, hash: row.hash,
  };
}
