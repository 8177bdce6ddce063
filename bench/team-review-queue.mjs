#!/usr/bin/env node
// The leads' review queue in the team store (issue 11) at 1M sessions: switchboard.review_sessions
// (migration 3, kept by a trigger on log_records), first page of 50 for each filter of the app's queue,
// p50/p99 over many values of the filter, as a lead's own login over verify-full TLS on loopback (the
// round trip included) — and, beside it, the app's SQLite queue (ReviewQueue.list) over exactly the same
// sessions. Not part of the test suite.
//
// Seeding: 40 engineers' hash chains (about 2.8 records per session, valid hashes) go in with COPY as
// the superuser with every trigger off (session_replication_role = replica); the triggers' work is then
// done in bulk: the fold the insert trigger runs per batch (foldReviewSessionsSql) runs once over the
// whole table, and the review states a lead's 'review' records would set are set in one UPDATE. Then
// VACUUM ANALYZE.
//
// Timing: each reader runs in a process of its own, started after the seeding (so nothing the seeding
// allocated or taught V8 is in its heap), --rounds rounds of --runs reads per filter (pooled):
//   app      the app's code path, teamReviewPage (main/core/team-store/team-review-queue.ts);
//   generic  the same page as a plain `pg` query: keyed row objects, timestamps parsed into Dates;
//   sqlite   the app's SQLite queue, ReviewQueue.list;
//   server   the app's path again with log_min_duration_statement = 0 for the lead's login: the server's
//            own time per read (bind + execute, from its log) — a pass of its own, so the log's lines
//            piped into this process are not inside the other passes' timings;
//   app, no pretenuring   a diagnosis, not a number for the table: the app's path under V8's
//            --no-allocation-site-pretenuring (docs/performance.md says why).
// Every read is timed as it happens: no collection is forced and no sample dropped. Each reader also
// reports its young-generation collections and how many of its slowest 1 % had one inside.
//
//   node bench/team-review-queue.mjs [--sessions 1000000] [--runs 200] [--rounds 3] [--no-sqlite]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { percentile } from './lib/bundle.mjs';
import { ssh2AddonLine } from './lib/ssh2-addon.mjs';
import {
  addBenchMember, BENCH_SETTINGS, bundleTeamStore, copyChunks, copyFrom, CUSTOMERS, loadTeamStoreBundle, makeChain, METHODS, pg, SITES,
} from './lib/team-store.mjs';

function parseArgs(argv) {
  const options = { sessions: 1_000_000, runs: 200, rounds: 3, sqlite: true };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => Number(inline ?? argv[++i]);
    if (flag === '--sessions') options.sessions = value();
    else if (flag === '--runs') options.runs = value();
    else if (flag === '--rounds') options.rounds = value();
    else if (flag === '--no-sqlite') options.sqlite = false;
    else if (flag === '--measure') options.measure = inline ?? argv[++i];
    else { console.error('usage: node bench/team-review-queue.mjs [--sessions 1000000] [--runs 200] [--rounds 3] [--no-sqlite]'); process.exit(2); }
  }
  return options;
}

const ENGINEERS = 40;
const OUTCOMES = ['completed', 'disconnected', 'failed', 'launched', 'closed', 'idle-timeout', 'denied'];
const STATES = ['unreviewed', 'reviewed', 'flagged', 'signed-off'];
const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;
const secs = (start) => `${(ms(start) / 1000).toFixed(1)} s`;

/**
 * The 'generic' reader: the app's statement (same WHERE, same index, same page) but the columns as a plain
 * `pg` query returns them by default — one keyed object per row, timestamps parsed into Dates.
 */
function genericStatement(mod, filter) {
  const statement = mod.teamReviewStatement({ ...filter, limit: 50 });
  const columns = `r.id, r.login, r.engineer, m.name AS engineer_name, r.session_id, r.started_at, r.ended_at, r.ticket, r.customer, r.site,
    r.host, r.method, r.decision, r.outcome, r.exception, r.recording_sha256, r.state, r.state_comment, r.state_at, r.state_by`;
  return { ...statement, name: `generic-${statement.name}`, text: statement.text.replace(/^SELECT [\s\S]*? FROM switchboard\.review_sessions/, `SELECT ${columns} FROM switchboard.review_sessions`) };
}

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

const FILTER_NAMES = {
  none: 'first page (no filter)', engineer: 'by engineer', customer: 'by customer', site: 'by site', ticket: 'by ticket', method: 'by method',
  outcome: 'by outcome', state: 'by state', week: 'by date range (a week)', engineerState: 'engineer + state', siteRange: 'site + date range',
};

