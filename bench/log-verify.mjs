#!/usr/bin/env node
// Session-log accountability benchmark: at 100k and 1M records, how long signing a checkpoint and
// `log verify` (chain + Merkle root + every checkpoint) take, against `sha256sum` over the same bytes
// (every record's canonical hashed form, written to a file) in the same process; and how long opening
// the data dir takes (start-up must not grow with the log). Not part of the test suite.
//
//   node bench/log-verify.mjs [--records 100000,1000000] [--runs 3]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleEntry, bundleModules, percentile } from './lib/bundle.mjs';
import { fillSessionLog, MemorySecrets } from './lib/session-log-fill.mjs';
import { ssh2AddonLine } from './lib/ssh2-addon.mjs';

function parseArgs(argv) {
  const options = { records: [100_000, 1_000_000], runs: 3 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--records') options.records = value().split(',').map((n) => Number(n.replace(/k$/i, '000').replace(/m$/i, '000000')));
    else if (flag === '--runs') options.runs = Number(value());
    else { console.error('usage: node bench/log-verify.mjs [--records 100000,1000000] [--runs 3]'); process.exit(2); }
  }
  return options;
}

const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;
const fmt = (n) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-verify-'));
  try {
    // The verify worker the bundled core looks for beside itself, as in the app's out/main.
    await bundleEntry(work, 'main/core/session-log/verify-worker.ts', 'verify-worker.cjs');
    const mod = await bundleModules(work, 'log-verify', [
      "export { assembleCore } from './main/core/wiring';",
      "export { canonicalRow } from './main/core/session-log/hash-chain';",
      "export { ROW_COLUMNS } from './main/core/session-log/verify';",
    ]);
    console.log(`Session-log verify benchmark (${options.runs} runs each); machine: ${os.availableParallelism()} CPUs, ${os.cpus()[0]?.model ?? '?'}; node ${process.version}; ${ssh2AddonLine(false)}`);
    for (const records of options.records) {
      const dataDir = path.join(work, `data-${records}`);
      const secrets = new MemorySecrets();
      let { core, internals } = mod.assembleCore({ dataDir, mode: 'cli', secretStore: secrets, engineer: 'bench@example.com' });
      await core.services.accountability.initIdentity({ name: 'Bench', email: 'bench@example.com', role: 'engineer' });
      const fillMs = fillSessionLog({ db: internals.db, sessionLog: internals.sessionLog }, records - 1).ms;
      await core.close();

      // Start-up: open the data dir again (migrations, recovery of open sessions, the Merkle cache check).
      const opens = [];
      for (let i = 0; i < options.runs; i++) {
        const t = process.hrtime.bigint();
        ({ core, internals } = mod.assembleCore({ dataDir, mode: 'cli', secretStore: secrets, engineer: 'bench@example.com' }));
        opens.push(ms(t));
        if (i < options.runs - 1) await core.close();
      }
      const sign = [];
      for (let i = 0; i < Math.max(5, options.runs); i++) {
        const t = process.hrtime.bigint();
        await core.services.accountability.checkpoint();
        sign.push(ms(t));
      }
      const verify = [];
      let result;
      for (let i = 0; i < options.runs; i++) {
        const t = process.hrtime.bigint();
        result = await core.services.accountability.verify();
        verify.push(ms(t));
      }
      if (!result.ok) throw new Error(`verify failed: ${result.message}`);

      // Reference: sha256sum over exactly the bytes the chain hashes (one canonical row per record).
      const file = path.join(work, `rows-${records}.txt`);
      const fd = fs.openSync(file, 'w');
      let bytes = 0;
      let chunk = [];
      for (const row of internals.db.prepare(`SELECT ${mod.ROW_COLUMNS} FROM session_events ORDER BY seq`).iterate()) {
        const { hash: _hash, ...rest } = row;
        chunk.push(mod.canonicalRow(rest));
        if (chunk.length === 10_000) { const text = chunk.join('\n') + '\n'; bytes += Buffer.byteLength(text); fs.writeSync(fd, text); chunk = []; }
      }
      if (chunk.length) { const text = chunk.join('\n') + '\n'; bytes += Buffer.byteLength(text); fs.writeSync(fd, text); }
      fs.closeSync(fd);
      const reference = [];
      for (let i = 0; i < options.runs; i++) {
        const t = process.hrtime.bigint();
        execFileSync('sha256sum', [file]);
        reference.push(ms(t));
      }
      fs.rmSync(file);
      await core.close();
      const dbBytes = fs.statSync(path.join(dataDir, 'switchboard.db')).size;
      const v = percentile(verify, 50);
      const r = percentile(reference, 50);
      console.log(`\n${records.toLocaleString('en')} records (${(dbBytes / 1e6).toFixed(0)} MB database, ${(bytes / 1e6).toFixed(0)} MB hashed; filled in ${fmt(fillMs / 1000)} s)`);
      console.log(`  open data dir       p50 ${fmt(percentile(opens, 50))} ms   max ${fmt(Math.max(...opens))} ms`);
      console.log(`  sign checkpoint     p50 ${fmt(percentile(sign, 50))} ms   p99 ${fmt(percentile(sign, 99))} ms`);
      console.log(`  log verify          p50 ${fmt(v)} ms`);
      console.log(`  sha256sum (same bytes) p50 ${fmt(r)} ms`);
      console.log(`  ratio verify / sha256sum: ${(v / r).toFixed(2)}  (target ≤ 2)`);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => { console.error(error); process.exit(1); });
