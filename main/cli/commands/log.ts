import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { LOG_KINDS, LOG_RECORD_LABELS, type LogKind } from '../../../contract/domain/log-kinds';
import type { SessionRecordView } from '../../../contract/models';
import { AuditCancelled, EXPORT_FORMAT, escapeName, JobCancelled, type SessionLogQuery } from '../../core';
import type { CliContext } from '../context';
import { CheckFailed, UsageError } from '../errors';

/** The `log list` filters exactly as parseArgs hands them over (strings, absent when not given). */
export interface LogListOptions {
  ticket?: string;
  site?: string;
  method?: string;
  outcome?: string;
  engineer?: string;
  from?: string;
  to?: string;
  limit?: string;
  kind?: string;
}

/** Records `log list` prints unless told otherwise: a screenful or two, however long the log. */
export const DEFAULT_LIST_LIMIT = 200;
/** Records read per page while streaming every one (--all): memory stays at a page whatever the log's length. */
const STREAM_PAGE = 500;

const LIST_USAGE =
  `usage: switchboard log list [--json] [--mine|--team] [--ticket ID] [--site CUSTOMER[/SITE]] [--method M] [--outcome O] [--engineer E] [--from TIME] [--to TIME] [--limit N|--all] [--kind ${LOG_KINDS.join('|')}]`;

/** Whose records: `mine` this data dir's own log; `team` also every other engineer's it holds. `all`: every record, streamed. */
export interface LogListView { mine?: boolean; team?: boolean; all?: boolean }

export async function logList(ctx: CliContext, args: string[], json: boolean, options: LogListOptions = {}, view: LogListView = {}): Promise<number> {
  if (args.length > 0) throw new UsageError(LIST_USAGE);
  if (view.mine && view.team) throw new UsageError('give --mine (your own log) or --team (everyone\'s this data dir holds), not both');
  const { limit, kind, ...rest } = options;
  const filter: SessionLogQuery = { ...rest };
  if (kind !== undefined) {
    if (!isLogKind(kind)) throw new UsageError(`--kind is one of ${LOG_KINDS.join(', ')}, not "${kind}"`);
    filter.kind = kind;
  }
  if (limit !== undefined && !/^(0|[1-9]\d{0,8})$/.test(limit)) throw new UsageError(`--limit must be a whole number (0 for every record), not "${limit}"`);
  if (limit !== undefined && view.all && limit !== '0') throw new UsageError('give --limit N or --all, not both');
  // --all and --limit 0: every record; otherwise a page, and a line saying what was left out.
  const max = view.all || limit === '0' ? null : limit === undefined ? DEFAULT_LIST_LIMIT : Number(limit);
  const out = listPrinter(json, Object.values(options).some((v) => v !== undefined));
  const source = await listSource(ctx, view, json);
  if (max === null) {
    await source.each(filter, (records) => out.records(records));
    out.end();
    return 0;
  }
  const { records, more } = await source.first({ ...filter, limit: max });
  out.records(records);
  out.end();
  if (more !== 0) {
    const count = more === null ? 'More records match' : `${more.toLocaleString('en')} more record${more === 1 ? '' : 's'} match`;
    console.error(`${count} than the ${max} shown (newest first); see more with --limit N, or every one with --all.`);
  }
  return 0;
}

/**
 * Prints records as they come: the table with its header once, or one JSON array written piece by
 * piece — each record held back until the next one says whether a comma follows it.
 */
function listPrinter(json: boolean, filtered: boolean): { records(records: SessionRecordView[]): void; end(): void } {
  let printed = 0;
  let held: SessionRecordView | null = null;
  return {
    records(records) {
      for (const r of records) {
        if (json) {
          if (printed === 0) console.log('[');
          if (held) console.log(`${indent(JSON.stringify(held, null, 2))},`);
          held = r;
        } else {
          if (printed === 0) console.log(['STARTED', 'ENGINEER', 'TICKET', 'SITE', 'HOST', 'METHOD', 'DECISION', 'OUTCOME', 'SESSION'].map(pad).join(' ').trimEnd());
          console.log(row(r));
        }
        printed++;
      }
    },
    end() {
      if (json) {
        if (held) console.log(indent(JSON.stringify(held, null, 2)));
        console.log(printed === 0 ? '[]' : ']');
      } else if (printed === 0) console.log(filtered ? 'Nothing matches.' : 'Nothing logged yet.');
    },
  };
}

