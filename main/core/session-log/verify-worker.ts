/**
 * A worker thread's side of parallel verification (parallel-verify.ts): opens the data dir's database
 * read-only, scans one slice of the log (range-scan.ts) and posts the result back. Its own connection,
 * so the core's event loop and its database handle stay free while a long log is checked.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { scanRange, type RangeScanRequest } from './range-scan';

const { file, request } = workerData as { file: string; request: RangeScanRequest };
const db = new Database(file, { readonly: true, fileMustExist: true });
try {
  parentPort!.postMessage({ ok: true, result: scanRange(db, request) });
} catch (error) {
  parentPort!.postMessage({ ok: false, error: (error as Error).message });
} finally {
  db.close();
}
