#!/usr/bin/env node
// Team-store sync throughput (issue 11): pushing one engineer's chain of 100k records into a real
// PostgreSQL through the outbox path (TeamLink.sync itself, from a SQLite data dir, as the member's own
// login over verify-full TLS, every trigger on) against `COPY … FROM STDIN` of the same rows into the
// same table, also with every trigger on; and, for scale and to see where the time goes, COPY and the
// push with the triggers off, the push at other batch sizes, and the trigger's parts alone. Not part of
// the test suite.
//
//   node bench/team-sync.mjs [--records 100000] [--runs 3] [--batches 500,1000,2000]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addBenchMember, BENCH_SETTINGS, bundleTeamStore, copyChunks, copyFrom, makeChain } from './lib/team-store.mjs';
import { ssh2AddonLine } from './lib/ssh2-addon.mjs';

function parseArgs(argv) {
  const options = { records: 100_000, runs: 3, batches: [500, 1000, 2000] };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--records') options.records = Number(value());
    else if (flag === '--runs') options.runs = Number(value());
    else if (flag === '--batches') options.batches = value().split(',').map(Number);
    else { console.error('usage: node bench/team-sync.mjs [--records 100000] [--runs 3] [--batches 500,1000,2000]'); process.exit(2); }
  }
  return options;
}

const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

