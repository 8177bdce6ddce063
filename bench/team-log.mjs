#!/usr/bin/env node
// The lead's team log and filter combinations on a big log (issue 13 §4): a lead's data dir with its own
// log (bench/lib/session-log-fill.mjs) and the records of 40 other engineers it holds (imported_events,
// as team-store pulls and bundles store them), measuring
//  - `switchboard log list --team` through the built CLI: the default page and --all streamed to /dev/null
//    (wall time and peak RSS from /usr/bin/time);
//  - the team log's page of 500 per filter, a value that matches and one that matches nothing;
//  - combinations of filters on the own log and on the team log: ones whose values each match but never
//    together, ones with one value that matches nothing, and ones that match a little.
// Runs against whichever checkout it sits in (copy it into an older one to measure "before"); not part
// of the test suite.
//
//   node bench/team-log.mjs [--own 200000] [--sessions 300000] [--runs 10] [--data DIR] [--json]
// --own: the lead's own sessions; --sessions: other engineers' sessions held. --data DIR keeps the data
// dir and reuses it (generating the own log takes minutes: every record is hashed and appended).
// --only single,combos,cli: those parts alone (the slow ones of an old checkout one at a time).
// --insert-cost N: only the cost of writing N held sessions into a fresh data dir at the schema before the
// newest migration and at the newest (what the team log's indexes and triggers add to a pull or an import).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleEntry, bundleModules, percentile, requireHere } from './lib/bundle.mjs';
import { eventsForSessions, fillSessionLog, MemorySecrets } from './lib/session-log-fill.mjs';
import { ssh2AddonLine } from './lib/ssh2-addon.mjs';

function parseArgs(argv) {
  const options = { own: 200_000, sessions: 300_000, runs: 10, data: null, json: false, insertCost: 0, only: null };
  const count = (text) => Number(text.replace(/k$/i, '000').replace(/m$/i, '000000'));
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--own') options.own = count(value());
    else if (flag === '--sessions') options.sessions = count(value());
    else if (flag === '--runs') options.runs = Number(value());
    else if (flag === '--data') options.data = path.resolve(value());
    else if (flag === '--json') options.json = true;
    else if (flag === '--insert-cost') options.insertCost = count(value());
    else if (flag === '--only') options.only = new Set(value().split(','));
    else { console.error('usage: node bench/team-log.mjs [--own 200000] [--sessions 300000] [--runs 10] [--data DIR] [--insert-cost N] [--only single,combos,cli] [--json]'); process.exit(2); }
  }
  return options;
}

const options = parseArgs(process.argv.slice(2));
const say = (line = '') => (options.json ? console.error(line) : console.log(line));
const now = () => performance.now();
const fmt = (n) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

const ENGINEERS = 40;
const METHODS = ['ssh', 'https', 'vnc', 'anydesk', 'teamviewer', 'vpn'];
const ENDINGS = ['completed', 'failed', 'disconnected', 'interrupted'];
const HASH = '0'.repeat(64);

/**
 * Other engineers' records as imported_events holds them: the same value mix as the own log's generator
 * (engineer s % 40, ticket s % 5000, Customer s % 100 / site s % 7, a denial every 25th) plus six methods and
 * four endings. Their hashes are not real: listing does not check them.
 */
function fillImported(db, sessions, { synchronous = 'OFF' } = {}) {
  const insertLog = db.prepare(`INSERT INTO imported_logs (engineer_key, engineer, engineer_name, origin, first_seq, size, root_hash, frontier, checkpoint_note, accepted_at, bundles)
    VALUES (?, ?, ?, ?, 1, 0, '', '[]', '', '2026-06-01T00:00:00Z', 0)`);
  const stored = db.prepare("SELECT type FROM sqlite_master WHERE name = 'imported_events'").pluck().get() === 'view' ? 'imported_events_all' : 'imported_events';
  const insert = db.prepare(`INSERT INTO ${stored} (engineer_key, seq, session_id, kind, at, engineer, ticket, site, host, method, target, decision, outcome, detail, prev_hash, hash)
    VALUES (@key, @seq, @sessionId, @kind, @at, @engineer, @ticket, @site, @host, @method, @target, @decision, @outcome, '{}', '${HASH}', '${HASH}')`);
  const seqs = new Array(ENGINEERS).fill(0);
  db.pragma(`synchronous = ${synchronous}`);
  const t0 = now();
  db.transaction(() => {
    for (let e = 0; e < ENGINEERS; e++) insertLog.run(`SHA256:engineer-${e}`, `engineer${e}@example.com`, `Engineer ${e}`, `team-store:engineer${e}`);
  })();
  for (let s = 0; s < sessions;) {
    db.transaction(() => {
      for (const end = Math.min(sessions, s + 50_000); s < end; s++) {
        const e = s % ENGINEERS;
        const key = `SHA256:engineer-${e}`;
        const at = new Date(Date.UTC(2026, 0, 1) + s * 60_000 + 30_000).toISOString();
        const denied = s % 25 === 0;
        const base = { key, sessionId: `held-${s}`, at, engineer: `engineer${e}@example.com`, ticket: null, site: null, host: null, method: null, target: null, decision: null };
        insert.run({ ...base, seq: ++seqs[e], kind: 'attempt', ticket: `EXO-${40000 + (s % 5000)}`, site: `Customer ${s % 100}/site-${s % 7}`, host: `pbx${s % 5}`, method: METHODS[s % METHODS.length], target: `pbx${s % 5}`, decision: denied ? 'deny' : 'allow', outcome: denied ? 'denied' : 'allowed' });
        if (denied) continue;
        insert.run({ ...base, seq: ++seqs[e], kind: 'started', outcome: 'connected' });
        insert.run({ ...base, seq: ++seqs[e], kind: 'ended', outcome: ENDINGS[Math.floor(s / 3) % ENDINGS.length] });
      }
    })();
  }
  db.pragma('synchronous = FULL');
  return now() - t0;
}

