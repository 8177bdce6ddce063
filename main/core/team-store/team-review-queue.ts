import type { ClientBase, Connection, Submittable } from 'pg';
import type { ReviewFilter, ReviewPage, ReviewSessionView, ReviewState } from '../../../contract/review';
import { reviewBounds, splitSiteFilter } from '../accountability/review-queue';

/**
 * A lead's review queue read straight from the team store (switchboard.review_sessions, migration 3):
 * the same filters, order, keyset paging and page shape as the SQLite queue (ReviewQueue.list).
 *
 * Written for the tail of a page's round trip, which is the client's, not PostgreSQL's
 * (docs/performance.md, "Team store"):
 * - one named prepared statement per combination of filters, so a connection plans each shape once;
 * - every value as the text PostgreSQL sent (timestamps formatted as ISO text by the server), and the
 *   page read by a small Submittable (PageRead) that turns each DataRow straight into the view. Through
 *   pg's own Query/Result the page's values outlived the young generation's collections (V8 pretenured
 *   an allocation site on that path; the old objects then kept every page's strings alive), so each
 *   collection copied megabytes and took 4–10 ms — the round trip's p99. Read this way they die young.
 */
const PAGE_COLUMNS = `r.id, r.login, r.engineer, m.name, r.session_id, ${iso('r.started_at')}, ${iso('r.ended_at')}, r.ticket, r.customer, r.site,
  r.host, r.method, r.decision, r.outcome, r.exception, r.recording_sha256, r.state, r.state_comment, ${iso('r.state_at')}, r.state_by`;

function iso(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

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
  const rows = await client.query(new PageRead(statement.name, statement.text, statement.values.map(String))).done;
  const sessions = rows.slice(0, limit);
  const last = sessions.at(-1);
  return { sessions, next: rows.length > limit && last ? { startedAt: last.startedAt, id: last.id } : null };
}

/** What pg keeps per connection: the named statements it has parsed (set by the client on ParseComplete). */
interface ParsedStatements { parsedStatements?: Record<string, string> }

/**
 * One execution of a named statement in text format (Parse once per connection, Bind, Execute, Sync), each
 * DataRow turned into the view as it arrives. The client calls the handle* methods of the query it is
 * running; `name` and `text` are read by it too (it records the statement as parsed on ParseComplete).
 */
class PageRead implements Submittable {
  readonly done: Promise<ReviewSessionView[]>;
  private readonly views: ReviewSessionView[] = [];
  private settle!: { resolve: (views: ReviewSessionView[]) => void; reject: (error: Error) => void };
  private settled = false;

  constructor(readonly name: string, readonly text: string, private readonly values: string[]) {
    this.done = new Promise((resolve, reject) => { this.settle = { resolve, reject }; });
  }

  submit(connection: Connection): void {
    // pg's record of parsed statements is internal: were it ever gone, the unnamed statement (parsed every
    // time) is still correct, where a named one parsed twice would be refused.
    const parsedStatements = (connection as unknown as ParsedStatements).parsedStatements;
    const statement = parsedStatements ? this.name : '';
    connection.stream.cork();
    try {
      if (!statement || parsedStatements?.[statement] === undefined) connection.parse({ name: statement, text: this.text, types: [] }, true);
      connection.bind({ statement, values: this.values }, true);
      connection.execute({ portal: '' }, true);
      connection.sync();
    } finally {
      connection.stream.uncork();
    }
  }

  handleDataRow(message: { fields: (string | null)[] }): void {
    this.views.push(toView(message.fields as PageRow));
  }

  handleError(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.settle.reject(error);
  }

  handleReadyForQuery(): void {
    if (this.settled) return;
    this.settled = true;
    this.settle.resolve(this.views);
  }

  handleRowDescription(): void {}
  handleCommandComplete(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(): void {}
  handleCopyData(): void {}
}