const indent = (text: string) => text.split('\n').map((line) => `  ${line}`).join('\n');

interface ListSource {
  /** A first page, and how many more match (null: some, not counted). */
  first(filter: SessionLogQuery & { limit: number }): Promise<{ records: SessionRecordView[]; more: number | null }>;
  /** Every record, a page at a time. */
  each(filter: SessionLogQuery, take: (records: SessionRecordView[]) => void): Promise<void>;
}

/**
 * A lead's data dir linked to a team store lists the team's log as of the last sync by default (the own
 * records and every engineer's it pulled); --mine lists the own log, --team the held records anywhere
 * (bundles too). An engineer's data dir holds nobody else's records, so it lists the own log as always.
 */
async function listSource(ctx: CliContext, view: LogListView, json: boolean): Promise<ListSource> {
  const core = ctx.core();
  const own = core.services.sessionLog;
  const ownLog: ListSource = {
    async first(filter) {
      const page = await own.page(filter);
      return { records: page.records, more: page.next ? (await own.count(filter)) - page.records.length : 0 };
    },
    async each(filter, take) {
      let page = await own.page({ ...filter, limit: STREAM_PAGE });
      take(page.records);
      while (page.next) {
        page = await own.page({ ...filter, limit: STREAM_PAGE }, page.next);
        take(page.records);
      }
    },
  };
  if (view.mine) return ownLog;
  const held = await core.services.review.heldLogs();
  const team = core.team.status();
  if (!view.team && !(team.linked && held.engineers > 0)) return ownLog;
  if (!json) {
    const asOf = team.linked ? `as of the last sync${team.lastSync ? ` (${team.lastSync.slice(0, 16).replace('T', ' ')} UTC)` : ''}` : 'as imported';
    console.error(`The team's log ${asOf}: your records and those of ${held.engineers} other engineer${held.engineers === 1 ? '' : 's'}; --mine lists only yours.`);
  }
  // The team's log is paged like the own log (review.teamLogPage: both logs read through their indexes, merged a page at a time).
  const review = core.services.review;
  return {
    async first(filter) {
      const page = await review.teamLogPage(filter);
      return { records: page.records, more: page.next ? (await review.teamLogCount(filter)) - page.records.length : 0 };
    },
    async each(filter, take) {
      let page = await review.teamLogPage({ ...filter, limit: STREAM_PAGE });
      take(page.records);
      while (page.next) {
        page = await review.teamLogPage({ ...filter, limit: STREAM_PAGE }, page.next);
        take(page.records);
      }
    },
  };
}

const isLogKind = (value: string): value is LogKind => (LOG_KINDS as readonly string[]).includes(value);

const WIDTH = 16;
const pad = (text: string) => (text.length > WIDTH ? `${text.slice(0, WIDTH - 1)}…` : text.padEnd(WIDTH));

/** A record that is not a session says what it is in the OUTCOME column: "policy changed", "approval sign". */
function outcomeCell(r: SessionRecordView): string {
  if (r.kind === 'session') return r.outcome ?? '-';
  if (r.kind === 'policy-change') return `policy ${String(r.detail.change ?? 'change')}`;
  return typeof r.detail.step === 'string' ? `${r.kind} ${r.detail.step}` : r.kind;
}

