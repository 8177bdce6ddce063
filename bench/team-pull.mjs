#!/usr/bin/env node
// Does a lead's pull of the team's records stall the core? (issue 13 §4) A real PostgreSQL with --engineers
// engineers' hash chains (--records in all, COPY with the triggers off), then the lead's pull into a fresh
// SQLite data dir — pullTeamRecords, what `team sync` runs for a lead: every record re-hashed and linked,
// written into the held log, each touched session folded into the review queue — on this thread, while a
// probe timer asks for the thread every 2 ms. Reported per run: the pull's time and the probe's waits
// (worst and p99: how long a request arriving during the pull waits for the core's thread).
// Not part of the test suite.
//
//   node bench/team-pull.mjs [--records 30000] [--engineers 3] [--runs 3] [--json]
// --json: the last line on stdout is one JSON object.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { percentile } from './lib/bundle.mjs';
import { addBenchMember, BENCH_SETTINGS, bundleTeamStore, copyChunks, copyFrom, makeChain } from './lib/team-store.mjs';
import { ssh2AddonLine } from './lib/ssh2-addon.mjs';

function parseArgs(argv) {
  const options = { records: 30_000, engineers: 3, runs: 3, json: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--records') options.records = Number(value());
    else if (flag === '--engineers') options.engineers = Number(value());
    else if (flag === '--runs') options.runs = Number(value());
    else if (flag === '--json') options.json = true;
    else { console.error('usage: node bench/team-pull.mjs [--records 30000] [--engineers 3] [--runs 3] [--json]'); process.exit(2); }
  }
  return options;
}

const PROBE_MS = 2;

/** Runs `work` while a timer asks for this thread every PROBE_MS; the timer's lateness is a request's wait. */
async function probed(work) {
  const waits = [];
  let due = performance.now() + PROBE_MS;
  let timer = null;
  const tick = () => {
    const now = performance.now();
    waits.push(Math.max(0, now - due));
    due = now + PROBE_MS;
    timer = setTimeout(tick, PROBE_MS);
  };
  timer = setTimeout(tick, PROBE_MS);
  const started = performance.now();
  try {
    const value = await work();
    return { value, ms: performance.now() - started, worst: Math.max(0, ...waits), p99: percentile(waits, 99) };
  } finally {
    clearTimeout(timer);
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const say = options.json ? (line = '') => console.error(line) : (line = '') => console.log(line);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-team-pull-'));
  const mod = await bundleTeamStore(work);
  const server = await mod.startPostgres({ settings: BENCH_SETTINGS, startTimeoutMs: 60_000 });
  const admin = await server.connect();
  try {
    const migrated = await mod.migrateTeamStore(admin);
    const columns = ['login', ...mod.EVENT_COLUMNS, 'hash'];
    const copier = await server.connect();
    await copier.query('SET session_replication_role = replica');
    const each = Math.ceil(options.records / options.engineers);
    for (let e = 0; e < options.engineers; e++) {
      const login = `sb_engineer${e}`;
      await addBenchMember(admin, mod, { login, name: `Engineer ${e}`, email: `engineer${e}@example.com`, password: `bench-password-${e}` });
      const chain = makeChain(mod, { count: each, engineer: `engineer${e}@example.com`, startMs: Date.UTC(2026, 0, 5, 8) + e * 37_000, seed: e * 10_000_000 });
      await copyFrom(copier, `COPY switchboard.log_records (${columns.join(', ')}) FROM STDIN`, copyChunks(chain.map((r) => ({ ...r, login })), columns));
    }
    await copier.end();
    await addBenchMember(admin, mod, { login: 'sb_lead', name: 'Lead', email: 'lead@example.com', role: 'lead', password: 'bench-lead-password' });
    say(`Team pull benchmark: ${(each * options.engineers).toLocaleString('en')} records of ${options.engineers} engineers, PostgreSQL ${server.version}, schema ${migrated.to}; ` +
      `machine: ${os.availableParallelism()} CPUs, ${os.cpus()[0]?.model ?? '?'}; node ${process.version}; ${ssh2AddonLine(false)}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    say(`probe: a timer every ${PROBE_MS} ms on the pulling thread; its lateness is how long a request arriving then waits`);
    const noRoster = { current: () => null };
    const runs = [];
    for (let run = 1; run <= options.runs; run++) {
      const db = mod.openDatabase(path.join(work, `lead-${run}`));
      const lead = await server.connect(server.url('sb_lead', 'bench-lead-password'));
      try {
        const r = await probed(() => mod.pullTeamRecords(lead, db, noRoster, 0));
        if (r.value.pulled !== each * options.engineers) throw new Error(`pulled ${r.value.pulled} records, expected ${each * options.engineers}`);
        const held = db.prepare('SELECT count(*) AS n FROM review_sessions').get().n;
        runs.push(r);
        say(`run ${run}: ${r.value.pulled.toLocaleString('en')} records, ${held.toLocaleString('en')} sessions in the review queue, in ${(r.ms / 1000).toFixed(2)} s; ` +
          `a request's wait: worst ${r.worst.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms; load average ${os.loadavg()[0].toFixed(2)}`);
      } finally {
        await lead.end();
        db.close();
      }
    }
    const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
    const result = { records: each * options.engineers, pull_s: median(runs.map((r) => r.ms)) / 1000, worst_wait_ms: Math.max(...runs.map((r) => r.worst)), p99_wait_ms: median(runs.map((r) => r.p99)) };
    say(`median pull ${result.pull_s.toFixed(2)} s; worst wait ${result.worst_wait_ms.toFixed(1)} ms, p99 (median of runs) ${result.p99_wait_ms.toFixed(1)} ms`);
    if (options.json) console.log(JSON.stringify(result));
  } finally {
    await admin.end();
    await server.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => { console.error(error); process.exit(1); });
