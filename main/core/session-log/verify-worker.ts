/**
 * The log's worker thread (run by log-worker.ts): opens the data dir's database read-only and either
 * scans one slice of the log (range-scan.ts, verification's fast path), checks the whole chain the
 * thorough way that names a tampered record, writes an export to a part file (export-file.ts), or checks
 * a bundle a lead imports (accountability/bundle-verify.ts; a refusal comes back as a value). Its
 * own connection, so the core's event loop and its database handle stay free while a long log is read;
 * it says how far it got as it goes and is terminated to cancel (the database is never written).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { ApiError } from '../../../contract/errors';
import { verifyBundleText, type RosterSnapshot } from '../accountability/bundle-verify';
import { writeExport, type ExportFormat } from './export-file';
import { auditChain, scanRange, type ChainAuditRequest, type RangeScanRequest } from './range-scan';

export type VerifyWorkerJob =
  | { kind: 'range'; request: RangeScanRequest }
  | { kind: 'chain'; request: ChainAuditRequest }
  | { kind: 'export'; format: ExportFormat; part: string; exportedAt: string }
  | { kind: 'bundle'; text: string; roster: RosterSnapshot };

const { file, job } = workerData as { file: string; job: VerifyWorkerJob };
// Fault injection for tests: SWITCHBOARD_FAULT_LOG_WORKER_DELAY_MS holds the worker that long at each
// progress report, so a job is slow enough to watch and cancel on any machine (tests/e2e/log-verify-progress).
const faultDelayMs = Number(process.env.SWITCHBOARD_FAULT_LOG_WORKER_DELAY_MS ?? 0);
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const progress = (done: number, total?: number) => {
  if (faultDelayMs > 0) Atomics.wait(sleeper, 0, 0, faultDelayMs);
  parentPort!.postMessage({ type: 'progress', done, total });
};
const db = new Database(file, { readonly: true, fileMustExist: true });
try {
  const result = job.kind === 'range' ? scanRange(db, job.request, progress)
    : job.kind === 'chain' ? auditChain(db, job.request, progress)
    : job.kind === 'export' ? writeExport(db, job.format, job.part, job.exportedAt, progress)
    : checkBundle(db, job.text, job.roster);
  parentPort!.postMessage({ type: 'result', ok: true, result });
} catch (error) {
  parentPort!.postMessage({ type: 'result', ok: false, error: (error as Error).message });
} finally {
  db.close();
}

function checkBundle(db: Database.Database, text: string, roster: RosterSnapshot) {
  try {
    return { verified: verifyBundleText(db, roster, text, progress) };
  } catch (error) {
    if (error instanceof ApiError) return { refused: { code: error.code, message: error.message } };
    throw error;
  }
}
