import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle } from '../../main/core/accountability/bundle-format';
import type { BundleImportJobView } from '../../contract/log-jobs';
import type { SessionRecordView } from '../../contract/models';
import type { ReviewPage } from '../../contract/review';
import { KEYCHAIN_SERVICE } from '../../main/core/keychain/keytar-secret-store';
import { storeId } from '../../main/core/store/store-meta';
import { buildNodeBundles, CLI_BIN, ROOT } from '../helpers/cli';
import { call, callError, openTestCore, useCores, type TestCore } from '../helpers/core';

/**
 * A lead imports a big bundle as a job (issue 13 §4): the checks run on the log's worker thread, so a
 * log.list sent meanwhile is answered while they are still partway; a cancel leaves the lead's data dir
 * exactly as it was; a refusal keeps its code through the worker. The rows are written on the worker
 * too, unseen until one small transaction publishes them (bundle-staging.ts): a request is answered and
 * a write of the core's kept while they are partway; a cancel, a failure or a crash partway leaves
 * nothing, the core's own write included in what stays.
 */
const SESSIONS = 15_000;
const newCore = useCores();
const stores = new Set<string>();
let lead: TestCore;
let bundleText: string;
/** The engineer's records in the bundle: two per session, and their identity and roster records. */
let RECORDS: number;

afterAll(async () => {
  const all = await keytar.findCredentials(KEYCHAIN_SERVICE);
  for (const { account } of all) if ([...stores].some((id) => account.startsWith(`${id}/`))) await keytar.deletePassword(KEYCHAIN_SERVICE, account);
});

async function person(name: string, email: string, role: 'engineer' | 'lead'): Promise<TestCore> {
  const c = newCore();
  stores.add(storeId(c.db));
  await c.services.accountability.initIdentity({ name, email, role });
  return c;
}

beforeAll(async () => {
  await buildNodeBundles(); // the log's worker bundle the import's checks run on (out/main/verify-worker.cjs)
  lead = await person('Lena Park', 'lena@example.com', 'lead');
  const ravi = await person('Ravi Nair', 'ravi@example.com', 'engineer');
  const key = async (c: TestCore) => (await c.services.accountability.identity())!.publicKey;
  const signed = await lead.services.accountability.signRoster(`version: 1
team: Premium Support EMEA
members:
  - { name: Lena Park, email: lena@example.com, role: lead, public_key: "${await key(lead)}" }
  - { name: Ravi Nair, email: ravi@example.com, role: engineer, public_key: "${await key(ravi)}" }
`);
  await lead.services.accountability.importRoster(signed);
  await ravi.services.accountability.importRoster(signed, (await lead.services.accountability.identity())!.fingerprint);
  ravi.db.pragma('synchronous = OFF');
  ravi.db.transaction(() => {
    for (let i = 0; i < SESSIONS; i++) {
      const base = { sessionId: `s-${i}`, engineer: 'ravi@example.com', ticket: `EXO-${i % 500}`, site: 'Acme/Pune', host: 'pbx1', method: 'ssh' };
      ravi.sessionLog.append({ ...base, kind: 'attempt', decision: 'allow', outcome: 'allowed' });
      ravi.sessionLog.append({ ...base, kind: 'ended', outcome: 'completed', detail: { exitCode: 0 } });
    }
  })();
  const bundle = await ravi.services.accountability.bundle();
  bundleText = bundle.text;
  RECORDS = bundle.to;
  expect(RECORDS).toBeGreaterThanOrEqual(SESSIONS * 2);
}, 300_000);

const count = (table: string) => lead.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

/** Everything an import may write — seen by readers or only stored — to show a cancelled one wrote nothing. */
function leadState(): unknown {
  const folder = path.join(lead.dataDir, 'imported-recordings');
  return {
    logs: lead.db.prepare('SELECT * FROM imported_logs ORDER BY engineer_key').all(),
    events: count('imported_events'), recordings: count('imported_recordings'), sessions: count('review_sessions'),
    stored: { events: count('imported_events_all'), sessions: count('review_sessions_all'), pending: count('bundle_imports_pending') },
    chain: lead.db.prepare('SELECT max(seq) FROM session_events').pluck().get(),
    decisions: count('review_decisions'),
    files: fs.existsSync(folder) ? fs.readdirSync(folder).sort() : [],
  };
}

