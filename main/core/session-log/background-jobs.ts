import { randomUUID } from 'node:crypto';
import { ApiError } from '../../../contract/errors';
import type { LogJobView } from '../../../contract/log-jobs';

/** Finished jobs kept for the window to read how they ended; older ones are forgotten. */
const KEEP_FINISHED = 8;

/** What a job's work is handed: where to say how far it got, and the signal that cancels it. */
export interface JobRun { signal: AbortSignal; progress(done: number, total: number): void }

/** Thrown by a job's work when its signal stopped it. */
export class JobCancelled extends Error {}

/**
 * Long work the window starts and then asks about (issue 13 §4): the work itself runs off the core's
 * thread (worker threads), this only keeps its state — running with n of N done, done with its result,
 * failed with why, or cancelled. With `joinRunning`, a second start while one runs returns that one.
 */
export class BackgroundJobs<R> {
  private readonly jobs = new Map<string, { view: LogJobView<R>; controller: AbortController; settled: Promise<void> }>();

  constructor(private readonly what: string, private readonly now: () => Date = () => new Date()) {}

  start(work: (run: JobRun) => Promise<R>, { joinRunning }: { joinRunning: boolean }): LogJobView<R> {
    const running = [...this.jobs.values()].find((j) => j.view.state === 'running');
    if (running && joinRunning) return { ...running.view };
    const controller = new AbortController();
    const view: LogJobView<R> = { jobId: randomUUID(), state: 'running', done: 0, total: 0, startedAt: this.now().toISOString(), result: null, error: null };
    const settled = work({ signal: controller.signal, progress: (done, total) => { view.done = done; view.total = total; } }).then(
      (result) => { if (view.state === 'running') { view.state = 'done'; view.result = result; } },
      (error: unknown) => {
        if (view.state !== 'running') return;
        if (error instanceof JobCancelled || controller.signal.aborted) view.state = 'cancelled';
        else { view.state = 'failed'; view.error = (error as Error).message; }
      },
    );
    this.jobs.set(view.jobId, { view, controller, settled });
    this.forgetOld();
    return { ...view };
  }

  /** Whether a job is running now. */
  running(): boolean {
    return [...this.jobs.values()].some((j) => j.view.state === 'running');
  }

  get(jobId: string): LogJobView<R> {
    return { ...this.find(jobId).view };
  }

  /**
   * Stops a running job and answers once its work has stopped (workers terminated, part files removed),
   * so "cancelled" means nothing is left half-done; a finished one is left as it ended.
   */
  async cancel(jobId: string): Promise<LogJobView<R>> {
    const job = this.find(jobId);
    if (job.view.state === 'running') {
      job.controller.abort();
      await job.settled;
    }
    return { ...job.view };
  }

  private find(jobId: string) {
    const job = this.jobs.get(jobId);
    if (!job) throw new ApiError('NOT_FOUND', `There is no ${this.what} ${jobId} (it finished long ago, or the app restarted); start another.`);
    return job;
  }

  private forgetOld(): void {
    const finished = [...this.jobs.values()].filter((j) => j.view.state !== 'running');
    for (const job of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(job.view.jobId);
  }
}
