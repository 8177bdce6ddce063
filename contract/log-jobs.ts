/**
 * Long work on the session log that runs off the core's request path (issue 13 §4): the window starts
 * it, asks how far it got (n of N records) while other calls go on being answered, and may cancel it.
 * Verification reads only, so a cancelled one leaves nothing behind.
 */
import { z } from 'zod';
import type { LogVerification } from './models';

export const logJobInputs = {
  job: z.strictObject({ jobId: z.string().uuid('not a job id') }),
};

export type LogJobState = 'running' | 'done' | 'failed' | 'cancelled';

export interface LogVerifyJobView {
  jobId: string;
  state: LogJobState;
  /** Records checked so far, of `total` (the log's records when it started). */
  done: number;
  total: number;
  startedAt: string;
  /** The verdict once `done`. */
  result: LogVerification | null;
  /** Why it `failed`, in words. */
  error: string | null;
}
