import fs from 'node:fs';
import path from 'node:path';
import * as keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle } from '../../main/core/accountability/bundle-format';
import type { BundleImportJobView } from '../../contract/log-jobs';
import type { SessionRecordView } from '../../contract/models';
import { KEYCHAIN_SERVICE } from '../../main/core/keychain/keytar-secret-store';
import { storeId } from '../../main/core/store/store-meta';
import { buildNodeBundles } from '../helpers/cli';
import { call, callError, useCores, type TestCore } from '../helpers/core';

/**
 * A lead imports a big bundle as a job (issue 13 §4): the checks run on the log's worker thread, so a
 * log.list sent meanwhile is answered while they are still partway; a cancel leaves the lead's data dir
 * exactly as it was; a refusal keeps its code through the worker.
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

/** Everything an import may write, to show a cancelled one wrote nothing. */
function leadState(): unknown {
  const folder = path.join(lead.dataDir, 'imported-recordings');
  return {
    logs: lead.db.prepare('SELECT * FROM imported_logs ORDER BY engineer_key').all(),
    events: count('imported_events'), recordings: count('imported_recordings'), sessions: count('review_sessions'),
    chain: lead.db.prepare('SELECT max(seq) FROM session_events').pluck().get(),
    files: fs.existsSync(folder) ? fs.readdirSync(folder).sort() : [],
  };
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

  it('answers a log.list sent during the import while its checks are still partway, then imports every session', async () => {
    const seen: BundleImportJobView[] = [];
    const startedAt = performance.now();
    const started = await call<BundleImportJobView>(lead, 'review.importStart', { text: bundleText });
    expect(started).toMatchObject({ state: 'running', result: null });
    await follow(started.jobId, seen, (job) => job.done > 0);

    const sent = performance.now();
    const page = await call<SessionRecordView[]>(lead, 'log.list', { limit: 50 });
    const listMs = performance.now() - sent;
    const afterList = await call<BundleImportJobView>(lead, 'review.importJob', { jobId: started.jobId });
    expect(page.length).toBeGreaterThan(0);
    // The ordering that matters: the list was answered before the import's checks were through.
    expect(afterList.state).toBe('running');
    expect(afterList.done).toBeLessThan(RECORDS);

    const end = await follow(started.jobId, seen, () => false);
    const importMs = performance.now() - startedAt;
    expect(end.error).toBeNull();
    expect(end).toMatchObject({ state: 'done', total: RECORDS, result: { sessions: SESSIONS, from: 1, to: RECORDS, firstImport: true } });
    expect(count('review_sessions')).toBe(SESSIONS);
    expect(count('imported_events')).toBe(RECORDS);
    const dones = seen.map((job) => job.done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
    console.log(`${SESSIONS} sessions (${RECORDS} records): import ${importMs.toFixed(0)} ms, a log.list during it ${listMs.toFixed(1)} ms`);
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
