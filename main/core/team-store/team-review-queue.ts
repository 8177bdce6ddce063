import type { ClientBase, CustomTypesConfig } from 'pg';
import type { ReviewFilter, ReviewPage, ReviewSessionView, ReviewState } from '../../../contract/review';
import { reviewBounds, splitSiteFilter } from '../accountability/review-queue';

/**
 * A lead's review queue read straight from the team store (switchboard.review_sessions, migration 3):
 * the same filters, order, keyset paging and page shape as the SQLite queue (ReviewQueue.list).
 *
 * Written for the tail of a page's round trip, which is the client's, not PostgreSQL's
 * (docs/performance.md, "Team store"):
 * - one named prepared statement per combination of filters, so a connection plans each shape once;
 * - rows as arrays and every value as the text PostgreSQL sent (timestamps formatted as ISO text by the
 *   server), so the client builds one object per session — the view — and no Date, no keyed row object
 *   and no parsed value it would throw away: about a third fewer young-generation collections per page
 *   read than pg's default rows. Each collection still costs milliseconds, because a page's values
 *   outlive it (V8's allocation-site pretenuring in the driver's parsing); that part is not this code's.
 */
const PAGE_COLUMNS = `r.id, r.login, r.engineer, m.name, r.session_id, ${iso('r.started_at')}, ${iso('r.ended_at')}, r.ticket, r.customer, r.site,
  r.host, r.method, r.decision, r.outcome, r.exception, r.recording_sha256, r.state, r.state_comment, ${iso('r.state_at')}, r.state_by`;

function iso(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** Every column as the text PostgreSQL sent it. */
const AS_TEXT: CustomTypesConfig = { getTypeParser: () => (value: string) => value };

type PageRow = [
  id: string, login: string, engineer: string, name: string | null, sessionId: string, startedAt: string, endedAt: string | null,
  ticket: string | null, customer: string | null, site: string | null, host: string | null, method: string | null, decision: string | null,
  outcome: string | null, exception: string, recordingSha256: string | null, state: string, comment: string | null, stateAt: string | null, stateBy: string | null,
];

export type TeamReviewQuery = ReviewFilter & { limit?: number; after?: { startedAt: string; id: number } };

/** The statement for a filter: each single filter an equality prefix of one index, then (started_at DESC, id DESC). */
export function teamReviewStatement(filter: TeamReviewQuery): { name: string; text: string; values: (string | number)[] } {
  const where: string[] = [];
  const values: (string | number)[] = [];
  const shape: string[] = [];
  const add = (key: string, value: string | number | undefined, clause: (param: string) => string) => {
    if (value === undefined || value === '') return;
    values.push(value);
    where.push(clause(`$${values.length}`));
    shape.push(key);
  };
  const { customer, site } = splitSiteFilter(filter);
  const { from, to } = reviewBounds(filter);
  add('engineer', filter.engineer?.toLowerCase(), (p) => `r.engineer = ${p}`);
  add('customer', customer?.toLowerCase(), (p) => `r.customer_key = ${p}`);
  add('site', site?.toLowerCase(), (p) => `r.site_key = ${p}`);
  add('ticket', filter.ticket?.toLowerCase(), (p) => `r.ticket_key = ${p}`);
  add('method', filter.method?.toLowerCase(), (p) => `r.method = ${p}`);
  add('outcome', filter.outcome?.toLowerCase(), (p) => `r.outcome = ${p}`);
  add('state', filter.state, (p) => `r.state = ${p}`);
  add('from', from === undefined ? undefined : instant(from), (p) => `r.started_at >= ${p}::timestamptz`);
  add('to', to === undefined ? undefined : instant(to), (p) => `r.started_at < ${p}::timestamptz`);
  if (filter.after) {
    values.push(filter.after.startedAt, filter.after.id);
    where.push(`(r.started_at, r.id) < ($${values.length - 1}::timestamptz, $${values.length}::bigint)`);
    shape.push('after');
  }
  values.push((filter.limit ?? 50) + 1);
  return {
    name: `team-review-page:${shape.join('+') || 'all'}`,
    text: `SELECT ${PAGE_COLUMNS} FROM switchboard.review_sessions r LEFT JOIN switchboard.members m ON m.login = r.login
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.started_at DESC, r.id DESC LIMIT $${values.length}`,
    values,
  };
}

/** A date alone is its first instant in UTC, as in the SQLite queue. */
function instant(bound: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(bound) ? `${bound}T00:00:00.000Z` : bound;
}

function toView(row: PageRow): ReviewSessionView {
  const [id, login, engineer, name, sessionId, startedAt, endedAt, ticket, customer, site, host, method, decision, outcome, exception, recordingSha256, state, comment, stateAt, stateBy] = row;
  return {
    id: Number(id), sessionId, engineer, engineerName: name, engineerKey: `team-store:${login}`, startedAt, endedAt, ticket, customer, site, host,
    method, decision, outcome, exception: exception === 't', recordingSha256, state: state as ReviewState, comment,
    decidedBy: stateBy, decidedAt: stateBy ? stateAt : null,
  };
}

/** One page of the team's queue as the connected login may read it (a lead: everyone's; an engineer: their own). */
export async function teamReviewPage(client: ClientBase, filter: TeamReviewQuery): Promise<ReviewPage> {
  const limit = filter.limit ?? 50;
  const statement = teamReviewStatement(filter);
  const { rows } = await client.query<PageRow>({ ...statement, rowMode: 'array', types: AS_TEXT });
  const sessions = rows.slice(0, limit).map(toView);
  const last = sessions.at(-1);
  return { sessions, next: rows.length > limit && last ? { startedAt: last.startedAt, id: last.id } : null };
}
