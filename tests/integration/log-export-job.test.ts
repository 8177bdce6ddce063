import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LogExportJobView } from '../../contract/log-jobs';
import { JobCancelled } from '../../main/core/session-log/background-jobs';
import { buildNodeBundles } from '../helpers/cli';
import { call, useCores, type TestCore } from '../helpers/core';

/** Enough events that the export takes several pages (of 5000) on the log's worker. */
const RECORDS = 24_000;
const cores = useCores();

beforeAll(async () => {
  await buildNodeBundles(); // the log's worker bundle the core runs (out/main/verify-worker.cjs)
}, 180_000);

function filled(): TestCore {
  const core = cores();
  core.db.pragma('synchronous = OFF');
  core.db.transaction(() => {
    for (let i = 0; i < RECORDS; i++) {
      core.sessionLog.append({ sessionId: `s-${i >> 1}`, kind: i % 2 ? 'ended' : 'attempt', engineer: 'ravi@example.com', ticket: 'EXO-1', site: 'Acme/DC', method: 'ssh', outcome: i % 2 ? 'completed' : 'allowed', summary: i % 7 ? null : '=cmd "quoted", two\nlines' });
    }
  })();
  core.db.pragma('synchronous = FULL');
  return core;
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

async function finish(core: TestCore, jobId: string, seen: LogExportJobView[] = []): Promise<LogExportJobView> {
  for (;;) {
    const job = await call<LogExportJobView>(core, 'log.exportJob', { jobId });
    seen.push(job);
    if (job.state !== 'running') return job;
    await turn();
  }
}

const withoutTime = (text: string) => text.replace(/"exportedAt": "[^"]+"/, '"exportedAt": "…"');

describe('log export as a job, written by the log\'s worker, then taken by the window', () => {
  it.each(['json', 'csv', 'sessions-csv'] as const)('%s: the same bytes as the export built in memory, put in place whole', async (format) => {
    const core = filled();
    const dir = path.join(core.dataDir, 'exports');
    const seen: LogExportJobView[] = [];
    const started = await call<LogExportJobView>(core, 'log.exportStart', { format });
    const end = await finish(core, started.jobId, seen);
    expect(end).toMatchObject({ state: 'done', error: null });
    const { path: file, fileName, bytes } = end.result!;
    expect(path.dirname(file)).toBe(dir);
    expect(fs.readdirSync(dir)).toEqual([fileName]); // no part file left beside it
    const text = fs.readFileSync(file, 'utf8');
    expect(Buffer.byteLength(text)).toBe(bytes);
    expect(withoutTime(text)).toBe(withoutTime(await core.services.sessionLog.export(format)));
    if (!format.startsWith('sessions-')) expect(end).toMatchObject({ done: RECORDS, total: RECORDS });
    // The window takes the text once; the file is gone after.
    expect(await call(core, 'log.exportText', { jobId: started.jobId })).toEqual({ text, fileName });
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(await core.dispatch('log.exportText', { jobId: started.jobId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  }, 120_000);

  it('never writes over a file of the same name', async () => {
    const core = filled();
    const first = await finish(core, (await call<LogExportJobView>(core, 'log.exportStart', { format: 'csv' })).jobId);
    const second = await finish(core, (await call<LogExportJobView>(core, 'log.exportStart', { format: 'csv' })).jobId);
    expect(second.result!.fileName).toBe(first.result!.fileName.replace(/\.csv$/, ' (1).csv'));
    expect(fs.readFileSync(first.result!.path, 'utf8')).toBe(fs.readFileSync(second.result!.path, 'utf8'));
  }, 120_000);

  it('cancelled, it leaves nothing in the folder, not even a part file, and the log unchanged', async () => {
    const core = filled();
    const dir = path.join(core.dataDir, 'exports');
    const before = core.db.prepare('SELECT count(*) AS n, max(hash) AS h FROM session_events').get();
    const started = await call<LogExportJobView>(core, 'log.exportStart', { format: 'json' });
    const cancelled = await call<LogExportJobView>(core, 'log.exportCancel', { jobId: started.jobId });
    expect(cancelled).toMatchObject({ state: 'cancelled', result: null });
    expect(fs.existsSync(dir) ? fs.readdirSync(dir) : []).toEqual([]);
    expect(await core.dispatch('log.exportText', { jobId: started.jobId })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(core.db.prepare('SELECT count(*) AS n, max(hash) AS h FROM session_events').get()).toEqual(before);
  }, 120_000);

  it('the CLI\'s export to a FILE replaces it whole, and a cancelled one leaves it as it was', async () => {
    const core = filled();
    const dir = path.join(core.dataDir, 'cli-out');
    fs.mkdirSync(dir);
    const file = path.join(dir, 'log.csv');
    fs.writeFileSync(file, 'an older export\n');
    const cancel = new AbortController();
    cancel.abort();
    await expect(core.services.sessionLog.exportTo('csv', file, { signal: cancel.signal })).rejects.toBeInstanceOf(JobCancelled);
    expect(fs.readdirSync(dir)).toEqual(['log.csv']);
    expect(fs.readFileSync(file, 'utf8')).toBe('an older export\n');
    const seen: number[] = [];
    const written = await core.services.sessionLog.exportTo('csv', file, { progress: (done) => seen.push(done) });
    expect(written).toMatchObject({ path: file, fileName: 'log.csv' });
    expect(fs.readdirSync(dir)).toEqual(['log.csv']);
    expect(fs.readFileSync(file, 'utf8')).toBe(await core.services.sessionLog.export('csv'));
    expect(seen.at(-1)).toBe(RECORDS);
  }, 120_000);
});
