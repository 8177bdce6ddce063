import fs from 'node:fs';
import path from 'node:path';
import type { ChainAuditResult, RangeScanResult } from '../session-log/range-scan';
import { runLogWorker } from '../session-log/log-worker';
import type { VerifyWorkerJob } from '../session-log/verify-worker';
import type { Db } from '../store/database';
import { nodeHash } from '../transparency/merkle';
import { auditLog, decodeRoots, judgeClaims, readClaims, type AuditInputs, type AuditResult } from './log-audit';

/** Below this many records one pass on the calling thread is quicker than starting workers. */
const PARALLEL_FROM = 20_000;

/**
 * The worker bundle scripts/build.mjs writes beside the app's own bundles; run from source (the tests),
 * this checkout's built one in out/main.
 */
export function verifyWorkerScript(dir: string = __dirname): string | null {
  const beside = path.join(dir, 'verify-worker.cjs');
  const built = path.join(dir, '..', '..', '..', 'out', 'main', 'verify-worker.cjs');
  return [beside, built].find((file) => fs.existsSync(file)) ?? null;
}

/** Thrown when the caller's signal stopped an audit; nothing was written, so nothing is left half-done. */
export class AuditCancelled extends Error {
  constructor() {
    super('Verification was cancelled; the log was not changed.');
  }
}

/** How the records were scanned: two workers (the fast path), one worker (naming a problem), or this thread (a short log, or no worker bundle). */
export type ScanWay = 'workers' | 'one worker' | 'this thread';

export interface AuditRunOptions {
  /** Records checked so far of the log's records, told on the core's thread as the workers report. */
  progress?: (done: number, total: number) => void;
  /** Aborting terminates the workers and rejects with AuditCancelled. */
  signal?: AbortSignal;
  /** Told which way the records were scanned (tests check the workers really ran). */
  scanned?: (how: ScanWay) => void;
}

/**
 * The same audit as auditLog, with the scanning done by worker threads on their own read-only
 * connections, so the core's thread stays free for other requests whatever the log's length.
 * The fast path runs two workers, a second core halving the time. The log is split where RFC 6962
 * splits the tree — at the largest power of two below its size, k — so the second half's roots join the
 * first half's (a complete subtree) with one node hash: MTH(D[0:m]) = H(MTH(D[0:k]), MTH(D[k:m])) for
 * every m in (k, n]. When anything in either half does not hold, one worker checks the whole chain the
 * thorough way that names the problem. Only a short log, or a build without the worker bundle (tests run
 * from source), is checked on this thread.
 */
export async function auditLogInWorkers(db: Db, databaseFile: string, inputs: AuditInputs, workerScript: string | null, options: AuditRunOptions = {}): Promise<AuditResult> {
  const { progress = () => {}, signal, scanned = () => {} } = options;
  if (signal?.aborted) throw new AuditCancelled();
  // min and max of the key are two index probes; a gap or a stray number shows in the scan itself.
  const { first, last } = db.prepare('SELECT min(seq) AS first, max(seq) AS last FROM session_events').get() as { first: number | null; last: number | null };
  const total = last ?? 0;
  const onThisThread = () => {
    scanned('this thread');
    const result = auditLog(db, inputs, (done) => progress(done, total));
    progress(total, total);
    return result;
  };
  if (!workerScript || total < PARALLEL_FROM) return onThisThread();
  const claims = readClaims(inputs);
  if (!Array.isArray(claims)) return claims;
  const sizes = claims.map((c) => c.size);
  const run = (job: VerifyWorkerJob, report: (done: number) => void) => runLogWorker<RangeScanResult | ChainAuditResult>(workerScript, databaseFile, job, report, signal, () => new AuditCancelled());

  if (!inputs.expectedHead && first === 1) {
    const n = total;
    let k = 1;
    while (k * 2 < n) k *= 2;
    const done = [0, 0];
    const report = (half: 0 | 1) => (count: number) => { done[half] = count; progress(done[0]! + done[1]!, total); };
    const [left, right] = (await Promise.all([
      run({ kind: 'range', request: { from: 1, to: k, wanted: [...sizes.filter((s) => s <= k), k] } }, report(0)),
      run({ kind: 'range', request: { from: k + 1, to: n, wanted: sizes.filter((s) => s > k && s <= n).map((s) => s - k) } }, report(1)),
    ])) as [RangeScanResult | null, RangeScanResult | null];
    if (left?.ok && right?.ok && right.firstPrevHash === left.lastHash) {
      scanned('workers');
      progress(total, total);
      const roots = decodeRoots(left.roots);
      const leftRoot = roots.get(k)!;
      for (const [size, root] of right.roots) roots.set(k + size, nodeHash(leftRoot, Buffer.from(root, 'base64')));
      return judgeClaims({ ok: true, count: n, head: { seq: n, hash: right.lastHash! } }, roots, claims);
    }
  }
  const whole = (await run(
    { kind: 'chain', request: { wanted: sizes, ...(inputs.expectedHead ? { expectedHead: inputs.expectedHead } : {}) } },
    (done) => progress(done, total),
  )) as ChainAuditResult | null;
  if (!whole) return onThisThread();
  scanned('one worker');
  progress(total, total);
  if (!whole.chain.ok) return whole.chain;
  return judgeClaims(whole.chain, decodeRoots(whole.roots), claims);
}