/** The filters of the app's queue, each over many values; `range` is the seeded sessions' first and last start. */
function queueFilters(range) {
  const first = Date.parse(range.first);
  const weeks = Math.max(1, Math.floor((Date.parse(range.last) - first) / (7 * 86_400_000)) - 1);
  const day = (ms) => new Date(ms).toISOString().slice(0, 10);
  const weekFrom = (i) => first + (i % weeks) * 7 * 86_400_000;
  return {
    none: () => ({}),
    engineer: (i) => ({ engineer: `Engineer${i % ENGINEERS}@example.com` }),
    customer: (i) => ({ customer: `customer ${(i * 37) % CUSTOMERS}` }),
    site: (i) => ({ site: `Customer ${(i * 37) % CUSTOMERS}/site-${i % SITES}` }),
    ticket: (i) => ({ ticket: `exo-${40000 + ((i * 97) % 5000)}` }),
    method: (i) => ({ method: METHODS[i % METHODS.length] }),
    outcome: (i) => ({ outcome: OUTCOMES[i % OUTCOMES.length] }),
    state: (i) => ({ state: STATES[i % STATES.length] }),
    week: (i) => ({ from: day(weekFrom(i)), to: day(weekFrom(i) + 6 * 86_400_000) }),
    engineerState: (i) => ({ engineer: `engineer${i % ENGINEERS}@example.com`, state: 'unreviewed' }),
    siteRange: (i) => ({ site: `Customer ${(i * 37) % CUSTOMERS}/site-${i % SITES}`, from: day(weekFrom(i)), to: day(weekFrom(i) + 41 * 86_400_000) }),
  };
}

