#!/usr/bin/env node
// Does long work on a big session log stall the core? (issue 13 §4) At 1M sessions (~2.9M events):
//  - a log.list (the window's page of 500) sent while Verify runs, against the same list alone, with
//    Verify on worker threads (the app) and on the core's own thread (a build without the worker bundle);
//  - `switchboard log list` through the built CLI: the default page, and --all streamed to /dev/null
//    (wall time and peak RSS from /usr/bin/time);
//  - every log filter with a value that matches and one that matches nothing (p50 / max).
// Not part of the test suite.
//
//   node bench/core-stall.mjs [--sessions 1000000] [--runs 20] [--data DIR] [--json]
// --data DIR keeps the generated data dir there and reuses it on the next run (generation takes minutes).
// --json: the human lines go to stderr and the last line on stdout is one JSON object.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleEntry, bundleModules, percentile } from './lib/bundle.mjs';
import { eventsForSessions, fillSessionLog, MemorySecrets } from './lib/session-log-fill.mjs';
import { ssh2AddonLine } from './lib/ssh2-addon.mjs';

function parseArgs(argv) {
  const options = { sessions: 1_000_000, runs: 20, data: null, json: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--sessions') options.sessions = Number(value().replace(/k$/i, '000').replace(/m$/i, '000000'));
    else if (flag === '--runs') options.runs = Number(value());
    else if (flag === '--data') options.data = path.resolve(value());
    else if (flag === '--json') options.json = true;
    else { console.error('usage: node bench/core-stall.mjs [--sessions 1000000] [--runs 20] [--data DIR] [--json]'); process.exit(2); }
  }
  return options;
}

const options = parseArgs(process.argv.slice(2));
const say = (line = '') => (options.json ? console.error(line) : console.log(line));
const now = () => performance.now();
const fmt = (n) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

/** Opens the data dir, generating the log first when it is new; the keychain's entries live beside it. */
async function openData(mod, dataDir) {
  const secretsFile = `${dataDir}.secrets.json`;
  const secrets = new MemorySecrets();
  const fresh = !fs.existsSync(path.join(dataDir, 'switchboard.db'));
  if (!fresh) for (const [k, v] of JSON.parse(fs.readFileSync(secretsFile, 'utf8'))) secrets.map.set(k, v);
  const opened = mod.assembleCore({ dataDir, mode: 'cli', secretStore: secrets, engineer: 'bench@example.com' });
  if (fresh) {
    await opened.core.services.accountability.initIdentity({ name: 'Bench', email: 'bench@example.com', role: 'engineer' });
    const filled = fillSessionLog(opened.internals, eventsForSessions(options.sessions));
    say(`generated ${filled.sessions.toLocaleString('en')} sessions in ${(filled.ms / 1000).toFixed(0)} s`);
    await opened.core.services.accountability.checkpoint();
    opened.internals.db.exec('ANALYZE');
    fs.writeFileSync(secretsFile, JSON.stringify([...secrets.map]));
  }
  return { ...opened, secrets };
}

async function listLatency(core) {
  const t = now();
  const result = await core.dispatch('log.list', { limit: 500 });
  if (!result.ok) throw new Error(result.error.message);
  return now() - t;
}

/**
 * A log.list due every 50 ms while a verification runs, as a person clicking around would send it; each
 * wait is counted from when it was due (a timer that fires late because the thread was busy counts too).
 * At least one is sent, so a verification that holds the thread shows as one long wait.
 */
async function listsDuringVerify(core, startVerify) {
  const PERIOD = 50;
  const t0 = now();
  let finished = false;
  const verified = startVerify().then((r) => { finished = true; return r; });
  const waits = [];
  let due = now() + PERIOD;
  while (!finished || waits.length === 0) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - now())));
    if (finished && waits.length > 0) break;
    const result = await core.dispatch('log.list', { limit: 500 });
    if (!result.ok) throw new Error(result.error.message);
    waits.push(now() - due);
    due = Math.max(now(), due + PERIOD);
  }
  const result = await verified;
  return { waits, verifyMs: now() - t0, result };
}

/** Verify as the window runs it now: a job on worker threads, polled. */
async function verifyJob(core) {
  let job = (await core.dispatch('log.verifyStart', {})).value;
  while (job.state === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 50));
    job = (await core.dispatch('log.verifyJob', { jobId: job.jobId })).value;
  }
  return job.result;
}

