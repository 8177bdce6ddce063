import { beforeAll, describe, expect, it } from 'vitest';
import type { LogVerifyJobView } from '../../contract/log-jobs';
import type { SessionRecordView } from '../../contract/models';
import { buildNodeBundles } from '../helpers/cli';
import { call, useCores, type TestCore } from '../helpers/core';

/** Big enough that verification runs on worker threads and takes a while next to one page of the list. */
const RECORDS = 60_000;
const cores = useCores();

beforeAll(async () => {
  await buildNodeBundles(); // the verify worker bundle the core runs (out/main/verify-worker.cjs)
}, 180_000);

function filled(): TestCore {
  const core = cores();
  core.db.pragma('synchronous = OFF');
  core.db.transaction(() => {
    for (let i = 0; i < RECORDS; i++) {
      core.sessionLog.append({ sessionId: `s-${i >> 1}`, kind: i % 2 ? 'ended' : 'attempt', engineer: 'ravi@example.com', ticket: 'EXO-1', site: 'Acme/DC', method: 'ssh', outcome: i % 2 ? 'completed' : 'allowed' });
    }
  })();
  core.db.pragma('synchronous = FULL');
  return core;
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Polls the job (one event-loop turn apart) until `until` holds; every view seen is kept. */
async function follow(core: TestCore, jobId: string, seen: LogVerifyJobView[], until: (job: LogVerifyJobView) => boolean): Promise<LogVerifyJobView> {
  for (;;) {
    const job = await call<LogVerifyJobView>(core, 'log.verifyJob', { jobId });
    seen.push(job);
    if (until(job) || job.state !== 'running') return job;
    await turn();
  }
}

describe('verification as a job off the request path', () => {
  it('answers a log.list sent during a verify while the verify still runs, with progress n of N on the way', async () => {
    const core = filled();
    const seen: LogVerifyJobView[] = [];
    const started = await call<LogVerifyJobView>(core, 'log.verifyStart', {});
    expect(started).toMatchObject({ state: 'running', result: null });
    await follow(core, started.jobId, seen, (job) => job.done > 0);

    const page = await call<SessionRecordView[]>(core, 'log.list', { limit: 50 });
    const afterList = await call<LogVerifyJobView>(core, 'log.verifyJob', { jobId: started.jobId });
    expect(page).toHaveLength(50);
    // The ordering that matters: the list was answered before the verification finished.
    expect(afterList.state).toBe('running');
    expect(afterList.done).toBeLessThan(RECORDS);

    const end = await follow(core, started.jobId, seen, () => false);
    expect(end).toMatchObject({ state: 'done', done: RECORDS, total: RECORDS, result: { ok: true, count: RECORDS } });
    const running = seen.filter((job) => job.state === 'running');
    expect(running.some((job) => job.done > 0 && job.done < RECORDS && job.total === RECORDS)).toBe(true);
    const dones = seen.map((job) => job.done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
  }, 120_000);

  it('joins the verification already running instead of starting a second one', async () => {
    const core = filled();
    const first = await call<LogVerifyJobView>(core, 'log.verifyStart', {});
    const second = await call<LogVerifyJobView>(core, 'log.verifyStart', {});
    expect(second.jobId).toBe(first.jobId);
    await follow(core, first.jobId, [], () => false);
  }, 120_000);

  it('cancels: the job says so, the log is unchanged, and the next verification holds', async () => {
    const core = filled();
    const before = core.db.prepare('SELECT count(*) AS n, max(hash) AS h FROM session_events').get();
    const started = await call<LogVerifyJobView>(core, 'log.verifyStart', {});
    await follow(core, started.jobId, [], (job) => job.done > 0);
    const cancelled = await call<LogVerifyJobView>(core, 'log.verifyCancel', { jobId: started.jobId });
    expect(cancelled).toMatchObject({ state: 'cancelled', result: null });
    await turn();
    expect(await call<LogVerifyJobView>(core, 'log.verifyJob', { jobId: started.jobId })).toMatchObject({ state: 'cancelled' });
    expect(core.db.prepare('SELECT count(*) AS n, max(hash) AS h FROM session_events').get()).toEqual(before);

    const again = await call<LogVerifyJobView>(core, 'log.verifyStart', {});
    expect(again.jobId).not.toBe(started.jobId);
    expect(await follow(core, again.jobId, [], () => false)).toMatchObject({ state: 'done', result: { ok: true, count: RECORDS } });
  }, 120_000);

  it('says when there is no such job', async () => {
    const core = cores();
    const result = await core.dispatch('log.verifyJob', { jobId: '00000000-0000-4000-8000-000000000000' });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
