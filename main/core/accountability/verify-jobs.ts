import { randomUUID } from 'node:crypto';
import { ApiError } from '../../../contract/errors';
import type { LogVerifyJobView } from '../../../contract/log-jobs';
import type { VerifyResult } from '../session-log/types';
import { AuditCancelled, type AuditRunOptions } from './parallel-audit';

/** Finished jobs kept for the window to read their verdict; older ones are forgotten. */
const KEEP_FINISHED = 8;

type Audit = (options: AuditRunOptions) => Promise<VerifyResult>;

/**
 * Verification as a job the window starts and then asks about: the audit runs on worker threads
 * (parallel-audit.ts) while this only counts. One verification at a time: a second start joins the one
 * running, since both would read the same log.
 */
export class VerifyJobs {
  private readonly jobs = new Map<string, { view: LogVerifyJobView; controller: AbortController }>();

  constructor(private readonly audit: Audit, private readonly now: () => Date = () => new Date()) {}

  start(): LogVerifyJobView {
    const running = [...this.jobs.values()].find((j) => j.view.state === 'running');
    if (running) return { ...running.view };
    const controller = new AbortController();
    const view: LogVerifyJobView = { jobId: randomUUID(), state: 'running', done: 0, total: 0, startedAt: this.now().toISOString(), result: null, error: null };
    this.jobs.set(view.jobId, { view, controller });
    this.forgetOld();
    this.audit({ signal: controller.signal, progress: (done, total) => { view.done = done; view.total = total; } }).then(
      (result) => { if (view.state === 'running') { view.state = 'done'; view.result = result; } },
      (error: unknown) => {
        if (view.state !== 'running') return;
        if (error instanceof AuditCancelled) view.state = 'cancelled';
        else { view.state = 'failed'; view.error = (error as Error).message; }
      },
    );
    return { ...view };
  }

  get(jobId: string): LogVerifyJobView {
    return { ...this.find(jobId).view };
  }

  /** Stops a running verification (its workers are terminated); a finished one is left as it ended. */
  cancel(jobId: string): LogVerifyJobView {
    const job = this.find(jobId);
    if (job.view.state === 'running') {
      job.controller.abort();
      job.view.state = 'cancelled';
    }
    return { ...job.view };
  }

  /** Cancels whatever runs (the core is closing). */
  cancelAll(): void {
    for (const { view } of this.jobs.values()) if (view.state === 'running') this.cancel(view.jobId);
  }

  private find(jobId: string) {
    const job = this.jobs.get(jobId);
    if (!job) throw new ApiError('NOT_FOUND', `There is no verification ${jobId} (it finished long ago, or the app restarted); start another.`);
    return job;
  }

  private forgetOld(): void {
    const finished = [...this.jobs.values()].filter((j) => j.view.state !== 'running');
    for (const job of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(job.view.jobId);
  }
}