class MemorySecrets {
  constructor(password) { this.password = password; }
  async get() { return this.password; }
  async set() {}
  async delete() { return true; }
  async probe() {}
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-team-sync-'));
  const mod = await bundleTeamStore(work);
  const server = await mod.startPostgres({ settings: BENCH_SETTINGS, startTimeoutMs: 60_000 });
  const admin = await server.connect();
  try {
    const migrated = await mod.migrateTeamStore(admin);
    const login = 'sb_bench_engineer';
    const password = 'bench-password-1';
    await addBenchMember(admin, mod, { login, name: 'Bench Engineer', email: 'engineer0@example.com', password });
    const t0 = process.hrtime.bigint();
    const chain = makeChain(mod, { count: options.records, engineer: 'engineer0@example.com' });
    const bytes = chain.reduce((sum, r) => sum + JSON.stringify(r).length, 0);
    console.log(`Team-store sync benchmark: ${options.records.toLocaleString('en')} records of one chain (${(bytes / 1e6).toFixed(1)} MB as JSON, ` +
      `${(bytes / options.records).toFixed(0)} B/record; generated and hashed in ${(ms(t0) / 1000).toFixed(1)} s), PostgreSQL ${server.version}, ` +
      `schema ${migrated.to} (${migrated.applied.join(', ')}), ${options.runs} runs each, median`);
    console.log(`machine: ${os.availableParallelism()} CPUs, ${os.cpus()[0]?.model ?? '?'}; node ${process.version}; ${ssh2AddonLine(false)}; server settings ${JSON.stringify(BENCH_SETTINGS)}\n`);

    const reset = async () => {
      await admin.query("SET session_replication_role = replica"); // TRUNCATE's refusing trigger is off for this reset only
      await admin.query('TRUNCATE switchboard.log_records RESTART IDENTITY CASCADE');
      await admin.query('RESET session_replication_role');
      await admin.query('CHECKPOINT');
    };
    const memberUrl = server.url(login, password);
    const connectMember = () => server.connect(memberUrl);

    // The SQLite data dir the real outbox pushes from: the same chain in session_events.
    const db = mod.openDatabase(path.join(work, 'data'));
    db.pragma('synchronous = OFF');
    const columns = [...mod.EVENT_COLUMNS, 'hash'];
    const insertLocal = db.prepare(`INSERT INTO session_events (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`);
    db.transaction(() => { for (const row of chain) insertLocal.run(row); })();
    db.prepare("INSERT INTO store_meta (key, value) VALUES ('team_url', ?), ('team_login', ?)")
      .run(`postgresql://127.0.0.1:${server.port}/postgres?sslmode=verify-full&sslrootcert=${encodeURIComponent(server.caFile)}`, login);
    // An engineer's data dir with no roster or identity of its own here: sync pushes, and has no checkpoint to witness.
    const noRoster = { current: () => null, leads: () => [], member: () => null };
    const noIdentity = { current: () => null, require: () => { throw new Error('no identity in the benchmark'); } };
    const link = new mod.TeamLink(db, new MemorySecrets(password), noIdentity, noRoster);

    // The statement TeamLink.sync sends (team-link.ts insertStatement), at a chosen batch size.
    const insertStatement = (rows) => {
      const width = columns.length;
      const values = Array.from({ length: rows }, (_, r) => `(${columns.map((_, c) => `$${r * width + c + 1}`).join(', ')})`);
      return `INSERT INTO switchboard.log_records (${columns.join(', ')}) VALUES ${values.join(', ')}`;
    };
    const push = async (client, rows, batch) => {
      for (let i = 0; i < rows.length; i += batch) {
        const slice = rows.slice(i, i + batch);
        await client.query('BEGIN');
        await client.query(insertStatement(slice.length), slice.flatMap((row) => columns.map((c) => row[c])));
        await client.query('COMMIT');
      }
    };
    const copyColumns = ['login', ...columns];
    const copySql = `COPY switchboard.log_records (${copyColumns.join(', ')}) FROM STDIN`;
    // COPY FROM is refused by PostgreSQL for a role subject to row-level security ("use INSERT statements
    // instead"), so COPY runs as the table's owner; its chain is the same rows under the owner's login
    // (login is not hashed), so the check trigger — login = current_user, link, SHA-256 — passes as it does for the push.
    const ownerChunks = copyChunks(chain.map((r) => ({ ...r, login: 'postgres' })), copyColumns);

    const results = {};
    const measure = async (name, run) => {
      const times = [];
      for (let i = 0; i < options.runs; i++) {
        await reset();
        const t = process.hrtime.bigint();
        await run();
        times.push(ms(t));
        const { rows } = await admin.query('SELECT count(*)::int AS n FROM switchboard.log_records');
        if (rows[0].n !== options.records) throw new Error(`${name}: ${rows[0].n} rows, expected ${options.records}`);
      }
      results[name] = median(times);
      const rate = options.records / (results[name] / 1000);
      console.log(`${name.padEnd(58)} ${(results[name] / 1000).toFixed(2).padStart(7)} s ${Math.round(rate).toLocaleString('en').padStart(9)} rec/s   runs ${times.map((t) => (t / 1000).toFixed(2)).join(' ')}`);
    };

    console.log(`${'path'.padEnd(58)} ${'time'.padStart(9)} ${'rate'.padStart(15)}`);
    await measure('outbox: TeamLink.sync (as the member, triggers on)', async () => {
      const result = await link.sync();
      if (result.pushed !== options.records) throw new Error(`sync pushed ${result.pushed}`);
    });
    await measure('COPY FROM STDIN (as the owner, triggers on)', async () => {
      const client = await server.connect();
      try { await copyFrom(client, copySql, ownerChunks); } finally { await client.end(); }
    });
    for (const batch of options.batches) {
      await measure(`outbox statement, ${batch} rows per INSERT and transaction`, async () => {
        const client = await connectMember();
        try { await push(client, chain, batch); } finally { await client.end(); }
      });
    }
    await measure('outbox statement, 500 rows, one transaction for all', async () => {
      const client = await connectMember();
      try {
        await client.query('BEGIN');
        for (let i = 0; i < chain.length; i += 500) {
          const slice = chain.slice(i, i + 500);
          await client.query(insertStatement(slice.length), slice.flatMap((row) => columns.map((c) => row[c])));
        }
        await client.query('COMMIT');
      } finally { await client.end(); }
    });
    // For scale: the same two paths with no trigger at all (session_replication_role = replica, owner).
    const replica = async (work_) => {
      const client = await server.connect();
      try { await client.query('SET session_replication_role = replica'); await work_(client); } finally { await client.end(); }
    };
    const ownerRows = chain.map((r) => ({ ...r, login: 'postgres' }));
    await measure('COPY FROM STDIN, triggers off', () => replica((client) => copyFrom(client, copySql, ownerChunks)));
    await measure('outbox statement, 500 rows, triggers off', () => replica(async (client) => {
      const withLogin = ['login', ...columns];
      for (let i = 0; i < ownerRows.length; i += 500) {
        const slice = ownerRows.slice(i, i + 500);
        const width = withLogin.length;
        const values = slice.map((_, r) => `(${withLogin.map((_, c) => `$${r * width + c + 1}`).join(', ')})`);
        await client.query('BEGIN');
        await client.query(`INSERT INTO switchboard.log_records (${withLogin.join(', ')}) VALUES ${values.join(', ')}`, slice.flatMap((row) => withLogin.map((c) => row[c])));
        await client.query('COMMIT');
      }
    }));

    // The trigger's parts, on the rows now in the table (the last run's 100k).
    const part = async (name, sql) => {
      const times = [];
      for (let i = 0; i < options.runs; i++) { const t = process.hrtime.bigint(); await admin.query(sql); times.push(ms(t)); }
      console.log(`  trigger part: ${name.padEnd(62)} ${(median(times) / 1000).toFixed(2).padStart(6)} s`);
    };
    console.log('');
    await part('canonical_row + SHA-256 of every row', "SELECT count(*) FROM switchboard.log_records l WHERE encode(sha256(convert_to(switchboard.canonical_row(l), 'UTF8')), 'hex') <> l.hash");
    await part('canonical_row alone', 'SELECT sum(length(switchboard.canonical_row(l))) FROM switchboard.log_records l');
    await part('the previous record by (login, seq), per row', 'SELECT count(p.hash) FROM switchboard.log_records l LEFT JOIN LATERAL (SELECT hash FROM switchboard.log_records p WHERE p.login = l.login AND p.seq = l.seq - 1) p ON true');
    await part('a plain scan (reference)', 'SELECT sum(length(l.detail)) FROM switchboard.log_records l');

    const ratio = results['COPY FROM STDIN (as the owner, triggers on)'] / results['outbox: TeamLink.sync (as the member, triggers on)'];
    console.log(`\noutbox (TeamLink.sync) / COPY throughput, both with every trigger on: ${ratio.toFixed(2)} (target ≥ 0.3)`);
    console.log(`COPY with triggers on / off: ${(results['COPY FROM STDIN, triggers off'] / results['COPY FROM STDIN (as the owner, triggers on)']).toFixed(2)} of the trigger-free rate`);
    db.close();
  } finally {
    await admin.end().catch(() => {});
    await server.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => { console.error(error); process.exit(1); });
