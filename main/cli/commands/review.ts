import { REVIEW_PAGE_MAX, REVIEW_STATES, reviewFilter, type ReviewFilter, type ReviewSessionView } from '../../../contract/review';
import type { CliContext } from '../context';
import { UsageError } from '../errors';
import { writeFileAtomic } from '../write-file';

/** The queue's filters exactly as parseArgs hands them over (strings, absent when not given). */
export interface ReviewFlags {
  engineer?: string;
  customer?: string;
  site?: string;
  ticket?: string;
  method?: string;
  outcome?: string;
  state?: string;
  from?: string;
  to?: string;
  limit?: string;
  comment?: string;
  format?: string;
  json: boolean;
}

const FILTERS = '[--engineer E] [--customer C] [--site SITE|CUSTOMER/SITE] [--ticket T] [--method M] [--outcome O] [--state S] [--from DATE] [--to DATE]';
const LIST_USAGE = `usage: switchboard review list ${FILTERS} [--limit N] [--json]`;
const MARK_USAGE = `usage: switchboard review mark SESSION --state ${REVIEW_STATES.filter((s) => s !== 'unreviewed').join('|')}|unreviewed [--comment TEXT]   (flagged needs --comment)`;
const EXPORT_USAGE = `usage: switchboard review export --format csv|json [FILE] ${FILTERS}`;

/** `review list`: the queue, newest first; `--json` one object per session. */
export async function reviewList(ctx: CliContext, args: string[], flags: ReviewFlags): Promise<number> {
  if (args.length > 0) throw new UsageError(LIST_USAGE);
  const filter = parseFilter(flags, LIST_USAGE);
  let wanted = 50;
  if (flags.limit !== undefined) {
    if (!/^[1-9]\d{0,6}$/.test(flags.limit)) throw new UsageError(`--limit must be a whole number of at least 1, not "${flags.limit}"`);
    wanted = Number(flags.limit);
  }
  const review = ctx.core().services.review;
  const sessions: ReviewSessionView[] = [];
  let after: { startedAt: string; id: number } | undefined;
  while (sessions.length < wanted) {
    const page = await review.list({ ...filter, limit: Math.min(REVIEW_PAGE_MAX, wanted - sessions.length), ...(after ? { after } : {}) });
    sessions.push(...page.sessions);
    if (!page.next) break;
    after = page.next;
  }
  if (flags.json) {
    console.log(JSON.stringify(sessions.map(sessionJson), null, 2));
  } else if (sessions.length === 0) {
    console.log(Object.keys(filter).length > 0 ? 'Nothing matches.' : 'No sessions imported yet. Import an engineer\'s bundle with "switchboard review import FILE".');
  } else {
    console.log(['STARTED', 'ENGINEER', 'TICKET', 'SITE', 'METHOD', 'OUTCOME', 'STATE', 'SESSION'].map(pad).join(' ').trimEnd());
    for (const s of sessions) {
      const site = s.customer && s.site ? `${s.customer}/${s.site}` : s.site ?? s.customer ?? '-';
      console.log(`${[s.startedAt.slice(0, 16).replace('T', ' '), s.engineer, s.ticket ?? '-', site, s.method ?? '-', s.outcome ?? '-', s.state].map(pad).join(' ')} ${s.sessionId}`);
      if (s.comment) console.log(`  ${s.state === 'flagged' ? 'flag' : 'comment'}: ${s.comment}`);
    }
  }
  return 0;
}

/** `review mark SESSION --state S [--comment TEXT]`: a lead's decision, a signed record in their log. */
export async function reviewMark(ctx: CliContext, args: string[], flags: ReviewFlags): Promise<number> {
  const [ref, ...rest] = args;
  if (!ref || rest.length > 0 || !flags.state) throw new UsageError(MARK_USAGE);
  const state = REVIEW_STATES.find((s) => s === flags.state);
  if (!state) throw new UsageError(`--state is one of ${REVIEW_STATES.join(', ')}, not "${flags.state}"\n${MARK_USAGE}`);
  if (state === 'flagged' && !flags.comment?.trim()) throw new UsageError(`a flagged session needs --comment saying what is wrong\n${MARK_USAGE}`);
  const review = ctx.core().services.review;
  const marked = await review.markByRef(ref, state, flags.comment);
  console.log(`${marked.engineer}'s session ${marked.sessionId}${marked.ticket ? ` (${marked.ticket})` : ''} is now ${marked.state}${marked.comment ? `: ${marked.comment}` : ''}.`);
  console.log('The decision is a signed record in your log (a checkpoint covers it).');
  return 0;
}

/** `review export --format csv|json [FILE]`: the report, to FILE or stdout. */
export async function reviewExport(ctx: CliContext, args: string[], flags: ReviewFlags): Promise<number> {
  if (args.length > 1) throw new UsageError(EXPORT_USAGE);
  if (flags.format !== 'csv' && flags.format !== 'json') throw new UsageError(`--format is csv (one row per session) or json (signed by you, a lead)\n${EXPORT_USAGE}`);
  const filter = parseFilter(flags, EXPORT_USAGE);
  const { text } = await ctx.core().services.review.export(flags.format, filter);
  if (args[0]) {
    writeFileAtomic(args[0], text);
    console.error(`Wrote the review report to ${args[0]}.`);
  } else {
    process.stdout.write(text);
  }
  return 0;
}

function parseFilter(flags: ReviewFlags, usage: string): ReviewFilter {
  const given = Object.fromEntries(
    (['engineer', 'customer', 'site', 'ticket', 'method', 'outcome', 'state', 'from', 'to'] as const).flatMap((k) => (flags[k] === undefined ? [] : [[k, flags[k]]])),
  );
  const parsed = reviewFilter.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`--${issue.path.join('.')}: ${issue.message}\n${usage}`);
  }
  return parsed.data;
}

function sessionJson(s: ReviewSessionView) {
  return {
    id: s.sessionId, queue_id: s.id, engineer: s.engineer, engineer_name: s.engineerName, ticket: s.ticket, customer: s.customer, site: s.site, host: s.host,
    method: s.method, decision: s.decision, outcome: s.outcome, exception: s.exception, started_at: s.startedAt, ended_at: s.endedAt,
    state: s.state, comment: s.comment, decided_by: s.decidedBy, decided_at: s.decidedAt, recording_sha256: s.recordingSha256,
  };
}

const WIDTH = 16;
const pad = (text: string) => (text.length > WIDTH ? `${text.slice(0, WIDTH - 1)}…` : text.padEnd(WIDTH));