function row(r: SessionRecordView): string {
  const outcome = outcomeCell(r);
  const cells = [r.startedAt.slice(0, 16).replace('T', ' '), r.engineer, r.ticket ?? '-', r.site ?? '-', r.host ?? '-', r.method ?? '-', r.decision ?? '-', outcome];
  const line = `${cells.map(pad).join(' ')} ${r.sessionId}`;
  // A record that is not a session says what it is on a line of its own (a policy change: before → after), under its row.
  if (r.kind !== 'session') return `${line}\n  ${LOG_RECORD_LABELS[r.kind].toLowerCase()}: ${r.description ?? ''}`;
  // Files moved (or refused) within a session: a line each under it.
  const transfers = Array.isArray(r.detail.transfers) ? (r.detail.transfers as Record<string, unknown>[]) : [];
  return [line, ...transfers.map(transferLine)].join('\n');
}

/** "  download complete /var/log/ameyo/acd.log → acd.log, 1482 bytes, sha256 3f…" — names escaped: a remote name may hold anything. */
export function transferLine(t: Record<string, unknown>): string {
  const text = (value: unknown): string => (typeof value === 'string' ? escapeName(value) : '-');
  const arrow = t.direction === 'upload' ? '←' : '→';
  const head = `  ${text(t.direction)} ${text(t.result)} ${text(t.remotePath)} ${arrow} ${text(t.localName)}`;
  if (t.result === 'refused' || t.result === 'failed' || t.result === 'cancelled') return `${head}: ${text(t.reason ?? t.refused)}`;
  const resumed = typeof t.resumedFrom === 'number' ? `, resumed at ${t.resumedFrom}` : '';
  const evidence = typeof t.evidence === 'string' ? ', into the ticket\'s evidence' : '';
  return `${head}, ${typeof t.size === 'number' ? t.size : '?'} bytes, sha256 ${text(t.sha256)}${resumed}${evidence}`;
}

const EXPORT_FORMATS = ['json', 'csv', 'sessions-csv', 'sessions-json'] as const;
const isExportFormat = (value: string): value is (typeof EXPORT_FORMATS)[number] => (EXPORT_FORMATS as readonly string[]).includes(value);

/**
 * The export is written by the core's log worker a page at a time (the whole log never sits in memory):
 * to FILE through a part file and a rename, or, for stdout, to a private temp file streamed out. On a
 * terminal stderr shows how far it got; Ctrl-C cancels (exit 130) and leaves FILE as it was.
 */
export async function logExport(ctx: CliContext, args: string[], format: string | undefined): Promise<number> {
  if (args.length > 1) throw new UsageError(`usage: switchboard log export [--format ${EXPORT_FORMATS.join('|')}] [FILE]`);
  const chosen = format ?? 'json';
  if (!isExportFormat(chosen)) {
    throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')} (csv and json: one row per event; sessions-…: one row per session), not "${chosen}"`);
  }
  const temp = args[0] ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-export-'));
  const file = args[0] ?? path.join(temp!, `export.${chosen}`);
  try {
    const written = await withProgress('exporting', 'events', (options) => ctx.core().services.sessionLog.exportTo(chosen, file, options), JobCancelled);
    if (written === 'cancelled') return 130;
    if (args[0]) {
      console.error(`Wrote ${args[0]}.`);
      return 0;
    }
    for await (const chunk of fs.createReadStream(file)) {
      if (!process.stdout.write(chunk as Buffer)) await once(process.stdout, 'drain');
    }
    return 0;
  } catch (error) {
    if (args[0] && !(error instanceof UsageError)) throw new UsageError(`cannot write ${args[0]}: ${(error as Error).message}`);
    throw error;
  } finally {
    if (temp) fs.rmSync(temp, { recursive: true, force: true });
  }
}

const exportHead = z.object({
  format: z.literal(EXPORT_FORMAT),
  head: z.object({ seq: z.number().int().positive(), hash: z.string().regex(/^[0-9a-f]{64}$/) }).nullable(),
});

