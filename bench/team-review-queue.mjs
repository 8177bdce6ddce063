#!/usr/bin/env node
// The leads' review queue in the team store (issue 11) at 1M sessions: switchboard.review_sessions
// (migration 3, kept by a trigger on log_records), first page of 50 for each filter of the app's queue,
// p50/p99 over many values of the filter, as a lead's own login over verify-full TLS on loopback (the
// round trip included) — and, beside it, the app's SQLite queue (ReviewQueue.list) over exactly the same
// sessions in the same process. Not part of the test suite.
//
// Seeding: 40 engineers' hash chains (about 2.8 records per session, valid hashes) go in with COPY as
// the superuser with every trigger off (session_replication_role = replica); the triggers' work is then
// done in bulk: the fold the insert trigger runs per batch (foldReviewSessionsSql) runs once over the
// whole table, and the review states a lead's 'review' records would set are set in one UPDATE. Then
// VACUUM ANALYZE.
//
// Timing: --rounds rounds of --runs reads per filter (pooled). Beside the client's round trip, the server's
// own time per read (bind + execute, from log_min_duration_statement = 0 for the lead's login) separates
// what PostgreSQL spends from the network, TLS and scheduling on this 2-vCPU machine.
//
// Under node --expose-gc the rounds are repeated with a minor GC of the client before each read (outside
// the timed window), which takes the client's own collections out of the tail.
//
//   node --expose-gc bench/team-review-queue.mjs [--sessions 1000000] [--runs 200] [--rounds 3] [--no-sqlite]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { percentile } from './lib/bundle.mjs';
import { addBenchMember, BENCH_SETTINGS, bundleTeamStore, copyChunks, copyFrom, CUSTOMERS, makeChain, METHODS, SITES } from './lib/team-store.mjs';

function parseArgs(argv) {
  const options = { sessions: 1_000_000, runs: 200, rounds: 3, sqlite: true };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => Number(inline ?? argv[++i]);
    if (flag === '--sessions') options.sessions = value();
    else if (flag === '--runs') options.runs = value();
    else if (flag === '--rounds') options.rounds = value();
    else if (flag === '--no-sqlite') options.sqlite = false;
    else { console.error('usage: node bench/team-review-queue.mjs [--sessions 1000000] [--runs 200] [--rounds 3] [--no-sqlite]'); process.exit(2); }
  }
  return options;
}

const ENGINEERS = 40;
const OUTCOMES = ['completed', 'disconnected', 'failed', 'launched', 'closed', 'idle-timeout', 'denied'];
const STATES = ['unreviewed', 'reviewed', 'flagged', 'signed-off'];
const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;
const secs = (start) => `${(ms(start) / 1000).toFixed(1)} s`;

/** The app's queue filter (review-queue.ts reviewWhere) in PostgreSQL: equality prefixes of one index each. */
function pgWhere(filter) {
  const where = [];
  const values = [];
  const add = (value, clause) => { values.push(value); where.push(clause.replace('?', `$${values.length}`)); };
  if (filter.engineer) add(filter.engineer.toLowerCase(), 'r.engineer = ?');
  let { customer, site } = filter;
  if (site?.includes('/')) { customer = site.slice(0, site.indexOf('/')); site = site.slice(site.indexOf('/') + 1); }
  if (customer) add(customer, 'r.customer_key = lower(?)');
  if (site) add(site, 'r.site_key = lower(?)');
  if (filter.ticket) add(filter.ticket, 'r.ticket_key = lower(?)');
  if (filter.method) add(filter.method.toLowerCase(), 'r.method = ?');
  if (filter.outcome) add(filter.outcome.toLowerCase(), 'r.outcome = ?');
  if (filter.state) add(filter.state, 'r.state = ?');
  if (filter.from) add(filter.from, 'r.started_at >= ?');
  if (filter.to) { const next = new Date(`${filter.to}T00:00:00Z`); next.setUTCDate(next.getUTCDate() + 1); add(next.toISOString(), 'r.started_at < ?'); }
  return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', values };
}

const statementName = (filter) => `page-${Object.keys(filter).sort().join('+') || 'none'}`;

