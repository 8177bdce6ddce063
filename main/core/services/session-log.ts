import type { CurrentEngineer } from '../who';
import type { ParsedInputOf } from '../../../contract/api';
import { ApiError } from '../../../contract/errors';
import type { SessionEventView, SessionRecordView } from '../../../contract/models';
import type { SessionLog } from '../session-log/session-log';
import { summaryEvent } from '../session-log/summary';
import type { SessionLogFilter, VerifyResult } from '../session-log/types';
import type { ListCursor } from '../session-log/list-query';
import type { LogVerifyJobView } from '../../../contract/log-jobs';
import type { AuditRunOptions } from '../accountability/parallel-audit';
import { VerifyJobs } from '../accountability/verify-jobs';

export type SessionLogQuery = SessionLogFilter;

/**
 * The append-only, hash-chained record of every session attempt, as readers see it: filter, open,
 * verify (optionally against a head exported earlier), export, and the engineer's closing summary.
 * The rest of the record is written by the sessions themselves (sessions/lifecycle.ts).
 */
export interface SessionLogService {
  list(filter: SessionLogQuery): Promise<SessionRecordView[]>;
  /** `filter.limit` records after `after` (newest first) and where the next page starts (null: the end), to read a long log without holding it. */
  page(filter: SessionLogQuery, after?: ListCursor): Promise<{ records: SessionRecordView[]; next: ListCursor | null }>;
  /** How many records the filter matches. */
  count(filter: SessionLogQuery): Promise<number>;
  get(sessionId: string): Promise<{ record: SessionRecordView; events: SessionEventView[] }>;
  /** Runs off the core's thread; `options` tells progress (n of N records) and cancels. */
  verify(expectedHead?: { seq: number; hash: string }, options?: AuditRunOptions): Promise<VerifyResult>;
  /** The same verification as a job the window polls: start (or join the one running), read, cancel. */
  verifyStart(): Promise<LogVerifyJobView>;
  verifyJob(jobId: string): Promise<LogVerifyJobView>;
  verifyCancel(jobId: string): Promise<LogVerifyJobView>;
  /** `csv`/`json`: every event as stored (json is what verify checks); `sessions-*`: one row per session. */
  export(format: ParsedInputOf<'log.export'>['format']): Promise<string>;
  /** Everyone who has attempted a session, A–Z. */
  engineers(): Promise<string[]>;
  /** Adds a closing summary to a session; only the engineer who ran it may (UNAUTHORIZED otherwise). */
  summarize(sessionId: string, summary: string): Promise<SessionRecordView>;
}

export class SqliteSessionLog implements SessionLogService {
  private readonly jobs: VerifyJobs;

  /** `audit` holds the log to its signed checkpoints as well as its chain (accountability/log-audit.ts). */
  constructor(
    private readonly log: SessionLog,
    private readonly engineer: CurrentEngineer,
    private readonly audit: (expectedHead?: { seq: number; hash: string }, options?: AuditRunOptions) => Promise<VerifyResult> = async (head) => log.verify(head),
  ) {
    this.jobs = new VerifyJobs((options) => this.audit(undefined, options));
  }

  async summarize(sessionId: string, summary: string): Promise<SessionRecordView> {
    const { record } = this.log.get(sessionId);
    this.log.append(summaryEvent(record, this.engineer(), summary));
    return this.log.get(sessionId).record;
  }

  async list(filter: SessionLogQuery): Promise<SessionRecordView[]> { return this.log.list(filter); }

  async page(filter: SessionLogQuery, after?: ListCursor): Promise<{ records: SessionRecordView[]; next: ListCursor | null }> { return this.log.page(filter, after); }

  async count(filter: SessionLogQuery): Promise<number> { return this.log.count(filter); }

  async get(sessionId: string): Promise<{ record: SessionRecordView; events: SessionEventView[] }> {
    const found = this.log.get(sessionId);
    if (!found) throw new ApiError('NOT_FOUND', `There is no session ${sessionId} in the log.`);
    return { record: found.record, events: found.events.map((e) => ({ seq: e.seq, kind: e.kind, at: e.at, engineer: e.engineer, outcome: e.outcome, detail: e.detail, summary: e.summary, hash: e.hash })) };
  }

  async verify(expectedHead?: { seq: number; hash: string }, options?: AuditRunOptions): Promise<VerifyResult> { return this.audit(expectedHead, options); }

  async verifyStart(): Promise<LogVerifyJobView> { return this.jobs.start(); }

  async verifyJob(jobId: string): Promise<LogVerifyJobView> { return this.jobs.get(jobId); }

  async verifyCancel(jobId: string): Promise<LogVerifyJobView> { return this.jobs.cancel(jobId); }

  async export(format: ParsedInputOf<'log.export'>['format']): Promise<string> {
    switch (format) {
      case 'csv': return this.log.exportCsv();
      case 'json': return this.log.exportJson();
      case 'sessions-csv': return this.log.exportSessions('csv');
      case 'sessions-json': return this.log.exportSessions('json');
    }
  }

  async engineers(): Promise<string[]> { return this.log.engineers(); }
}