/** Reads the head of an earlier `log export --format json`, the anchor that shows a cut-off tail. */
function readExportHead(file: string): { seq: number; hash: string } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const result = exportHead.safeParse(parsed);
  if (!result.success) throw new UsageError(`${file} is not a session log export (switchboard log export --format json)`);
  return result.data.head ?? undefined;
}

export async function logVerify(ctx: CliContext, args: string[] = []): Promise<number> {
  if (args.length > 1) throw new UsageError('usage: switchboard log verify [EXPORT.json]');
  const expectedHead = args[0] ? readExportHead(args[0]) : undefined;
  const result = await verifyWithProgress(ctx, expectedHead);
  if (result === 'cancelled') return 130;
  if (!result.ok) throw new CheckFailed(`session log NOT intact: ${result.message}`);
  console.log(`intact: ${result.count} records${expectedHead ? ` (matches the export up to record ${expectedHead.seq})` : ''}`);
  const checkpoints = result.checkpoints;
  if (checkpoints?.latest) {
    console.log(`signed: ${checkpoints.checked} checkpoint${checkpoints.checked === 1 ? '' : 's'} hold; the latest covers ${checkpoints.latest.size} records (${checkpoints.latest.signedAt ?? 'no time'}, ${checkpoints.latest.source})`);
  } else if (checkpoints) {
    console.log('signed: no checkpoint yet (create an identity with "switchboard identity init", then "switchboard log checkpoint")');
  }
  const witness = await ctx.core().services.accountability.witnessStatus();
  console.log(witness.witnessed
    ? `witnessed: ${witness.witnessed.by} cosigned the first ${witness.witnessed.size} records ${witness.daysSinceWitnessed} day${witness.daysSinceWitnessed === 1 ? '' : 's'} ago; ${witness.unwitnessedSessions} session${witness.unwitnessedSessions === 1 ? '' : 's'} since`
    : `witnessed: no lead has cosigned this log yet (${witness.unwitnessedSessions} session${witness.unwitnessedSessions === 1 ? '' : 's'})`);
  if (witness.checkpointFailure) console.log(`warning: the last automatic checkpoint failed: ${witness.checkpointFailure}`);
  return 0;
}

/** How often the progress line is redrawn at most. */
const PROGRESS_MS = 200;

type RunOptions = { progress: (done: number, total: number) => void; signal: AbortSignal };

/**
 * Runs long work of the core's log worker with "<doing>: n of N <things>" redrawn on stderr when it is a
 * terminal, and Ctrl-C cancelling it (the worker stops; nothing is left half-written).
 */
export async function withProgress<T>(doing: string, things: string, work: (options: RunOptions) => Promise<T>, cancelledBy: new (...args: never[]) => Error): Promise<T | 'cancelled'> {
  const abort = new AbortController();
  const cancel = () => abort.abort();
  process.once('SIGINT', cancel);
  const tty = process.stderr.isTTY === true;
  let shownAt = 0;
  const progress = (done: number, total: number) => {
    if (!tty || total === 0 || (Date.now() - shownAt < PROGRESS_MS && done < total)) return;
    shownAt = Date.now();
    process.stderr.write(`\r${doing}: ${done.toLocaleString('en')} of ${total.toLocaleString('en')} ${things}`);
  };
  try {
    return await work({ progress, signal: abort.signal });
  } catch (error) {
    if (!(error instanceof cancelledBy)) throw error;
    if (tty && shownAt > 0) process.stderr.write('\n');
    console.error(`switchboard: ${error.message || `${doing} cancelled; nothing was changed`}`);
    return 'cancelled';
  } finally {
    process.off('SIGINT', cancel);
    if (tty && shownAt > 0) process.stderr.write('\r\x1b[K');
  }
}

/** The verification (on the core's worker threads) with its progress and Ctrl-C. */
function verifyWithProgress(ctx: CliContext, expectedHead: { seq: number; hash: string } | undefined) {
  return withProgress('verifying', 'records', (options) => ctx.core().services.sessionLog.verify(expectedHead, options), AuditCancelled);
}
