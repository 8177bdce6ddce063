// What the team-store benchmarks share: the TypeScript they need bundled (the test helper that starts a
// real PostgreSQL included — its vitest hooks are stubbed, they are only used by usePostgres), a COPY
// FROM STDIN for `pg` (no extra package), a member login, and a realistic hash chain of session records.
import { builtinModules } from 'node:module';
import path from 'node:path';
import { ROOT, requireHere } from './bundle.mjs';

export const pg = requireHere('pg');

/** Closer to a production server than the tests' (fsync on, WAL big enough that no checkpoint lands mid-run). */
export const BENCH_SETTINGS = {
  fsync: true, full_page_writes: true, synchronous_commit: 'on', shared_buffers: '512MB', work_mem: '32MB',
  maintenance_work_mem: '256MB', max_wal_size: '8GB', checkpoint_timeout: '30min', wal_buffers: '16MB',
};

/** Bundles the team store, the session log's hashing, the SQLite store and the PostgreSQL test helper. */
export async function bundleTeamStore(outDir) {
  const esbuild = requireHere('esbuild');
  const outfile = path.join(outDir, 'team-store.bundle.cjs');
  const exports = [
    "export { startPostgres } from './tests/helpers/postgres';",
    "export { migrateTeamStore } from './main/core/team-store/migrate';",
    "export { TEAM_MIGRATIONS, ENGINEER_ROLE, LEAD_ROLE, foldReviewSessionsSql } from './main/core/team-store/migrations';",
    "export { ReviewQueue } from './main/core/accountability/review-queue';",
    "export { teamReviewPage, teamReviewStatement } from './main/core/team-store/team-review-queue';",
    "export { TeamLink } from './main/core/team-store/team-link';",
    "export { pullTeamRecords } from './main/core/team-store/team-pull';",
    "export { hashRow, canonicalJson, GENESIS_HASH } from './main/core/session-log/hash-chain';",
    "export { EVENT_COLUMNS } from './main/core/session-log/types';",
    "export { openDatabase } from './main/core/store/database';",
  ];
  await esbuild.build({
    stdin: { contents: exports.join('\n'), resolveDir: ROOT, loader: 'ts', sourcefile: 'team-store-entry.ts' },
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile, logLevel: 'warning',
    plugins: [stubVitest(), absoluteExternals()],
  });
  return loadTeamStoreBundle(outDir);
}

/** The bundle bundleTeamStore wrote to outDir (a measuring child process loads the parent's). */
export function loadTeamStoreBundle(outDir) {
  return requireHere(path.join(outDir, 'team-store.bundle.cjs'));
}

function stubVitest() {
  return {
    name: 'stub-vitest',
    setup(build) {
      build.onResolve({ filter: /^vitest$/ }, () => ({ path: 'vitest', namespace: 'stub' }));
      build.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
        contents: "const no = () => { throw new Error('vitest hooks are not available in a benchmark'); }; export const beforeAll = no, afterAll = no;",
        loader: 'js',
      }));
    },
  };
}

function absoluteExternals() {
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  return {
    name: 'absolute-externals',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (builtins.has(args.path)) return { path: args.path, external: true };
        return { path: requireHere.resolve(args.path, { paths: [args.resolveDir || ROOT] }), external: true };
      });
    },
  };
}

/**
 * `COPY … FROM STDIN` through a `pg` client: a submittable (the interface pg-copy-streams uses) that
 * sends `chunks` (Buffers of COPY text format) once the server asks for them. Resolves to the row count.
 */
export function copyFrom(client, sql, chunks) {
  return new Promise((resolve, reject) => {
    let rowCount = 0;
    let failed = null;
    client.query({
      text: sql,
      submit(connection) { connection.query(sql); },
      handleCopyInResponse(connection) {
        for (const chunk of chunks) connection.sendCopyFromChunk(chunk);
        connection.endCopyFrom();
      },
      handleCommandComplete(message) { rowCount = Number(/\d+$/.exec(message.text ?? '')?.[0] ?? 0); },
      handleError(error) { failed = error; },
      handleReadyForQuery() { if (failed) reject(failed); else resolve(rowCount); },
      handleRowDescription() {}, handleDataRow() {}, handleEmptyQuery() {}, handlePortalSuspended() {}, handleCopyData() {},
    });
  });
}