async function openData(mod, dataDir) {
  const fresh = !fs.existsSync(path.join(dataDir, 'switchboard.db'));
  const opened = mod.assembleCore({ dataDir, mode: 'cli', secretStore: new MemorySecrets(), engineer: 'lead@example.com' });
  if (fresh) {
    const own = fillSessionLog(opened.internals, eventsForSessions(options.own));
    say(`generated the own log: ${own.sessions.toLocaleString('en')} sessions in ${(own.ms / 1000).toFixed(0)} s`);
    const ms = fillImported(opened.internals.db, options.sessions);
    say(`generated ${options.sessions.toLocaleString('en')} held sessions in ${(ms / 1000).toFixed(0)} s`);
  }
  return opened;
}

function cliRun(cli, dataDir, args) {
  const run = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, cli, '--data-dir', dataDir, 'log', 'list', ...args], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  if (run.status !== 0) throw new Error(`log list ${args.join(' ')} failed: ${run.stderr}`);
  const [seconds, kb] = run.stderr.toString().trim().split('\n').at(-1).split(' ').map(Number);
  return { s: seconds, rssMb: kb / 1024 };
}

async function timed(runs, read) {
  const times = [];
  let found = 0;
  for (let i = 0; i < runs; i++) {
    const t = now();
    found = (await read(i)).length;
    times.push(now() - t);
  }
  return { p50: percentile(times, 50), max: Math.max(...times), found };
}

/** Single filters on the team log: a value that matches (varied per run) and one that matches nothing. */
const SINGLE = [
  ['ticket', (i) => ({ ticket: `EXO-${40000 + (i % 5000)}` }), { ticket: 'EXO-99999' }],
  ['engineer', (i) => ({ engineer: `engineer${i % 40}@example.com` }), { engineer: 'nobody@example.com' }],
  ['site', (i) => ({ site: `Customer ${i % 100}/site-${i % 7}` }), { site: 'Customer 3/site-9' }],
  ['customer', (i) => ({ site: `Customer ${i % 100}` }), { site: 'Nobody Ltd' }],
  ['method', (i) => ({ method: METHODS[i % 6] }), { method: 'rdp' }],
  ['outcome', (i) => ({ outcome: ENDINGS[i % 4] }), { outcome: 'launched' }],
];

/**
 * Combinations. "never together": each value matches many sessions, none both (engineer s % 40 = 3 and
 * ticket s % 5000 = 1 cannot hold at once, as 40 divides 5000; likewise s % 20 from the engineer and the
 * customer; a denial is s % 25 = 0, so never Customer 5). "one value nothing": the other values match.
 */
const COMBOS = [
  ['engineer + ticket, never together', { engineer: 'engineer3@example.com', ticket: 'EXO-40001' }],
  ['engineer + customer, never together', { engineer: 'engineer3@example.com', site: 'Customer 4' }],
  ['outcome denied + customer, never together', { outcome: 'denied', site: 'Customer 5' }],
  ['engineer + ticket + outcome, outcome nothing', { engineer: 'engineer3@example.com', ticket: 'EXO-40003', outcome: 'launched' }],
  ['engineer + method + outcome, engineer nothing', { engineer: 'nobody@example.com', method: 'ssh', outcome: 'completed' }],
  ['method + outcome + site, site nothing', { method: 'ssh', outcome: 'completed', site: 'Customer 3/site-9' }],
  ['engineer + ticket, a little', { engineer: 'engineer1@example.com', ticket: 'EXO-40001' }],
  ['engineer + outcome denied, a little', { engineer: 'engineer0@example.com', outcome: 'denied' }],
  ['engineer + ticket + outcome, a little', { engineer: 'engineer3@example.com', ticket: 'EXO-40003', outcome: 'completed' }],
  ['method + customer + outcome, a little', { method: 'ssh', site: 'Customer 6', outcome: 'completed' }],
];

