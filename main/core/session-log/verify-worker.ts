/**
 * The log's worker thread (run by log-worker.ts): opens the data dir's database and either scans one
 * slice of the log (range-scan.ts, verification's fast path), checks the whole chain the thorough way
 * that names a tampered record, writes an export to a part file (export-file.ts) — these read-only — or
 * imports a bundle a lead accepts: checks it (accountability/bundle-verify.ts; a refusal comes back as a
 * value) and writes its rows as a pending import no reader sees until the core publishes it
 * (accountability/bundle-staging.ts). Its own connection, so the core's event loop and its database
 * handle stay free while a long log is read or an import written; it says how far it got as it goes and
 * is terminated to cancel (an import's written rows are then removed by the core).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { ApiError } from '../../../contract/errors';
import { stageImport, turnsBeside, type Turns } from '../accountability/bundle-staging';
import { TURN_MS } from '../store/turns';
import { planImport, type RosterSnapshot } from '../accountability/bundle-verify';
import { writeExport, type ExportFormat } from './export-file';
import { auditChain, scanRange, type ChainAuditRequest, type RangeScanRequest } from './range-scan';

export type VerifyWorkerJob =
  | { kind: 'range'; request: RangeScanRequest }
  | { kind: 'chain'; request: ChainAuditRequest }
  | { kind: 'export'; format: ExportFormat; part: string; exportedAt: string }
  | { kind: 'bundle'; text: string; roster: RosterSnapshot; lockWanted?: SharedArrayBuffer };

const { file, job } = workerData as { file: string; job: VerifyWorkerJob };
// Fault injection for tests: SWITCHBOARD_FAULT_LOG_WORKER_DELAY_MS holds the worker that long at each
// progress report, so a job is slow enough to watch and cancel on any machine (tests/e2e/log-verify-progress).
const faultDelayMs = Number(process.env.SWITCHBOARD_FAULT_LOG_WORKER_DELAY_MS ?? 0);
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const progress = (done: number, total?: number) => {
  if (faultDelayMs > 0) Atomics.wait(sleeper, 0, 0, faultDelayMs);
  parentPort!.postMessage({ type: 'progress', done, total });
};
// Between two turns of an import's writes the lock is let go for as long as a turn takes, so a single
// statement of the core's, waiting in SQLite's busy handler, finds it free at one of its first retries
// (its transactions ask for the lock and get it at once: bundle-staging.ts withCoreFirst).
// SWITCHBOARD_FAULT_BUNDLE_WRITE_DELAY_MS (fault injection, tests only) rests that long instead, so a
// test sees the import written partway on any machine.
const writeDelayMs = Number(process.env.SWITCHBOARD_FAULT_BUNDLE_WRITE_DELAY_MS ?? 0);
const db = new Database(file, { readonly: job.kind !== 'bundle', fileMustExist: true });
// An import waits as long as it takes for the core's own transactions (a long one may hold the lock for seconds).
if (job.kind === 'bundle') db.pragma('busy_timeout = 60000');
try {
  const result = job.kind === 'range' ? scanRange(db, job.request, progress)
    : job.kind === 'chain' ? auditChain(db, job.request, progress)
    : job.kind === 'export' ? writeExport(db, job.format, job.part, job.exportedAt, progress)
    : importBundleRows(db, job.text, job.roster, turnsBeside(job.lockWanted, writeDelayMs > 0 ? writeDelayMs : TURN_MS));
  parentPort!.postMessage({ type: 'result', ok: true, result });
} catch (error) {
  parentPort!.postMessage({ type: 'result', ok: false, error: (error as Error).message });
} finally {
  db.close();
}

/** The checks, then the rows written as pending; the plan goes back without its rows (the core needs only what it publishes). */
function importBundleRows(db: Database.Database, text: string, roster: RosterSnapshot, turns: Turns) {
  try {
    const { rows, ...plan } = planImport(db, roster, text, progress);
    try {
      const staged = stageImport(db, rows, (id) => parentPort!.postMessage({ type: 'note', value: { staging: id } }), turns);
      return { plan, staged };
    } catch (error) {
      if (error instanceof ApiError) throw error;
      return { refused: { code: 'DATABASE_ERROR', message: `The bundle's records could not be written (${(error as Error).message}). Nothing was imported; try again.` } };
    }
  } catch (error) {
    if (error instanceof ApiError) return { refused: { code: error.code, message: error.message } };
    throw error;
  }
}
