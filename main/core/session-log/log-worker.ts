import { Worker } from 'node:worker_threads';
import type { VerifyWorkerJob } from './verify-worker';

type WorkerMessage<T> = { type: 'progress'; done: number; total?: number } | { type: 'note'; value: unknown } | { type: 'result'; ok: true; result: T } | { type: 'result'; ok: false; error: string };

/**
 * Runs one job of the log's worker (verify-worker.ts) on its own thread and connection. Resolves with
 * its result, or null when the worker could not run or failed (the caller then does the work another
 * way); `signal` terminates it — waiting until it has stopped — and rejects with `cancelled()`. `note`
 * hears what the job says before its result (a bundle import: the id of the rows it is writing).
 */
export function runLogWorker<T>(
  script: string, file: string, job: VerifyWorkerJob, report: (done: number, total?: number) => void,
  signal: AbortSignal | undefined, cancelled: () => Error, note: (value: unknown) => void = () => undefined,
): Promise<T | null> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    const worker = new Worker(script, { workerData: { file, job } });
    const abort = () => { void worker.terminate().then(() => reject(cancelled())); };
    signal?.addEventListener('abort', abort, { once: true });
    // A worker that ends because it was terminated on abort is a cancellation, not a failure to fall back from.
    const settle = (value: T | null) => {
      if (signal?.aborted) return;
      signal?.removeEventListener('abort', abort);
      resolve(value);
    };
    worker.on('message', (message: WorkerMessage<T>) => {
      if (message.type === 'progress') return report(message.done, message.total);
      if (message.type === 'note') return note(message.value);
      settle(message.ok ? message.result : null);
      void worker.terminate();
    });
    worker.once('error', () => settle(null));
    worker.once('exit', () => settle(null));
  });
}