/** A value in COPY's text format: \N for null, backslash escapes for the characters it reserves. */
export function copyValue(value) {
  if (value === null || value === undefined) return '\\N';
  return String(value).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** COPY text for `rows` (objects) over `columns`, in chunks of about 1 MB. */
export function copyChunks(rows, columns) {
  const chunks = [];
  let lines = [];
  let size = 0;
  for (const row of rows) {
    const line = `${columns.map((c) => copyValue(row[c])).join('\t')}\n`;
    lines.push(line);
    size += line.length;
    if (size > 1 << 20) { chunks.push(Buffer.from(lines.join(''))); lines = []; size = 0; }
  }
  if (lines.length) chunks.push(Buffer.from(lines.join('')));
  return chunks;
}

/** A member's login role as `team add-member` makes it (in the group of their role, a row in members). */
export async function addBenchMember(admin, mod, { login, name, email, role = 'engineer', password }) {
  const group = role === 'lead' ? mod.LEAD_ROLE : mod.ENGINEER_ROLE;
  await admin.query(`CREATE ROLE "${login}" LOGIN PASSWORD '${password}' IN ROLE ${group}`);
  await admin.query('INSERT INTO switchboard.members (login, name, email, role) VALUES ($1, $2, $3, $4)', [login, name, email, role]);
}

export const CUSTOMERS = 100;
export const SITES = 7;
export const METHODS = ['ssh', 'https', 'vnc', 'anydesk', 'teamviewer', 'vpn'];
const END_OUTCOMES = ['completed', 'completed', 'disconnected', 'disconnected', 'failed', 'launched', 'closed', 'idle-timeout'];

/**
 * One engineer's hash chain of `count` records, as SessionLog.append writes them: sessions of an
 * attempt, a start and an end (one in ten denied: the attempt alone), realistic values (the policy's
 * reasons, a started detail with the SSH hops and host key, an end with its recording's hash and bytes,
 * an approval now and then, a summary on some), `count` records or `sessions` sessions. Returns rows with seq, prev_hash and hash.
 */
export function makeChain(mod, { count = Infinity, sessions = Infinity, engineer, startMs = Date.UTC(2026, 0, 5, 8), stepMs = 40_000, seed = 1 }) {
  const rows = [];
  let made = 0;
  let prev = mod.GENESIS_HASH;
  let at = startMs;
  let n = seed;
  const push = (fields) => {
    if (rows.length >= count) return;
    const row = {
      seq: rows.length + 1, session_id: null, kind: null, at: null, engineer, ticket: null, ticket_id: null, site: null, site_id: null,
      host: null, method: null, target: null, address: null, decision: null, reasons: null, outcome: null, bytes_in: null, bytes_out: null,
      detail: null, summary: null, ...fields, prev_hash: prev,
    };
    row.hash = mod.hashRow(row);
    prev = row.hash;
    rows.push(row);
  };
  while (rows.length < count && made < sessions) {
    n += 1;
    made += 1;
    const c = (n * 104729) % CUSTOMERS;
    const s = n % SITES;
    const method = METHODS[n % METHODS.length];
    const sessionId = `${(n * 2654435761 >>> 0).toString(16).padStart(8, '0')}-${n.toString(16).padStart(4, '0')}-4${(n % 4096).toString(16).padStart(3, '0')}-a000-${String(n).padStart(12, '0')}`;
    const ticketNumber = 40000 + ((n * 31) % 5000);
    const base = {
      session_id: sessionId, ticket: `EXO-${ticketNumber}`, ticket_id: ticketNumber - 39000, site: `Customer ${c}/site-${s}`, site_id: c * SITES + s + 1,
      host: `pbx${n % 5}.site-${s}.customer${c}.example.net`, method, target: method === 'https' ? 'https://pbx/admin' : `admin@pbx${n % 5}`,
      address: `10.${c}.${s}.${10 + (n % 200)}`,
    };
    const denied = n % 10 === 0;
    const iso = () => new Date((at += stepMs)).toISOString();
    const approval = n % 50 === 0 ? { approval: { approver: 'lead@example.com', reason: 'after-hours change window', ticket: base.ticket } } : {};
    push({
      ...base, kind: 'attempt', at: iso(), decision: denied ? 'deny' : 'allow', outcome: denied ? 'denied' : 'allowed',
      reasons: denied
        ? `ticket ${base.ticket} is closed\nsite-${s} allows ${method} only from the support VPN`
        : `ticket ${base.ticket} is open and assigned to ${engineer}\nsite-${s} allows ${method} for engineers on shift`,
      detail: mod.canonicalJson({ policyVersion: 12 + (n % 3), shift: 'day', ...approval }),
    });
    if (denied) continue;
    push({
      ...base, kind: 'started', at: iso(), outcome: 'connected',
      detail: mod.canonicalJson({ ownerPid: 4000 + (n % 3000), hops: [`jump.customer${c}.example.net`], hostKey: `SHA256:${prev.slice(0, 43)}` }),
    });
    const recordingBytes = 20_000 + ((n * 7919) % 400_000);
    push({
      ...base, kind: 'ended', at: iso(), outcome: END_OUTCOMES[n % END_OUTCOMES.length], bytes_in: recordingBytes, bytes_out: 2_000 + (n % 9000),
      detail: mod.canonicalJson({ recording: `recordings/${sessionId}.cast`, recordingSha256: prev.slice(0, 64), recordingBytes, exitCode: 0 }),
      summary: n % 4 === 0 ? `Restarted the SIP trunk on pbx${n % 5} after the carrier's maintenance; calls verified.` : null,
    });
  }
  return rows;
}