/** A measuring child: one reader, every filter, in a fresh process; prints its samples as JSON. */
async function measure(configFile) {
  const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
  const mod = loadTeamStoreBundle(config.work);
  const filters = queueFilters(config.range);
  let read;
  let close = async () => {};
  if (config.reader === 'sqlite') {
    const db = mod.openDatabase(config.sqliteDir);
    const queue = new mod.ReviewQueue(db);
    read = async (filter) => queue.list({ ...filter, limit: 50 }).sessions.length;
    close = async () => db.close();
  } else {
    const client = new pg.Client({ connectionString: config.url });
    await client.connect();
    read = config.reader === 'generic'
      ? async (filter) => Math.min(50, (await client.query(genericStatement(mod, filter))).rows.length)
      : async (filter) => (await mod.teamReviewPage(client, { ...filter, limit: 50 })).sessions.length;
    close = () => client.end();
  }
  for (const make of Object.values(filters)) for (let i = 0; i < 20; i++) await read(make(i));
  const pauses = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push({ start: e.startTime, end: e.startTime + e.duration, minor: e.detail?.kind === 1 });
  });
  observer.observe({ entryTypes: ['gc'] });
  const heapAtStart = process.memoryUsage().heapUsed;
  const out = { reader: config.reader, heapAtStartMb: heapAtStart / 1e6, filters: {}, windows: [] };
  for (let round = 0; round < config.rounds; round++) {
    for (const [name, make] of Object.entries(filters)) {
      const entry = (out.filters[name] ??= { times: [], rounds: [], rows: 0 });
      const times = [];
      for (let i = 0; i < config.runs; i++) {
        const filter = make(i + round * config.runs);
        const start = performance.now();
        entry.rows = await read(filter);
        const end = performance.now();
        times.push(end - start);
        out.windows.push([start, end]);
      }
      entry.times.push(...times);
      entry.rounds.push(percentile(times, 99));
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  await close();
  const slowest = [...out.windows].sort((a, b) => (b[1] - b[0]) - (a[1] - a[0])).slice(0, Math.ceil(out.windows.length / 100));
  out.gc = {
    minor: pauses.filter((p) => p.minor).length, major: pauses.filter((p) => !p.minor).length,
    minorMeanMs: mean(pauses.filter((p) => p.minor).map((p) => p.end - p.start)),
    slowest: slowest.length, slowestWithGc: slowest.filter(([s, e]) => pauses.some((p) => p.start < e && p.end > s)).length,
  };
  delete out.windows;
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function mean(values) {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}

/** Runs one reader in a child process (this file with --measure) and returns what it printed. */
function runReader(configFile, nodeFlags = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, fileURLToPath(import.meta.url), '--measure', configFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`reader exited ${code}`))));
  });
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.measure) return measure(options.measure);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-team-review-'));
  const mod = await bundleTeamStore(work);
  const server = await mod.startPostgres({ settings: BENCH_SETTINGS, startTimeoutMs: 60_000 });
  const admin = await server.connect();
  try {
    const migrated = await mod.migrateTeamStore(admin);
    console.log(`Team-store review-queue benchmark: PostgreSQL ${server.version}, schema ${migrated.to}; machine: ${os.availableParallelism()} CPUs, ${os.cpus()[0]?.model ?? '?'}; node ${process.version}; ${ssh2AddonLine(false)}`);
    const sessions = await seed(mod, server, admin, options.sessions);
    await addBenchMember(admin, mod, { login: 'sb_lead', name: 'Lead', email: 'lead@example.com', role: 'lead', password: 'bench-lead-password' });
    const range = (await admin.query('SELECT min(started_at) AS first, max(started_at) AS last FROM switchboard.review_sessions')).rows[0];
    if (options.sqlite) {
      const t = process.hrtime.bigint();
      (await fillSqlite(mod, admin, work)).close();
      console.log(`the same ${sessions.toLocaleString('en')} sessions copied into the app's SQLite queue in ${secs(t)}`);
    }
    const config = (reader) => {
      const file = path.join(work, `${reader}.json`);
      fs.writeFileSync(file, JSON.stringify({
        reader, work, sqliteDir: path.join(work, 'sqlite'), url: server.url('sb_lead', 'bench-lead-password'),
        range: { first: range.first.toISOString(), last: range.last.toISOString() }, runs: options.runs, rounds: options.rounds,
      }));
      return file;
    };
    const load = () => os.loadavg()[0].toFixed(2);
    const results = {};
    for (const reader of ['app', 'generic', ...(options.sqlite ? ['sqlite'] : [])]) {
      const before = load();
      results[reader] = await runReader(config(reader));
      console.log(`${reader}: load average ${before} → ${load()}`);
    }
    await admin.query('ALTER ROLE sb_lead SET log_min_duration_statement = 0');
    const logFrom = server.log().length;
    await runReader(config('app'));
    await admin.query('ALTER ROLE sb_lead RESET log_min_duration_statement');
    /** Server time per read, from the log: each statement's bind (planning) + execute. */
    const server_ = {};
    let bind = 0;
    for (const line of server.log().slice(logFrom).split('\n')) {
      const m = /duration: ([\d.]+) ms {2}(parse|bind|execute) team-review-page:([^:/]+)/.exec(line);
      if (!m) continue;
      if (m[2] === 'bind') bind = Number(m[1]);
      if (m[2] === 'execute') { (server_[m[3]] ??= []).push(bind + Number(m[1])); bind = 0; }
    }
    const noPretenuring = await runReader(config('app'), ['--no-allocation-site-pretenuring']);

    const shape = { none: 'all', engineer: 'engineer', customer: 'customer', site: 'customer+site', ticket: 'ticket', method: 'method', outcome: 'outcome', state: 'state', week: 'from+to', engineerState: 'engineer+state', siteRange: 'customer+site+from+to' };
    const cell = (times, p, width = 7) => (times?.length ? percentile(times, p).toFixed(2) : '–').padStart(width);
    console.log(`\nfirst page of 50, ${options.rounds} rounds × ${options.runs} reads per filter (different values, pooled), after 20 warm-up reads; PostgreSQL as the lead's login over TLS (ms)`);
    console.log(`${'filter'.padEnd(24)} ${'app p50'.padStart(7)} ${'p99'.padStart(7)} ${'p99 per round'.padStart(18)} ${'generic'.padStart(7)} ${'p99'.padStart(7)} ${'server'.padStart(7)} ${'p99'.padStart(7)} ${'SQLite'.padStart(7)} ${'p99'.padStart(7)}  rows`);
    for (const [key, label] of Object.entries(FILTER_NAMES)) {
      const app = results.app.filters[key];
      const generic = results.generic.filters[key];
      const lite = results.sqlite?.filters[key];
      console.log(`${label.padEnd(24)} ${cell(app.times, 50)} ${cell(app.times, 99)} ${app.rounds.map((t) => t.toFixed(1)).join(' / ').padStart(18)} ${cell(generic.times, 50)} ${cell(generic.times, 99)} ` +
        `${cell(server_[shape[key]], 50)} ${cell(server_[shape[key]], 99)} ${cell(lite?.times, 50)} ${cell(lite?.times, 99)}  ${app.rows}/${generic.rows}/${lite?.rows ?? '–'}`);
    }
    const pooled = (r) => Object.values(r.filters).flatMap((f) => f.times);
    console.log('\nall filters pooled, and the client\'s garbage collections during the timed reads:');
    for (const [label, r] of [['app', results.app], ['generic', results.generic], ...(results.sqlite ? [['sqlite', results.sqlite]] : []), ['app, no pretenuring (diagnosis)', noPretenuring]]) {
      console.log(`  ${label.padEnd(32)} p50 ${cell(pooled(r), 50, 5)}  p99 ${cell(pooled(r), 99, 5)}  max ${Math.max(...pooled(r)).toFixed(1).padStart(5)}  heap at start ${r.heapAtStartMb.toFixed(0)} MB; ` +
        `${r.gc.minor} young-generation collections (mean ${r.gc.minorMeanMs.toFixed(2)} ms), ${r.gc.major} full; of the slowest 1 % (${r.gc.slowest}), ${r.gc.slowestWithGc} had a collection inside`);
    }
    if (process.env.SHOW_PLANS) {
      const lead = await server.connect(server.url('sb_lead', 'bench-lead-password'));
      for (const [key, make] of Object.entries(queueFilters({ first: range.first.toISOString(), last: range.last.toISOString() }))) {
        const { text, values } = mod.teamReviewStatement({ ...make(1), limit: 50 });
        const plan = (await lead.query(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${text}`, values)).rows.map((r) => r['QUERY PLAN']);
        console.log(`\n${FILTER_NAMES[key]}:\n  ${plan.join('\n  ')}`);
      }
      await lead.end();
    }
  } finally {
    await admin.end().catch(() => {});
    await server.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => { console.error(error); process.exit(1); });