function cliRun(cli, dataDir, args) {
  const run = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, cli, '--data-dir', dataDir, 'log', 'list', ...args], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  if (run.status !== 0) throw new Error(`log list ${args.join(' ')} failed: ${run.stderr}`);
  const [seconds, kb] = run.stderr.toString().trim().split('\n').at(-1).split(' ').map(Number);
  return { s: seconds, rssMb: kb / 1024 };
}

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-stall-'));
  const dataDir = options.data ?? path.join(work, 'data');
  try {
    // The app's core, with the verify worker beside it (as in out/main), and a second build without it:
    // the core's own thread verifies, as it did whenever the worker path was not taken.
    const withWorkers = path.join(work, 'workers');
    const without = path.join(work, 'this-thread');
    fs.mkdirSync(withWorkers);
    fs.mkdirSync(without);
    await bundleEntry(withWorkers, 'main/core/session-log/verify-worker.ts', 'verify-worker.cjs');
    const entry = ["export { assembleCore } from './main/core/wiring';"];
    const mod = await bundleModules(withWorkers, 'core-stall', entry);
    const modThisThread = await bundleModules(without, 'core-stall', entry);
    await bundleEntry(work, 'main/cli/main.ts', 'cli.cjs');
    const cli = path.join(work, 'cli.cjs');
    say(`Core-stall benchmark; machine: ${os.availableParallelism()} CPUs, ${os.cpus()[0]?.model ?? '?'}; node ${process.version}; ${ssh2AddonLine(false)}`);

    const { core, internals, secrets } = await openData(mod, dataDir);
    const events = internals.db.prepare('SELECT max(seq) FROM session_events').pluck().get();
    const sessions = internals.db.prepare('SELECT count(*) FROM session_outcomes').pluck().get();
    const dbMb = fs.statSync(path.join(dataDir, 'switchboard.db')).size / 1e6;
    say(`${sessions.toLocaleString('en')} sessions, ${events.toLocaleString('en')} events, ${dbMb.toFixed(0)} MB database\n`);

    // 1. log.list alone, then while Verify runs (workers), then while Verify runs on the core's thread.
    for (let i = 0; i < 5; i++) await listLatency(core);
    const alone = [];
    for (let i = 0; i < options.runs; i++) alone.push(await listLatency(core));
    const workers = await listsDuringVerify(core, () => verifyJob(core));
    if (!workers.result?.ok) throw new Error(`verify failed: ${JSON.stringify(workers.result)}`);
    await core.close();
    const old = modThisThread.assembleCore({ dataDir, mode: 'cli', secretStore: secrets, engineer: 'bench@example.com' });
    const thread = await listsDuringVerify(old.core, () => old.core.dispatch('log.verify', {}));
    await old.core.close();
    say('log.list (the window\'s page of 500)');
    say(`  alone                               p50 ${fmt(percentile(alone, 50))} ms   max ${fmt(Math.max(...alone))} ms`);
    say(`  while Verify runs on worker threads p50 ${fmt(percentile(workers.waits, 50))} ms   max ${fmt(Math.max(...workers.waits))} ms   (${workers.waits.length} sent; Verify ${(workers.verifyMs / 1000).toFixed(1)} s)`);
    say(`  while Verify runs on the core thread p50 ${fmt(percentile(thread.waits, 50))} ms   max ${fmt(Math.max(...thread.waits))} ms   (${thread.waits.length} sent; Verify ${(thread.verifyMs / 1000).toFixed(1)} s)`);

    // 2. The CLI's log list: the default page and every record streamed.
    const cliDefault = cliRun(cli, dataDir, []);
    const cliAll = cliRun(cli, dataDir, ['--all']);
    say('\nswitchboard log list (built CLI, stdout to /dev/null)');
    say(`  default (200 + "N more")  ${cliDefault.s.toFixed(2)} s   peak RSS ${cliDefault.rssMb.toFixed(0)} MB`);
    say(`  --all (streamed)          ${cliAll.s.toFixed(2)} s   peak RSS ${cliAll.rssMb.toFixed(0)} MB`);

    // 3. Each filter: a value that matches and one that matches nothing.
    const reopened = mod.assembleCore({ dataDir, mode: 'cli', secretStore: secrets, engineer: 'bench@example.com' });
    const log = reopened.core.services.sessionLog;
    const filters = [
      ['ticket', (i) => ({ ticket: `EXO-${40000 + (i % 5000)}` }), { ticket: 'EXO-99999' }],
      ['engineer', (i) => ({ engineer: `engineer${i % 40}@example.com` }), { engineer: 'nobody@example.com' }],
      ['site', (i) => ({ site: `Customer ${i % 100}/site-${i % 7}` }), { site: 'Customer 3/site-9' }],
      ['customer', (i) => ({ site: `Customer ${i % 100}` }), { site: 'Nobody Ltd' }],
      ['method', () => ({ method: 'ssh' }), { method: 'vnc' }],
      ['outcome', (i) => ({ outcome: i % 2 ? 'completed' : 'denied' }), { outcome: 'failed' }],
    ];
    const filterResults = {};
    say('\nlog list, page of 500, per filter       match p50 / max        no match p50 / max');
    for (const [name, match, none] of filters) {
      const m = [];
      const n = [];
      for (let i = 0; i < options.runs; i++) {
        let t = now();
        await log.list({ ...match(i), limit: 500 });
        m.push(now() - t);
        t = now();
        await log.list({ ...none, limit: 500 });
        n.push(now() - t);
      }
      filterResults[name] = { match_p50: percentile(m, 50), nomatch_p50: percentile(n, 50), nomatch_max: Math.max(...n) };
      say(`  ${name.padEnd(36)} ${fmt(percentile(m, 50)).padStart(7)} / ${fmt(Math.max(...m)).padEnd(9)} ${fmt(percentile(n, 50)).padStart(7)} / ${fmt(Math.max(...n))} ms`);
    }
    await reopened.core.close();

    if (options.json) {
      console.log(JSON.stringify({
        sessions, events,
        list_alone_ms: percentile(alone, 50),
        list_during_verify_workers_max_ms: Math.max(...workers.waits),
        list_during_verify_this_thread_max_ms: Math.max(...thread.waits),
        verify_workers_s: workers.verifyMs / 1000,
        cli_default_s: cliDefault.s, cli_default_rss_mb: cliDefault.rssMb, cli_all_s: cliAll.s, cli_all_rss_mb: cliAll.rssMb,
        filters: filterResults,
      }));
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => { console.error(error); process.exit(1); });