/** What the lead's page shows: the session, the engineer's name, the review state (ReviewQueue.list's columns). */
const PAGE_SQL = (where, limitParam) => `
  SELECT r.id, r.login, r.engineer, m.name AS engineer_name, r.session_id, r.started_at, r.ended_at, r.ticket, r.customer, r.site,
    r.host, r.method, r.decision, r.outcome, r.exception, r.recording_sha256, r.state, r.state_comment, r.state_at, r.state_by
  FROM switchboard.review_sessions r LEFT JOIN switchboard.members m ON m.login = r.login
  ${where} ORDER BY r.started_at DESC, r.id DESC LIMIT $${limitParam}`;

async function seed(mod, server, admin, sessions) {
  const perEngineer = Math.ceil(sessions / ENGINEERS);
  const columns = ['login', ...mod.EVENT_COLUMNS, 'hash'];
  const copySql = `COPY switchboard.log_records (${columns.join(', ')}) FROM STDIN`;
  // Spread over about a year: each engineer's sessions interleave with everyone else's.
  const stepMs = Math.max(1000, Math.floor((330 * 86_400_000) / (perEngineer * 2.8)));
  const t = process.hrtime.bigint();
  let records = 0;
  let left = sessions;
  const copier = await server.connect();
  await copier.query('SET session_replication_role = replica');
  for (let e = 0; e < ENGINEERS && left > 0; e++) {
    const login = `sb_engineer${e}`;
    await addBenchMember(admin, mod, { login, name: `Engineer ${e}`, email: `engineer${e}@example.com`, password: `bench-password-${e}` });
    const mine = Math.min(perEngineer, left);
    left -= mine;
    const chain = makeChain(mod, { sessions: mine, engineer: `engineer${e}@example.com`, stepMs, startMs: Date.UTC(2026, 0, 5, 8) + e * 37_000, seed: e * 10_000_000 });
    records += chain.length;
    await copyFrom(copier, copySql, copyChunks(chain.map((r) => ({ ...r, login })), columns));
  }
  await copier.end();
  const copied = secs(t);
  const f = process.hrtime.bigint();
  await admin.query(mod.foldReviewSessionsSql('switchboard.log_records'));
  const folded = secs(f);
  // What the leads' 'review' records would have set (the trigger's third statement), in one UPDATE.
  const s = process.hrtime.bigint();
  await admin.query(`UPDATE switchboard.review_sessions SET state = (ARRAY['reviewed', 'flagged', 'signed-off'])[1 + (id * 13) % 3],
    state_by = 'sb_lead', state_at = started_at + interval '1 day' WHERE (id * 7) % 2 = 0`);
  const states = secs(s);
  const a = process.hrtime.bigint();
  await admin.query('VACUUM ANALYZE switchboard.log_records');
  await admin.query('VACUUM ANALYZE switchboard.review_sessions');
  const size = (await admin.query(`SELECT pg_size_pretty(pg_total_relation_size('switchboard.log_records')) AS log,
    pg_size_pretty(pg_total_relation_size('switchboard.review_sessions')) AS queue,
    pg_size_pretty(pg_indexes_size('switchboard.review_sessions')) AS queue_indexes,
    (SELECT count(*) FROM switchboard.review_sessions) AS n`)).rows[0];
  console.log(`seeded ${records.toLocaleString('en')} log records (COPY, triggers off: ${copied}), folded into ${Number(size.n).toLocaleString('en')} review_sessions ` +
    `in bulk (${folded}), review states (${states}), VACUUM ANALYZE (${secs(a)}); log_records ${size.log}, review_sessions ${size.queue} (indexes ${size.queue_indexes})`);
  return Number(size.n);
}