/** Writing held sessions in transactions of 50k at the schema before the newest migration and at the newest, alternating. */
async function insertCost(work) {
  const mod = await bundleModules(work, 'team-log-insert', [
    "export { migrate } from './main/core/store/migrate';",
    "export { MIGRATIONS } from './main/core/store/migrations';",
  ]);
  const Database = requireHere('better-sqlite3');
  const latest = mod.MIGRATIONS.at(-1).version;
  const times = { [latest - 1]: [], [latest]: [] };
  for (let round = 0; round < 3; round++) {
    for (const version of [latest - 1, latest]) {
      const file = path.join(work, `insert-${round}-${version}.db`);
      const db = new Database(file);
      db.pragma('journal_mode = WAL');
      mod.migrate(db, mod.MIGRATIONS, version);
      times[version].push(fillImported(db, options.insertCost, { synchronous: 'NORMAL' }));
      db.close();
      fs.rmSync(file, { force: true });
    }
  }
  for (const [version, ms] of Object.entries(times)) say(`  schema ${version}: ${options.insertCost.toLocaleString('en')} held sessions written in ${ms.map((t) => (t / 1000).toFixed(2)).join(', ')} s`);
}

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-team-log-'));
  const dataDir = options.data ?? path.join(work, 'data');
  try {
    const mod = await bundleModules(work, 'team-log', ["export { assembleCore } from './main/core/wiring';"]);
    await bundleEntry(work, 'main/cli/main.ts', 'cli.cjs');
    const cli = path.join(work, 'cli.cjs');
    say(`Team-log benchmark; machine: ${os.availableParallelism()} CPUs, ${os.cpus()[0]?.model ?? '?'}; node ${process.version}; ${ssh2AddonLine(false)}`);
    say(`load average at start: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    if (options.insertCost > 0) {
      await insertCost(work);
      return;
    }

    const t0 = now();
    const { core, internals } = await openData(mod, dataDir);
    const openMs = now() - t0;
    const db = internals.db;
    const own = db.prepare("SELECT count(*) FROM session_events WHERE kind = 'attempt'").pluck().get();
    const ownEvents = db.prepare('SELECT max(seq) FROM session_events').pluck().get();
    const held = db.prepare("SELECT count(*) FROM imported_events WHERE kind = 'attempt'").pluck().get();
    const heldEvents = db.prepare('SELECT count(*) FROM imported_events').pluck().get();
    const dbMb = fs.statSync(path.join(dataDir, 'switchboard.db')).size / 1e6;
    say(`own log ${own.toLocaleString('en')} sessions (${ownEvents.toLocaleString('en')} events), held ${held.toLocaleString('en')} sessions (${heldEvents.toLocaleString('en')} events), ${dbMb.toFixed(0)} MB; opened (and migrated) in ${(openMs / 1000).toFixed(1)} s\n`);

    const review = core.services.review;
    const ownLog = core.services.sessionLog;
    const result = { own, held, single: {}, combos: {} };

    const part = (name) => options.only === null || options.only.has(name);
    if (part('single')) say('team log, page of 500, per filter            match p50 / max          no match p50 / max');
    for (const [name, match, none] of part('single') ? SINGLE : []) {
      const m = await timed(options.runs, (i) => review.teamLog({ ...match(i), limit: 500 }));
      const n = await timed(options.runs, () => review.teamLog({ ...none, limit: 500 }));
      result.single[name] = { match: m, none: n };
      say(`  ${name.padEnd(40)} ${fmt(m.p50).padStart(8)} / ${fmt(m.max).padEnd(9)} ${fmt(n.p50).padStart(8)} / ${fmt(n.max)} ms`);
    }

    if (part('combos')) say('\ncombinations, page of 500                            own log p50 / max (found)      team log p50 / max (found)');
    for (const [name, filter] of part('combos') ? COMBOS : []) {
      const o = await timed(options.runs, () => ownLog.list({ ...filter, limit: 500 }));
      const t = await timed(options.runs, () => review.teamLog({ ...filter, limit: 500 }));
      result.combos[name] = { own: o, team: t };
      say(`  ${name.padEnd(50)} ${fmt(o.p50).padStart(8)} / ${fmt(o.max).padEnd(8)} (${String(o.found).padStart(3)})   ${fmt(t.p50).padStart(8)} / ${fmt(t.max).padEnd(8)} (${String(t.found).padStart(3)}) ms`);
    }
    await core.close();

    if (part('cli')) {
      const cliDefault = cliRun(cli, dataDir, ['--team']);
      const cliAll = cliRun(cli, dataDir, ['--team', '--all']);
      result.cli = { default: cliDefault, all: cliAll };
      say('\nswitchboard log list --team (built CLI, stdout to /dev/null)');
      say(`  default (200)     ${cliDefault.s.toFixed(2)} s   peak RSS ${cliDefault.rssMb.toFixed(0)} MB`);
      say(`  --all             ${cliAll.s.toFixed(2)} s   peak RSS ${cliAll.rssMb.toFixed(0)} MB`);
    }
    say(`load average at end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    if (options.json) console.log(JSON.stringify(result));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => { console.error(error); process.exit(1); });
