import type { CurrentEngineer } from '../who';
import type { ParsedInputOf } from '../../../contract/api';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../../contract/errors';
import type { SessionEventView, SessionRecordView } from '../../../contract/models';
import type { SessionLog } from '../session-log/session-log';
import { summaryEvent } from '../session-log/summary';
import type { SessionLogFilter, VerifyResult } from '../session-log/types';
import type { ListCursor } from '../session-log/list-query';
import type { LogExportFile, LogExportJobView, LogVerifyJobView } from '../../../contract/log-jobs';
import type { LogVerification } from '../../../contract/models';
import { AuditCancelled, type AuditRunOptions } from '../accountability/parallel-audit';
import { BackgroundJobs, JobCancelled, type JobRun } from '../session-log/background-jobs';
import type { ExportFormat } from '../session-log/export-file';

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
  /** An export written off the request path, as a job: start, read, cancel; then its text, taken once (the file is removed). */
  exportStart(format: ExportFormat): Promise<LogExportJobView>;
  exportJob(jobId: string): Promise<LogExportJobView>;
  exportCancel(jobId: string): Promise<LogExportJobView>;
  exportText(jobId: string): Promise<{ text: string; fileName: string }>;
  /** The CLI's export: written off the core's thread to exactly `file` (replaced whole, or left as it was). */
  exportTo(format: ExportFormat, file: string, options?: AuditRunOptions): Promise<LogExportFile>;
  /** `csv`/`json`: every event as stored (json is what verify checks); `sessions-*`: one row per session. */
  export(format: ParsedInputOf<'log.export'>['format']): Promise<string>;
  /** Everyone who has attempted a session, A–Z. */
  engineers(): Promise<string[]>;
  /** Adds a closing summary to a session; only the engineer who ran it may (UNAUTHORIZED otherwise). */
  summarize(sessionId: string, summary: string): Promise<SessionRecordView>;
}

/** Writes an export file off the request path (session-log/export-job.ts): into the exports folder, or to exactly `to`. */
export type LogExporter = (format: ExportFormat, fileName: string, run: JobRun, to?: string) => Promise<LogExportFile>;

export class SqliteSessionLog implements SessionLogService {
  private readonly verifyJobs = new BackgroundJobs<LogVerification>('verification');
  private readonly exportJobs = new BackgroundJobs<LogExportFile>('export');

  /** `audit` holds the log to its signed checkpoints as well as its chain (accountability/log-audit.ts). */
  constructor(
    private readonly log: SessionLog,
    private readonly engineer: CurrentEngineer,
    private readonly audit: (expectedHead?: { seq: number; hash: string }, options?: AuditRunOptions) => Promise<VerifyResult> = async (head) => log.verify(head),
    private readonly exporter?: LogExporter,
  ) {}

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

  /** One verification at a time: a second start joins the one running (both would read the same log). */
  async verifyStart(): Promise<LogVerifyJobView> {
    return this.verifyJobs.start(async ({ signal, progress }) => {
      try {
        return await this.audit(undefined, { signal, progress });
      } catch (error) {
        throw error instanceof AuditCancelled ? new JobCancelled(error.message) : error;
      }
    }, { joinRunning: true });
  }

  async verifyJob(jobId: string): Promise<LogVerifyJobView> { return this.verifyJobs.get(jobId); }

  async verifyCancel(jobId: string): Promise<LogVerifyJobView> { return this.verifyJobs.cancel(jobId); }

  async exportStart(format: ExportFormat): Promise<LogExportJobView> {
    const exporter = this.exporter;
    if (!exporter) throw new ApiError('INTERNAL', 'This core was opened without a place to write exports.');
    return this.exportJobs.start((run) => exporter(format, exportFileName(format), run), { joinRunning: false });
  }

  async exportJob(jobId: string): Promise<LogExportJobView> { return this.exportJobs.get(jobId); }

  async exportCancel(jobId: string): Promise<LogExportJobView> { return this.exportJobs.cancel(jobId); }

  async exportTo(format: ExportFormat, file: string, options: AuditRunOptions = {}): Promise<LogExportFile> {
    if (!this.exporter) throw new ApiError('INTERNAL', 'This core was opened without a way to write exports.');
    const abort = new AbortController();
    return this.exporter(format, path.basename(file), { signal: options.signal ?? abort.signal, progress: options.progress ?? (() => {}) }, file);
  }

  /** The finished export's text, read without blocking the core, and its file removed: the window downloads it. */
  async exportText(jobId: string): Promise<{ text: string; fileName: string }> {
    const job = this.exportJobs.get(jobId);
    if (job.state !== 'done' || !job.result) throw new ApiError('CONFLICT', `The export is ${job.state}, not done; its text can be taken once it has finished.`);
    const { path: file, fileName } = job.result;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new ApiError('NOT_FOUND', 'This export was already taken; export again.');
    }
    await rm(file, { force: true });
    return { text, fileName };
  }

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

/** switchboard-session-log-2026-11-29.json, …-sessions-2026-11-29.csv for the per-session report. */
export function exportFileName(format: ExportFormat, now: Date = new Date()): string {
  const day = now.toISOString().slice(0, 10);
  const perSession = format.startsWith('sessions-');
  return `switchboard-session-log-${perSession ? 'sessions-' : ''}${day}.${perSession ? format.slice('sessions-'.length) : format}`;
}
