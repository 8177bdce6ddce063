import { describe, expect, it, beforeAll } from 'vitest';
import { openTestCore, useCores, type TestCore } from '../helpers/core';
import { usePostgres } from '../helpers/postgres';
import { joinEngineers, printedSessions, teamStoreMember } from '../helpers/team-store-lab';

/**
 * What can go wrong between a laptop and the team store, against a real PostgreSQL: a connection cut in
 * the middle of a sync's transaction, a server killed mid-sync, a week offline with hundreds of sessions,
 * a laptop whose clock is wrong. Nothing is lost and nothing is doubled.
 */
const postgres = usePostgres();
const cores = useCores();
let lead: TestCore;
let ravi: TestCore;

const inStore = async (login: string) => {
  const admin = await postgres().connect();
  try {
    const row = (await admin.query('SELECT count(*)::int AS n, count(DISTINCT seq)::int AS distinct_seq, coalesce(max(seq), 0)::int AS head FROM switchboard.log_records WHERE login = $1', [login])).rows[0];
    return row as { n: number; distinct_seq: number; head: number };
  } finally {
    await admin.end();
  }
};
const localHead = (core: TestCore) => core.db.prepare('SELECT max(seq) FROM session_events').pluck().get() as number;

beforeAll(async () => {
  lead = await teamStoreMember(cores, 'Lena Lead', 'lena@example.com', 'lead');
  await lead.team.init(postgres().superuserUrl, null);
  ravi = await teamStoreMember(cores, 'Ravi Nair', 'ravi@example.com', 'engineer');
  await joinEngineers(postgres(), lead, [{ core: ravi, name: 'Ravi Nair', email: 'ravi@example.com' }]);
}, 60_000);

describe('the team store when things go wrong', () => {
  it('a week offline with hundreds of sessions: one sync pushes them all, in order, once', async () => {
    await printedSessions(ravi, 300);
    const status = ravi.team.status();
    expect(status.waiting).toBeGreaterThanOrEqual(600);
    const result = await ravi.team.sync();
    const stored = await inStore(status.login!);
    expect(stored).toEqual({ n: localHead(ravi), distinct_seq: localHead(ravi), head: localHead(ravi) });
    expect(result.head).toBe(localHead(ravi));
    expect(ravi.team.status().waiting).toBe(0);
  });

  it('the connection cut in the middle of a sync\'s transaction: that batch is rolled back, the next sync completes it, nothing doubled', async () => {
    await printedSessions(ravi, 400);
    const login = ravi.team.status().login!;
    const before = (await inStore(login)).n;
    const admin = await postgres().connect();
    // Cut the sync's connection as soon as its first batch is in the store.
    const cutter = (async () => {
      for (let i = 0; i < 2000; i++) {
        const { n } = (await admin.query('SELECT count(*)::int AS n FROM switchboard.log_records WHERE login = $1', [login])).rows[0] as { n: number };
        if (n > before) {
          await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1 AND application_name = 'switchboard'", [login]);
          return true;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
      return false;
    })();
    const first = await ravi.team.sync().then(() => 'completed', (error: Error) => error.message);
    expect(await cutter).toBe(true);
    await admin.end();
    expect(first).toMatch(/^The team store went away during the sync .*nothing is lost/);
    const partial = await inStore(login);
    expect(partial.n).toBeLessThan(localHead(ravi));
    expect(partial.n).toBe(partial.distinct_seq);
    await ravi.team.sync();
    expect(await inStore(login)).toEqual({ n: localHead(ravi), distinct_seq: localHead(ravi), head: localHead(ravi) });
  });

  it('the server killed mid-sync and restarted: nothing lost, nothing doubled', async () => {
    // Enough for a dozen batches, so the kill lands with most of them still to go.
    await printedSessions(ravi, 3000);
    const login = ravi.team.status().login!;
    const before = (await inStore(login)).n;
    const admin = await postgres().connect();
    admin.on('error', () => {}); // it dies with the server, on purpose
    const syncing = ravi.team.sync().then(() => 'completed', (error: Error) => error.message);
    let atKill = 0;
    try {
      // Kill the server once the sync's first batch is in: the next batches are in flight or not yet sent.
      while (atKill <= before) atKill = ((await admin.query('SELECT count(*)::int AS n FROM switchboard.log_records WHERE login = $1', [login])).rows[0] as { n: number }).n;
      await postgres().kill();
      await admin.end().catch(() => {});
      expect(atKill).toBeLessThan(localHead(ravi));
      expect(await syncing).toMatch(/^The team store (went away during the sync|at 127\.0\.0\.1:\d+ refused the connection).*nothing is lost|^The team store at/);
      expect(ravi.team.status().waiting).toBeGreaterThan(0);
    } finally {
      await syncing;
      if (!postgres().running()) await postgres().restart();
    }
    await ravi.team.sync();
    expect(await inStore(login)).toEqual({ n: localHead(ravi), distinct_seq: localHead(ravi), head: localHead(ravi) });
  });

  it('a laptop whose clock is a day ahead: its records are taken (the chain is about order), the skew is measured and said', async () => {
    // The same data dir, opened by a core whose laptop clock is a day ahead.
    const skewed = openTestCore({ dataDir: ravi.dataDir, mode: 'web', engineer: 'ravi@example.com', teamSyncOff: true, teamClock: () => Date.now() + 86_400_000 });
    try {
      await printedSessions(skewed, 1);
      const result = await skewed.team.sync();
      expect(result.pushed).toBeGreaterThan(0);
      expect(result.clockSkewMs).toBeGreaterThan(86_400_000 - 60_000);
      expect(skewed.team.status().clockSkewMs).toBe(result.clockSkewMs);
    } finally {
      await skewed.close();
    }
  });

  it('the lead\'s pull after all that: every session of Ravi\'s once in the review queue', async () => {
    const result = await lead.team.sync();
    expect(result.pulled).toBe(localHead(ravi));
    const queued = lead.db.prepare("SELECT count(*) FROM review_sessions WHERE engineer = 'ravi@example.com'").pluck().get() as number;
    expect(queued).toBe(ravi.db.prepare("SELECT count(DISTINCT session_id) FROM session_events WHERE kind = 'attempt'").pluck().get());
  });
});
