/**
 * A worker thread's side of verification (accountability/parallel-audit.ts): opens the data dir's
 * database read-only and either scans one slice of the log (range-scan.ts, the fast path) or checks the
 * whole chain the thorough way that names a tampered record. Its own connection, so the core's event
 * loop and its database handle stay free while a long log is checked; it says how far it got as it goes
 * and is simply terminated to cancel (it writes nothing).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { auditChain, scanRange, type ChainAuditRequest, type RangeScanRequest } from './range-scan';

export type VerifyWorkerJob = { kind: 'range'; request: RangeScanRequest } | { kind: 'chain'; request: ChainAuditRequest };

const { file, job } = workerData as { file: string; job: VerifyWorkerJob };
const progress = (done: number) => parentPort!.postMessage({ type: 'progress', done });
const db = new Database(file, { readonly: true, fileMustExist: true });
try {
  const result = job.kind === 'range' ? scanRange(db, job.request, progress) : auditChain(db, job.request, progress);
  parentPort!.postMessage({ type: 'result', ok: true, result });
} catch (error) {
  parentPort!.postMessage({ type: 'result', ok: false, error: (error as Error).message });
} finally {
  db.close();
}
