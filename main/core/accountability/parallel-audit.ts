import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RangeScanRequest, RangeScanResult } from '../session-log/range-scan';
import type { Db } from '../store/database';
import { nodeHash } from '../transparency/merkle';
import { auditLog, judgeClaims, readClaims, type AuditInputs, type AuditResult } from './log-audit';

/** Below this many records one pass on the calling thread is quicker than starting workers. */
const PARALLEL_FROM = 20_000;

/** The worker bundle scripts/build.mjs writes beside the app's own bundles. */
export function verifyWorkerScript(dir: string = __dirname): string | null {
  const file = path.join(dir, 'verify-worker.cjs');
  return fs.existsSync(file) ? file : null;
}

/**
 * The same audit as auditLog, with the scanning done by two worker threads on their own read-only
 * connections: the core's thread stays free for other requests, and a second core halves the time. The
 * log is split where RFC 6962 splits the tree — at the largest power of two below its size, k — so the
 * second half's roots join the first half's (a complete subtree) with one node hash:
 * MTH(D[0:m]) = H(MTH(D[0:k]), MTH(D[k:m])) for every m in (k, n].
 * When anything in either half does not hold, it falls back to auditLog on this thread, which names it.
 */
export async function auditLogInWorkers(
  db: Db, databaseFile: string, inputs: AuditInputs, workerScript: string | null,
  /** Told which way the records were scanned (tests check the workers really ran). */
  scanned: (how: 'workers' | 'this thread') => void = () => {},
): Promise<AuditResult> {
  const onThisThread = () => (scanned('this thread'), auditLog(db, inputs));
  const { count, first, last } = db.prepare('SELECT count(*) AS count, min(seq) AS first, max(seq) AS last FROM session_events').get() as { count: number; first: number | null; last: number | null };
  if (!workerScript || inputs.expectedHead || count < PARALLEL_FROM || first !== 1 || last !== count) return onThisThread();
  const claims = readClaims(inputs);
  if (!Array.isArray(claims)) return claims;
  const n = count;
  let k = 1;
  while (k * 2 < n) k *= 2;
  const sizes = claims.map((c) => c.size).filter((size) => size <= n);
  const [left, right] = await Promise.all([
    scanInWorker(workerScript, databaseFile, { from: 1, to: k, wanted: [...sizes.filter((s) => s <= k), k] }),
    scanInWorker(workerScript, databaseFile, { from: k + 1, to: n, wanted: sizes.filter((s) => s > k).map((s) => s - k) }),
  ]);
  if (!left || !right || !left.ok || !right.ok || right.firstPrevHash !== left.lastHash) return onThisThread();
  scanned('workers');
  const roots = new Map<number, Buffer>(left.roots.map(([size, root]) => [size, Buffer.from(root, 'base64')]));
  const leftRoot = roots.get(k)!;
  for (const [size, root] of right.roots) roots.set(k + size, nodeHash(leftRoot, Buffer.from(root, 'base64')));
  return judgeClaims({ ok: true, count: n, head: { seq: n, hash: right.lastHash! } }, roots, claims);
}

/** Null when the worker could not run (then the caller verifies on its own thread). */
function scanInWorker(script: string, file: string, request: RangeScanRequest): Promise<RangeScanResult | null> {
  return new Promise((resolve) => {
    const worker = new Worker(script, { workerData: { file, request } });
    worker.once('message', (message: { ok: true; result: RangeScanResult } | { ok: false; error: string }) => {
      resolve(message.ok ? message.result : null);
      void worker.terminate();
    });
    worker.once('error', () => resolve(null));
    worker.once('exit', () => resolve(null));
  });
}