/** Until the import's worker has written some of its rows (none of them visible yet). */
async function untilRowsWritten(): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (count('imported_events_all') === 0) {
    if (Date.now() > deadline) throw new Error('the import wrote no rows within 2 minutes');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A session attempt the lead's own core logs (a write of its own, on its own connection). */
function logOwnAttempt(sessionId: string) {
  return lead.sessionLog.append({ sessionId, kind: 'attempt', engineer: 'lena@example.com', ticket: 'EXO-1', site: 'Acme/Pune', host: 'pbx1', method: 'ssh', decision: 'allow', outcome: 'allowed' });
}

const ownRecord = (seq: number) => lead.db.prepare('SELECT session_id FROM session_events WHERE seq = ?').pluck().get(seq);

/** Holds the worker between its write turns (SWITCHBOARD_FAULT_BUNDLE_WRITE_DELAY_MS) for the imports `run` starts. */
async function withSlowWrites<T>(ms: number, run: () => Promise<T>): Promise<T> {
  process.env.SWITCHBOARD_FAULT_BUNDLE_WRITE_DELAY_MS = String(ms);
  try {
    return await run();
  } finally {
    delete process.env.SWITCHBOARD_FAULT_BUNDLE_WRITE_DELAY_MS;
  }
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

async function follow(jobId: string, seen: BundleImportJobView[], until: (job: BundleImportJobView) => boolean): Promise<BundleImportJobView> {
  for (;;) {
    const job = await call<BundleImportJobView>(lead, 'review.importJob', { jobId });
    seen.push(job);
    if (until(job) || job.state !== 'running') return job;
    await turn();
  }
}

describe('a bundle import as a job off the request path', () => {
  it('cancelled while its checks run, it leaves the lead\'s data dir as it was', async () => {
    const before = leadState();
    const started = await call<BundleImportJobView>(lead, 'review.importStart', { text: bundleText });
    await follow(started.jobId, [], (job) => job.done > 0);
    const cancelled = await call<BundleImportJobView>(lead, 'review.importCancel', { jobId: started.jobId });
    expect(cancelled).toMatchObject({ state: 'cancelled', result: null });
    expect(leadState()).toEqual(before);
  }, 120_000);

  it('cancelled while its rows are being written, it leaves nothing of them; a write of the core\'s made meanwhile stays', async () => {
    const before = leadState() as { chain: number };
    const { cancelled, own } = await withSlowWrites(50, async () => {
      const started = await call<BundleImportJobView>(lead, 'review.importStart', { text: bundleText });
      await untilRowsWritten();
      expect(count('imported_events')).toBe(0);
      const own = logOwnAttempt('own-during-cancelled-import');
      return { own, cancelled: await call<BundleImportJobView>(lead, 'review.importCancel', { jobId: started.jobId }) };
    });
    expect(cancelled).toMatchObject({ state: 'cancelled', result: null });
    expect(own.seq).toBe(before.chain + 1);
    expect(ownRecord(own.seq)).toBe('own-during-cancelled-import');
    expect(leadState()).toEqual({ ...before, chain: own.seq });
  }, 180_000);

  it('failing while its rows are being written (a clash with another process\'s import of the same log), it leaves nothing of them', async () => {
    const clash = (JSON.parse(bundleText) as Bundle).records.find((r) => r.seq === RECORDS - 10)!;
    const columns = ['seq', 'session_id', 'kind', 'at', 'engineer', 'prev_hash', 'hash'] as const;
    const before = leadState();
    let other: number | undefined;
    try {
      const end = await withSlowWrites(30, async () => {
        const started = await call<BundleImportJobView>(lead, 'review.importStart', { text: bundleText });
        await untilRowsWritten();
        // Another process (alive: this one's pid) writes one of the same engineer's records before this import gets to it.
        const key = lead.db.prepare('SELECT engineer_key FROM imported_events_all LIMIT 1').pluck().get() as string;
        other = Number(lead.db.prepare("INSERT INTO bundle_imports_pending (engineer_key, pid, started_at) VALUES (?, ?, '2026-11-30T00:00:00Z')").run(key, process.pid).lastInsertRowid);
        lead.db.prepare(`INSERT INTO imported_events_all (engineer_key, ${columns.join(', ')}, import_id) VALUES (?, ${columns.map(() => '?').join(', ')}, ?)`)
          .run(key, ...columns.map((c) => clash[c]), other);
        return follow(started.jobId, [], () => false);
      });
      expect(end).toMatchObject({ state: 'failed', error: expect.stringMatching(/^Another import of the same engineer's log was being written/) });
    } finally {
      if (other !== undefined) {
        lead.db.prepare('DELETE FROM imported_events_all WHERE import_id = ?').run(other);
        lead.db.prepare('DELETE FROM bundle_imports_pending WHERE id = ?').run(other);
      }
    }
    expect(leadState()).toEqual(before);
  }, 180_000);

  it('a crash while its rows are being written leaves the lead\'s data as before; the next start removes what it wrote', async () => {
    const file = path.join(lead.dataDir, '..', `bundle-${process.pid}.json`);
    fs.writeFileSync(file, bundleText);
    const before = leadState() as { stored: unknown };
    const cli = spawn(process.execPath, [CLI_BIN, '--data-dir', lead.dataDir, 'review', 'import', file], {
      cwd: ROOT, env: { ...process.env, SWITCHBOARD_FAULT_BUNDLE_WRITE_DELAY_MS: '100' }, stdio: 'ignore',
    });
    const exited = new Promise((resolve) => cli.once('exit', resolve));
    try {
      await untilRowsWritten();
      cli.kill('SIGKILL');
      await exited;
    } finally {
      fs.rmSync(file, { force: true });
    }
    const afterCrash = leadState() as { stored: { events: number; pending: number } };
    expect(afterCrash.stored.events).toBeGreaterThan(0);
    expect(afterCrash.stored.pending).toBe(1);
    expect({ ...afterCrash, stored: before.stored }).toEqual(before);
    const restarted = openTestCore({ dataDir: lead.dataDir, mode: 'web' });
    await restarted.close();
    expect(leadState()).toEqual(before);
  }, 180_000);

  it('answers a log.list while its checks are partway, and requests and a write of the core\'s while its rows are partway written, none of them seen until all are', async () => {
    const seen: BundleImportJobView[] = [];
    const startedAt = performance.now();
    const run = await withSlowWrites(30, async () => {
      const started = await call<BundleImportJobView>(lead, 'review.importStart', { text: bundleText });
      expect(started).toMatchObject({ state: 'running', result: null });
      await follow(started.jobId, seen, (job) => job.done > 0);

      const sent = performance.now();
      const page = await call<SessionRecordView[]>(lead, 'log.list', { limit: 50 });
      const listMs = performance.now() - sent;
      const duringChecks = await call<BundleImportJobView>(lead, 'review.importJob', { jobId: started.jobId });
      expect(page.length).toBeGreaterThan(0);
      // The ordering that matters: the list was answered before the import's checks were through.
      expect(duringChecks.state).toBe('running');
      expect(duringChecks.done).toBeLessThan(RECORDS);

      await untilRowsWritten();
      const listed = await call<SessionRecordView[]>(lead, 'log.list', { limit: 50 });
      const queue = await call<ReviewPage>(lead, 'review.list', {});
      // A write of the core's that reads first (as a site edit does before it records the change): the
      // worker commits turns meanwhile, 30 ms apart; begun the default (deferred) way, the write would
      // fail with SQLITE_BUSY_SNAPSHOT.
      const own = lead.db.transaction(() => {
        count('review_sessions');
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
        return logOwnAttempt('own-during-import');
      })();
      const partway = {
        job: await call<BundleImportJobView>(lead, 'review.importJob', { jobId: started.jobId }),
        stored: count('imported_events_all'), events: count('imported_events'), sessions: count('review_sessions'), queue: queue.sessions.length,
      };
      return { listMs, listed, own, partway, end: await follow(started.jobId, seen, () => false) };
    });
    const importMs = performance.now() - startedAt;
    // And while the import's rows were partway written (the write is on the worker, the publish still to come):
    // answered, the core's own record written, nothing of the import seen.
    expect(run.partway.job.state).toBe('running');
    expect(run.partway.stored).toBeGreaterThan(0);
    expect(run.partway.stored).toBeLessThan(RECORDS);
    expect({ events: run.partway.events, sessions: run.partway.sessions, queue: run.partway.queue }).toEqual({ events: 0, sessions: 0, queue: 0 });
    expect(run.listed.length).toBeGreaterThan(0);

    const { end } = run;
    expect(end.error).toBeNull();
    expect(end).toMatchObject({ state: 'done', total: RECORDS, result: { sessions: SESSIONS, from: 1, to: RECORDS, firstImport: true } });
    expect(count('review_sessions')).toBe(SESSIONS);
    expect(count('imported_events')).toBe(RECORDS);
    expect(count('bundle_imports_pending')).toBe(0);
    expect(ownRecord(run.own.seq)).toBe('own-during-import');
    // The lead's 'bundle' record is written when the import is published, after the core's own.
    expect(lead.db.prepare("SELECT seq FROM session_events WHERE kind = 'bundle'").pluck().get()).toBeGreaterThan(run.own.seq);
    const dones = seen.map((job) => job.done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
    console.log(`${SESSIONS} sessions (${RECORDS} records): import ${importMs.toFixed(0)} ms (writes held 30 ms a turn), a log.list during its checks ${run.listMs.toFixed(1)} ms`);
  }, 180_000);

  it('a second import of the same bundle is refused by name through the worker, its code kept', async () => {
    const before = leadState();
    const error = await callError(lead, 'review.import', { text: bundleText });
    expect(error).toMatchObject({ code: 'BUNDLE_REFUSED', message: expect.stringMatching(/^Bundle refused \(replayed old bundle\)/) });
    const forged = JSON.parse(bundleText) as Bundle;
    forged.engineer.publicKey = (await lead.services.accountability.identity())!.publicKey;
    const started = await call<BundleImportJobView>(lead, 'review.importStart', { text: JSON.stringify(forged) });
    const end = await follow(started.jobId, [], () => false);
    expect(end).toMatchObject({ state: 'failed', error: expect.stringMatching(/^Bundle refused \(/) });
    expect(leadState()).toEqual(before);
  }, 120_000);
});