/** The same sessions in the app's SQLite queue (imported_logs + review_sessions as bundles or the pull leave them). */
async function fillSqlite(mod, admin, work) {
  const db = mod.openDatabase(path.join(work, 'sqlite'));
  db.pragma('synchronous = OFF');
  const insertLog = db.prepare(`INSERT INTO imported_logs (engineer_key, engineer, engineer_name, origin, first_seq, size, root_hash, frontier, checkpoint_note, accepted_at)
    VALUES (?, ?, ?, ?, 1, 0, '', '[]', '', '2026-01-01T00:00:00Z')`);
  const insert = db.prepare(`INSERT INTO review_sessions (id, engineer_key, engineer, session_id, started_at, ended_at, ticket, customer, site, host, method, decision, outcome, exception, recording_sha256, state, state_at)
    VALUES (@id, @key, @engineer, @session_id, @started_at, @ended_at, @ticket, @customer, @site, @host, @method, @decision, @outcome, @exception, @recording_sha256, @state, @state_at)`);
  const members = (await admin.query('SELECT login, name, email FROM switchboard.members')).rows;
  db.transaction(() => { for (const m of members) insertLog.run(`team-store:${m.login}`, m.email, m.name, `team-store/${m.login}`); })();
  await admin.query('BEGIN');
  await admin.query(`DECLARE rs NO SCROLL CURSOR FOR SELECT id, login, engineer, session_id, started_at, ended_at, ticket, customer, site, host, method, decision, outcome,
    exception, recording_sha256, state, state_at FROM switchboard.review_sessions ORDER BY id`);
  for (;;) {
    const { rows } = await admin.query('FETCH 50000 FROM rs');
    if (rows.length === 0) break;
    db.transaction(() => {
      for (const r of rows) {
        insert.run({
          ...r, id: Number(r.id), key: `team-store:${r.login}`, started_at: r.started_at.toISOString(), ended_at: r.ended_at?.toISOString() ?? null,
          exception: r.exception ? 1 : 0, state_at: r.state_at?.toISOString() ?? null,
        });
      }
    })();
  }
  await admin.query('COMMIT');
  db.exec('ANALYZE');
  db.pragma('synchronous = FULL');
  return db;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-team-review-'));
  const mod = await bundleTeamStore(work);
  const server = await mod.startPostgres({ settings: BENCH_SETTINGS, startTimeoutMs: 60_000 });
  const admin = await server.connect();
  try {
    const migrated = await mod.migrateTeamStore(admin);
    console.log(`Team-store review-queue benchmark: PostgreSQL ${server.version}, schema ${migrated.to}; machine: ${os.availableParallelism()} CPUs, ${os.cpus()[0]?.model ?? '?'}; node ${process.version}`);
    const sessions = await seed(mod, server, admin, options.sessions);
    await addBenchMember(admin, mod, { login: 'sb_lead', name: 'Lead', email: 'lead@example.com', role: 'lead', password: 'bench-lead-password' });
    const range = (await admin.query('SELECT min(started_at) AS first, max(started_at) AS last FROM switchboard.review_sessions')).rows[0];
    const t = process.hrtime.bigint();
    const sqlite = options.sqlite ? await fillSqlite(mod, admin, work) : null;
    if (sqlite) console.log(`the same ${sessions.toLocaleString('en')} sessions copied into the app's SQLite queue in ${secs(t)}`);
    const queue = sqlite ? new mod.ReviewQueue(sqlite) : null;

    const weeks = Math.max(1, Math.floor((range.last - range.first) / (7 * 86_400_000)) - 1);
    const day = (d) => d.toISOString().slice(0, 10);
    const filters = {
      'first page (no filter)': () => ({}),
      'by engineer': (i) => ({ engineer: `Engineer${i % ENGINEERS}@example.com` }),
      'by customer': (i) => ({ customer: `customer ${(i * 37) % CUSTOMERS}` }),
      'by site': (i) => ({ site: `Customer ${(i * 37) % CUSTOMERS}/site-${i % SITES}` }),
      'by ticket': (i) => ({ ticket: `exo-${40000 + ((i * 97) % 5000)}` }),
      'by method': (i) => ({ method: METHODS[i % METHODS.length] }),
      'by outcome': (i) => ({ outcome: OUTCOMES[i % OUTCOMES.length] }),
      'by state': (i) => ({ state: STATES[i % STATES.length] }),
      'by date range (a week)': (i) => {
        const from = new Date(range.first.getTime() + (i % weeks) * 7 * 86_400_000);
        return { from: day(from), to: day(new Date(from.getTime() + 6 * 86_400_000)) };
      },
      'engineer + state': (i) => ({ engineer: `engineer${i % ENGINEERS}@example.com`, state: 'unreviewed' }),
      'site + date range': (i) => {
        const from = new Date(range.first.getTime() + (i % weeks) * 7 * 86_400_000);
        return { site: `Customer ${(i * 37) % CUSTOMERS}/site-${i % SITES}`, from: day(from), to: day(new Date(from.getTime() + 41 * 86_400_000)) };
      },
    };
    await admin.query('ALTER ROLE sb_lead SET log_min_duration_statement = 0');
    const lead = await server.connect(server.url('sb_lead', 'bench-lead-password'));
    /** Server time per read of one statement, from the log since `from`: its bind (planning) + execute. */
    const serverTimes = (from, statement) => {
      const times = [];
      let bind = 0;
      for (const line of server.log().slice(from).split('\n')) {
        const m = /duration: ([\d.]+) ms {2}(parse|bind|execute) ([^:]+):/.exec(line);
        if (!m || m[3] !== statement) continue;
        if (m[2] === 'bind') bind = Number(m[1]);
        if (m[2] === 'execute') { times.push(bind + Number(m[1])); bind = 0; }
      }
      return times;
    };
    console.log(`\nfirst page of 50, ${options.rounds} rounds × ${options.runs} reads per filter (different values, pooled), after 20 warm-up reads; PostgreSQL as the lead's login over TLS`);
    console.log(`${'filter'.padEnd(24)} ${'PG p50'.padStart(7)} ${'PG p99'.padStart(7)} ${'p99/round'.padStart(16)} ${'server p50'.padStart(10)} ${'p99'.padStart(6)} ${'rows'.padStart(5)}   ${'SQLite p50'.padStart(10)} ${'p99'.padStart(6)} ${'rows'.padStart(5)}   (ms)`);
    const pgPage = async (filter) => {
      const { where, values } = pgWhere(filter);
      return (await lead.query({ name: statementName(filter), text: PAGE_SQL(where, values.length + 1), values: [...values, 51] })).rows.length;
    };
    for (const [, make] of Object.entries(filters)) for (let i = 0; i < 20; i++) { await pgPage(make(i)); queue?.list({ ...make(i), limit: 50 }); }
    const timeRounds = async (gcOutside) => {
      const stats = Object.fromEntries(Object.keys(filters).map((name) => [name, { pg: [], rounds: [], server: [], lite: [], pgRows: 0, liteRows: 0 }]));
      for (let round = 0; round < options.rounds; round++) {
        for (const [name, make] of Object.entries(filters)) {
          const entry = stats[name];
          const from = server.log().length;
          const times = [];
          for (let i = 0; i < options.runs; i++) {
            const filter = make(i + round * options.runs);
            if (gcOutside) globalThis.gc({ type: 'minor' });
            let start = process.hrtime.bigint();
            entry.pgRows = Math.min(50, await pgPage(filter));
            times.push(ms(start));
            if (queue) {
              if (gcOutside) globalThis.gc({ type: 'minor' });
              start = process.hrtime.bigint();
              entry.liteRows = queue.list({ ...filter, limit: 50 }).sessions.length;
              entry.lite.push(ms(start));
            }
          }
          entry.pg.push(...times);
          entry.rounds.push(percentile(times, 99));
          entry.server.push(...serverTimes(from, statementName(make(0))));
        }
      }
      for (const [name, e] of Object.entries(stats)) {
        const cell = (times, p, width) => (times.length ? percentile(times, p).toFixed(3) : '–').padStart(width);
        console.log(`${name.padEnd(24)} ${cell(e.pg, 50, 7)} ${cell(e.pg, 99, 7)} ${e.rounds.map((t) => t.toFixed(1)).join(' / ').padStart(16)} ${cell(e.server, 50, 10)} ${cell(e.server, 99, 6)} ${String(e.pgRows).padStart(5)}   ${cell(e.lite, 50, 10)} ${cell(e.lite, 99, 6)} ${String(e.liteRows).padStart(5)}`);
      }
    };
    await timeRounds(false);
    if (typeof globalThis.gc === 'function') {
      // The client's young-generation collections (a few ms each, after every few dozen pages) are most
      // of the round trip's p99 above; here one runs before each read, outside the timed window.
      console.log('\nthe same, with a minor GC of this process before each read (outside the timing):');
      await timeRounds(true);
    }
    let plans = '';
    for (const [name, make] of Object.entries(filters)) {
      const { where, values } = pgWhere(make(1));
      const plan = (await lead.query(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${PAGE_SQL(where, values.length + 1)}`, [...values, 51])).rows.map((r) => r['QUERY PLAN']);
      plans += `\n${name}:\n  ${plan.join('\n  ')}`;
    }
    if (process.env.SHOW_PLANS) console.log(`\nplans (one value each):${plans}`);
    await lead.end();
    sqlite?.close();
  } finally {
    await admin.end().catch(() => {});
    await server.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => { console.error(error); process.exit(1); });
