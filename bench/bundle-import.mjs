#!/usr/bin/env node
// Does a lead's bundle import stall the core? (issue 13 §4) An engineer's bundle of N sessions (attempt
// and end each, no recordings) imported into a fresh lead data dir, with a log.list due every 50 ms
// meanwhile (each wait counted from when it was due, so a timer held up by a busy thread counts too),
// each followed by a write of the core's own (a session attempt appended to the lead's log; its time,
// which includes any wait for SQLite's write lock while the import writes on another connection):
//  - through `review.import` (what the CLI calls), and
//  - as a job, `review.importStart` polled with `review.importJob` (what the window runs), when the
//    checkout has it.
// Not part of the test suite. Before/after: run it in a copy of the older checkout (git archive).
//
//   node bench/bundle-import.mjs [--sessions 15000] [--json]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleEntry, bundleModules } from './lib/bundle.mjs';
import { MemorySecrets } from './lib/session-log-fill.mjs';
import { ssh2AddonLine } from './lib/ssh2-addon.mjs';

const options = { sessions: 15_000, json: false };
for (let i = 2; i < process.argv.length; i++) {
  const [flag, inline] = process.argv[i].split('=', 2);
  if (flag === '--sessions') options.sessions = Number((inline ?? process.argv[++i]).replace(/k$/i, '000'));
  else if (flag === '--json') options.json = true;
  else { console.error('usage: node bench/bundle-import.mjs [--sessions 15000] [--json]'); process.exit(2); }
}
const say = (line = '') => (options.json ? console.error(line) : console.log(line));
const now = () => performance.now();
const fmt = (n) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

async function value(core, method, input) {
  const result = await core.dispatch(method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value;
}

async function person(mod, work, name, email, role) {
  const dataDir = fs.mkdtempSync(path.join(work, `${role}-`));
  const opened = mod.assembleCore({ dataDir, mode: 'cli', secretStore: new MemorySecrets(), engineer: email });
  await opened.core.services.accountability.initIdentity({ name, email, role });
  return opened;
}

/** A lead's fresh data dir trusting the engineer: its own roster with both of them, signed and imported. */
async function freshLead(mod, work, engineerKey) {
  const lead = await person(mod, work, 'Lena Park', 'lena@example.com', 'lead');
  const acc = lead.core.services.accountability;
  const signed = await acc.signRoster(`version: 1
team: Bench
members:
  - { name: Lena Park, email: lena@example.com, role: lead, public_key: "${(await acc.identity()).publicKey}" }
  - { name: Ravi Nair, email: ravi@example.com, role: engineer, public_key: "${engineerKey}" }
`);
  await acc.importRoster(signed);
  return lead;
}

/** The import, with a log.list due every 50 ms until it ends (at least one, so a held thread shows), each followed by an own write. */
async function listsDuring(core, sessionLog, runImport) {
  const PERIOD = 50;
  const t0 = now();
  let finished = false;
  const imported = runImport().then((r) => { finished = true; return r; });
  const waits = [];
  const writes = [];
  let due = now() + PERIOD;
  while (!finished || waits.length === 0) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - now())));
    // A timer held up past the import's end by a busy thread is a list that would have waited that long.
    if (finished && waits.length > 0) { waits.push(now() - due); break; }
    await value(core, 'log.list', { limit: 500 });
    waits.push(now() - due);
    if (!finished) {
      const w = now();
      sessionLog.append({ sessionId: `own-${writes.length}`, kind: 'attempt', engineer: 'lena@example.com', ticket: 'EXO-1', site: 'Acme/Pune', host: 'pbx1', method: 'ssh', decision: 'allow', outcome: 'allowed' });
      writes.push(now() - w);
    }
    due = Math.max(now(), due + PERIOD);
  }
  const result = await imported;
  return { waits, writes, ms: now() - t0, result };
}

async function importJob(core, text) {
  let job = await value(core, 'review.importStart', { text });
  while (job.state === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 50));
    job = await value(core, 'review.importJob', { jobId: job.jobId });
  }
  if (job.state !== 'done') throw new Error(`import ${job.state}: ${job.error}`);
  return job.result;
}

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-import-'));
  try {
    // The app's core with the log's worker beside it, as in out/main.
    if (fs.existsSync(path.join(process.cwd(), 'main/core/session-log/verify-worker.ts'))) await bundleEntry(work, 'main/core/session-log/verify-worker.ts', 'verify-worker.cjs');
    const mod = await bundleModules(work, 'bundle-import', ["export { assembleCore } from './main/core/wiring';", "export { API_METHOD_NAMES } from './contract/method-names';"]);
    const hasJob = [...mod.API_METHOD_NAMES].includes('review.importStart');
    say(`Bundle-import benchmark; machine: ${os.availableParallelism()} CPUs, ${os.cpus()[0]?.model ?? '?'}; node ${process.version}; ${ssh2AddonLine(false)}`);

    const ravi = await person(mod, work, 'Ravi Nair', 'ravi@example.com', 'engineer');
    const db = ravi.internals.db;
    db.pragma('synchronous = OFF');
    db.transaction(() => {
      for (let i = 0; i < options.sessions; i++) {
        const base = { sessionId: `s-${i}`, engineer: 'ravi@example.com', ticket: `EXO-${i % 500}`, site: 'Acme/Pune', host: 'pbx1', method: 'ssh' };
        ravi.internals.sessionLog.append({ ...base, kind: 'attempt', decision: 'allow', outcome: 'allowed' });
        ravi.internals.sessionLog.append({ ...base, kind: 'ended', outcome: 'completed', detail: { exitCode: 0 } });
      }
    })();
    const raviKey = (await ravi.core.services.accountability.identity()).publicKey;
    const bundle = await ravi.core.services.accountability.bundle();
    say(`bundle: ${options.sessions.toLocaleString('en')} sessions, ${bundle.to.toLocaleString('en')} records, ${(bundle.text.length / 1e6).toFixed(1)} MB`);

    const alone = await freshLead(mod, work, raviKey);
    const t = now();
    await value(alone.core, 'log.list', { limit: 500 });
    const aloneMs = now() - t;
    say(`log.list alone: ${fmt(aloneMs)} ms`);

    const out = { sessions: options.sessions, records: bundle.to, list_alone_ms: aloneMs };
    const runs = [['review.import', (core) => value(core, 'review.import', { text: bundle.text })]];
    if (hasJob) runs.push(['job', (core) => importJob(core, bundle.text)]);
    for (const [name, run] of runs) {
      const lead = await freshLead(mod, work, raviKey);
      const { waits, writes, ms, result } = await listsDuring(lead.core, lead.internals.sessionLog, () => run(lead.core));
      if (result.sessions !== options.sessions) throw new Error(`imported ${result.sessions} sessions`);
      const sorted = [...waits].sort((a, b) => a - b);
      const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))];
      const writeMax = writes.length ? Math.max(...writes) : 0;
      say(`${name.padEnd(13)} import ${(ms / 1000).toFixed(2)} s; a log.list meanwhile: max wait ${fmt(Math.max(...waits))} ms, p99 ${fmt(p99)} ms, ${waits.length} sent; an own write meanwhile: max ${fmt(writeMax)} ms (${writes.length})`);
      out[name === 'job' ? 'job' : 'import'] = { import_s: ms / 1000, list_max_ms: Math.max(...waits), list_p99_ms: p99, lists: waits.length, write_max_ms: writeMax, writes: writes.length };
    }
    out.load_average = os.loadavg().map((n) => Number(n.toFixed(2)));
    if (options.json) console.log(JSON.stringify(out));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

await main();
