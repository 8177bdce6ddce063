/**
 * The log's worker thread (run by log-worker.ts): opens the data dir's database read-only and either
 * scans one slice of the log (range-scan.ts, verification's fast path), checks the whole chain the
 * thorough way that names a tampered record, or writes an export to a part file (export-file.ts). Its
 * own connection, so the core's event loop and its database handle stay free while a long log is read;
 * it says how far it got as it goes and is terminated to cancel (the database is never written).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { writeExport, type ExportFormat } from './export-file';
import { auditChain, scanRange, type ChainAuditRequest, type RangeScanRequest } from './range-scan';

export type VerifyWorkerJob =
  | { kind: 'range'; request: RangeScanRequest }
  | { kind: 'chain'; request: ChainAuditRequest }
  | { kind: 'export'; format: ExportFormat; part: string; exportedAt: string };

const { file, job } = workerData as { file: string; job: VerifyWorkerJob };
const progress = (done: number, total?: number) => parentPort!.postMessage({ type: 'progress', done, total });
const db = new Database(file, { readonly: true, fileMustExist: true });
try {
  const result = job.kind === 'range' ? scanRange(db, job.request, progress)
    : job.kind === 'chain' ? auditChain(db, job.request, progress)
    : writeExport(db, job.format, job.part, job.exportedAt, progress);
  parentPort!.postMessage({ type: 'result', ok: true, result });
} catch (error) {
  parentPort!.postMessage({ type: 'result', ok: false, error: (error as Error).message });
} finally {
  db.close();
}
