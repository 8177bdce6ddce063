/**
 * Long work on the session log that runs off the core's request path (issue 13 §4): the window starts
 * it, asks how far it got (n of N records) while other calls go on being answered, and may cancel it.
 * Verification only reads; an export is written to a part file and put in place only when whole, so a
 * cancelled one leaves nothing behind.
 */
import { z } from 'zod';
import type { BundleImportView } from './accountability';
import type { LogVerification } from './models';

export const logJobInputs = {
  job: z.strictObject({ jobId: z.string().uuid('not a job id') }),
  /** csv/json: one row per event (json is the verifiable copy); sessions-csv/sessions-json: one row per session. */
  exportStart: z.strictObject({ format: z.enum(['csv', 'json', 'sessions-csv', 'sessions-json']) }),
};

export type LogJobState = 'running' | 'done' | 'failed' | 'cancelled';

export interface LogJobView<R> {
  jobId: string;
  state: LogJobState;
  /** Records done so far, of `total` (the log's records when it started; 0 until known). */
  done: number;
  total: number;
  startedAt: string;
  /** What it produced, once `done`. */
  result: R | null;
  /** Why it `failed`, in words. */
  error: string | null;
}

export type LogVerifyJobView = LogJobView<LogVerification>;

/** An export written whole (never over an existing file: "name (1).json"), for the window to take with `log.exportText`. */
export interface LogExportFile { path: string; fileName: string; bytes: number }
export type LogExportJobView = LogJobView<LogExportFile>;

/** A lead's import of a bundle (`review.importStart`): n of N is the bundle's records checked; cancelled, nothing was imported. */
export type BundleImportJobView = LogJobView<BundleImportView>;
