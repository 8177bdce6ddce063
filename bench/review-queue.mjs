#!/usr/bin/env node
// Review-queue benchmark: the lead's queue at 1M imported sessions (40 engineers, 100 customers × 7
// sites, 5000 tickets), first page of 50 for each filter, p50/p99 over many values of the filter.
// The reference in the same process is the same page read with no filter. Not part of the test suite.
//
//   node bench/review-queue.mjs [--sessions 1000000] [--runs 200]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleModules, percentile } from './lib/bundle.mjs';
import { ssh2AddonLine } from './lib/ssh2-addon.mjs';

function parseArgs(argv) {
  const options = { sessions: 1_000_000, runs: 200 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => Number(inline ?? argv[++i]);
    if (flag === '--sessions') options.sessions = value();
    else if (flag === '--runs') options.runs = value();
    else { console.error('usage: node bench/review-queue.mjs [--sessions 1000000] [--runs 200]'); process.exit(2); }
  }
  return options;
}

const ENGINEERS = 40;
const CUSTOMERS = 100;
const SITES = 7;
const METHODS = ['ssh', 'https', 'vnc', 'anydesk', 'teamviewer', 'vpn'];
const OUTCOMES = ['completed', 'denied', 'failed', 'disconnected', 'interrupted', 'launched'];
const STATES = ['unreviewed', 'unreviewed', 'unreviewed', 'reviewed', 'flagged', 'signed-off'];

function fill(db, sessions) {
  const insertLog = db.prepare(`INSERT INTO imported_logs (engineer_key, engineer, engineer_name, origin, first_seq, size, root_hash, frontier, checkpoint_note, accepted_at)
    VALUES (?, ?, ?, ?, 1, 0, '', '[]', '', '2026-01-01T00:00:00Z')`);
  const insert = db.prepare(`INSERT INTO review_sessions (engineer_key, engineer, session_id, started_at, ended_at, ticket, customer, site, host, method, decision, outcome, exception, recording_sha256, state)
    VALUES (@key, @engineer, @sessionId, @at, @at, @ticket, @customer, @site, @host, @method, @decision, @outcome, @exception, NULL, @state)`);
  db.transaction(() => {
    for (let e = 0; e < ENGINEERS; e++) insertLog.run(`SHA256:engineer-${e}`, `engineer${e}@example.com`, `Engineer ${e}`, `switchboard/log/${e}`);
  })();
  const start = Date.UTC(2026, 0, 1);
  for (let done = 0; done < sessions;) {
    db.transaction(() => {
      for (const end = Math.min(sessions, done + 50_000); done < end; done++) {
        const e = (done * 7919) % ENGINEERS;
        const c = (done * 104729) % CUSTOMERS;
        const outcome = OUTCOMES[done % OUTCOMES.length];
        insert.run({
          key: `SHA256:engineer-${e}`, engineer: `engineer${e}@example.com`, sessionId: `session-${done}`,
          at: new Date(start + done * 30_000).toISOString(), ticket: `EXO-${40000 + ((done * 31) % 5000)}`,
          customer: `Customer ${c}`, site: `site-${done % SITES}`, host: `pbx${done % 5}`, method: METHODS[done % METHODS.length],
          decision: outcome === 'denied' ? 'deny' : 'allow', outcome, exception: done % 50 === 0 ? 1 : 0, state: STATES[(done * 13) % STATES.length],
        });
      }
    })();
  }
  db.exec('ANALYZE');
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-review-'));
  try {
    const mod = await bundleModules(work, 'review-queue', [
      "export { openDatabase } from './main/core/store/database';",
      "export { ReviewQueue } from './main/core/accountability/review-queue';",
    ]);
    const db = mod.openDatabase(path.join(work, 'data'));
    db.pragma('synchronous = OFF');
    const t0 = process.hrtime.bigint();
    fill(db, options.sessions);
    db.pragma('synchronous = FULL');
    const queue = new mod.ReviewQueue(db);
    const pick = (i, list) => list[i % list.length];
    const filters = {
      'first page (no filter)': () => ({}),
      'by engineer': (i) => ({ engineer: `engineer${i % ENGINEERS}@example.com` }),
      'by customer': (i) => ({ customer: `Customer ${(i * 37) % CUSTOMERS}` }),
      'by site': (i) => ({ site: `Customer ${(i * 37) % CUSTOMERS}/site-${i % SITES}` }),
      'by ticket': (i) => ({ ticket: `EXO-${40000 + ((i * 97) % 5000)}` }),
      'by method': (i) => ({ method: pick(i, METHODS) }),
      'by outcome': (i) => ({ outcome: pick(i, OUTCOMES) }),
      'by state': (i) => ({ state: pick(i, ['unreviewed', 'reviewed', 'flagged', 'signed-off']) }),
      'by date range (a week)': (i) => {
        const weeks = Math.max(1, Math.floor((options.sessions * 30_000) / (7 * 86_400_000)) - 1);
        const from = new Date(Date.UTC(2026, 0, 1) + (i % weeks) * 7 * 86_400_000);
        return { from: from.toISOString().slice(0, 10), to: new Date(from.getTime() + 6 * 86_400_000).toISOString().slice(0, 10) };
      },
      'engineer + state': (i) => ({ engineer: `engineer${i % ENGINEERS}@example.com`, state: 'unreviewed' }),
      'site + date range': (i) => ({ site: `Customer ${(i * 37) % CUSTOMERS}/site-${i % SITES}`, from: '2026-01-10', to: '2026-02-20' }),
    };
    console.log(`Review-queue benchmark: ${options.sessions.toLocaleString('en')} imported sessions (filled in ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s), first page of 50, ${options.runs} runs per filter`);
    console.log(`machine: ${os.availableParallelism()} CPUs, ${os.cpus()[0]?.model ?? '?'}; node ${process.version}; ${ssh2AddonLine(false)}\n`);
    console.log(`${'filter'.padEnd(26)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'rows'.padStart(6)}  (target p99 ≤ 1 ms)`);
    for (const [name, make] of Object.entries(filters)) {
      for (let i = 0; i < 20; i++) queue.list({ ...make(i), limit: 50 }); // warm the page cache
      const times = [];
      let rows = 0;
      for (let i = 0; i < options.runs; i++) {
        const filter = { ...make(i), limit: 50 };
        const t = process.hrtime.bigint();
        rows = queue.list(filter).sessions.length;
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      console.log(`${name.padEnd(26)} ${percentile(times, 50).toFixed(3).padStart(8)} ${percentile(times, 99).toFixed(3).padStart(8)} ${String(rows).padStart(6)}`);
    }
    db.close();
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => { console.error(error); process.exit(1); });
