import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { makeTempDir, removeTempDir } from './temp-dir';

/**
 * A real PostgreSQL (Debian's server binaries) in its own temp dir on an ephemeral loopback port:
 * TCP only through TLS with a certificate from a test CA made here, scram-sha-256 passwords, a
 * `postgres` superuser with a random password. initdb and postgres refuse to run as root, so as root
 * they run as the `postgres` OS user in a temp dir it owns. The unix socket lives in that private
 * dir; nothing listens beyond 127.0.0.1.
 */
export interface TestPostgres {
  host: '127.0.0.1';
  port: number;
  /** The server's major version (15 on Debian 12). */
  version: number;
  /** The `postgres` superuser over verify-full TLS: a role allowed to create roles (what `team init` takes). */
  superuserUrl: string;
  superuserPassword: string;
  /** PEM of the CA that signed the server certificate (SAN IP:127.0.0.1, DNS:localhost). */
  caFile: string;
  /** `postgresql://user:password@127.0.0.1:port/database?sslmode=verify-full&sslrootcert=caFile` (database defaults to `postgres`). */
  url(user: string, password: string, database?: string): string;
  /** A connected `pg` client (the superuser unless `url` says otherwise); the caller ends it. */
  connect(url?: string): Promise<pg.Client>;
  dataDir: string;
  /** Everything the server wrote to stdout/stderr, across restarts. */
  log(): string;
  running(): boolean;
  /** SIGKILL to the postmaster and every backend at once — a crash mid-work; the data dir stays for restart(). */
  kill(): Promise<void>;
  /** Starts the server again on the same data dir and port (after kill(), or a fast shutdown first if it still runs) and waits until it takes connections. */
  restart(): Promise<void>;
  /** Fast shutdown and removal of the temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

export interface PostgresOptions {
  /** Also accept password logins without TLS (host lines); by default non-TLS TCP is rejected by pg_hba. */
  allowPlaintext?: boolean;
  /** Extra postgresql.conf settings, e.g. { shared_buffers: '256MB' } for a benchmark. */
  settings?: Record<string, string | number | boolean>;
  /** Readiness timeout per start. */
  startTimeoutMs?: number;
}

const execFileAsync = promisify(execFile);

/** The newest installed server's bin dir (/usr/lib/postgresql/N/bin), or SWITCHBOARD_PG_BIN. */
export function postgresBinDir(): string | null {
  const override = process.env.SWITCHBOARD_PG_BIN;
  if (override) return fs.existsSync(path.join(override, 'postgres')) ? override : null;
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const versions = fs.readdirSync(root).filter((v) => /^\d+$/.test(v) && fs.existsSync(path.join(root, v, 'bin', 'postgres')));
  versions.sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : null;
}

/** Why PostgreSQL cannot be started here, or null when it can. Tests skip with this reason. */
export function postgresUnavailable(): string | null {
  const bin = postgresBinDir();
  if (!bin) return 'PostgreSQL server binaries are missing (apt-get install postgresql)';
  if (Number(path.basename(path.dirname(bin))) < 14 && !process.env.SWITCHBOARD_PG_BIN) return `PostgreSQL at ${bin} is older than 14`;
  if (process.getuid?.() === 0 && !serverUser()) return 'running as root, but there is no `postgres` OS user to run the server as';
  return null;
}

interface ServerUser { uid: number; gid: number }

/** Whom initdb/postgres run as: the `postgres` OS user when we are root, else ourselves (undefined). */
function serverUser(): ServerUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  const fields = line?.split(':');
  if (!fields) return undefined;
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function openssl(args: string[]): Promise<unknown> {
  return execFileAsync('openssl', args);
}

export interface TestCa { certFile: string; keyFile: string }

/** A fresh test certificate authority (P-256, one day) as PEM files in `dir`. */
export async function makeCertificateAuthority(dir: string, name = 'ca'): Promise<TestCa> {
  const certFile = path.join(dir, `${name}.crt`);
  const keyFile = path.join(dir, `${name}.key`);
  await openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-subj', `/CN=Switchboard test CA ${name}`, '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-keyout', keyFile, '-out', certFile]);
  return { certFile, keyFile };
}

/** A server certificate for 127.0.0.1 and localhost signed by `ca`. */
async function makeServerCertificate(dir: string, ca: TestCa): Promise<{ certFile: string; keyFile: string }> {
  const certFile = path.join(dir, 'server.crt');
  const keyFile = path.join(dir, 'server.key');
  const csr = path.join(dir, 'server.csr');
  const extensions = path.join(dir, 'server.ext');
  fs.writeFileSync(extensions, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n');
  await openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=localhost', '-keyout', keyFile, '-out', csr]);
  await openssl(['x509', '-req', '-in', csr, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-set_serial', `0x${randomBytes(8).toString('hex')}`,
    '-days', '1', '-extfile', extensions, '-out', certFile]);
  fs.rmSync(csr);
  fs.rmSync(extensions);
  return { certFile, keyFile };
}

function confValue(value: string | number | boolean): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return `'${value.replace(/'/g, "''")}'`;
}

/** pg_hba.conf: the private unix socket trusts its owner; TCP takes passwords over TLS only (unless allowPlaintext). */
function hbaConf(allowPlaintext: boolean): string {
  return [
    'local all all trust',
    'hostssl all all 127.0.0.1/32 scram-sha-256',
    allowPlaintext ? 'hostnossl all all 127.0.0.1/32 scram-sha-256' : 'hostnossl all all 0.0.0.0/0 reject',
    'host all all ::/0 reject',
    '',
  ].join('\n');
}

/** Errors that mean "not up yet" while the server starts. */
function notReadyYet(error: unknown): boolean {
  const { code } = error as { code?: string };
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === '57P03';
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Pids whose parent is `pid` (the postmaster's backends and helpers), from /proc. */
function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch { /* the process ended while we looked */ }
  }
  return children;
}

/**
 * A vitest worker that dies (a timeout, a crash, a kill at the end of the run) runs no afterAll and no
 * 'exit' handler. This small process outlives it: when its stdin closes it kills the server the
 * worker last told it about (pid lines on stdin) and removes the temp dir, so no orphaned postgres
 * keeps the port, the files or the run's output pipes.
 */
const WATCHDOG = `
const fs = require('node:fs');
const dir = process.argv[1];
let pid = 0, pending = '';
const children = (parent) => fs.readdirSync('/proc').filter((e) => /^\\d+$/.test(e)).filter((e) => {
  try { const s = fs.readFileSync('/proc/' + e + '/stat', 'utf8'); return Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]) === parent; } catch { return false; }
}).map(Number);
const kill = (p, signal) => { try { process.kill(p, signal); return true; } catch { return false; } };
process.stdin.on('data', (d) => { pending += d; const lines = pending.split('\\n'); pending = lines.pop(); if (lines.length) pid = Number(lines.pop()); });
process.stdin.on('end', () => {
  if (pid && kill(pid, 'SIGSTOP')) { for (const c of children(pid)) kill(c, 'SIGKILL'); kill(pid, 'SIGKILL'); }
  fs.rmSync(dir, { recursive: true, force: true });
});
`;

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startPostgres(options: PostgresOptions = {}): Promise<TestPostgres> {
  const reason = postgresUnavailable();
  if (reason) throw new Error(reason);
  const bin = postgresBinDir()!;
  const user = serverUser();
  const dir = makeTempDir('switchboard-pg-');
  const dataDir = path.join(dir, 'data');
  const socketDir = path.join(dir, 'run');
  const tlsDir = path.join(dir, 'tls');
  const superuserPassword = randomBytes(18).toString('base64url');
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C', HOME: dir, TZ: 'UTC' };
  const asServer = { env, cwd: dir, ...(user ?? {}) };
  let output = '';
  let child: ChildProcess | undefined;
  let port = 0;
  let stopped = false;
  let version = 0;

  const killNow = (): void => {
    const pid = child?.pid;
    if (!pid || child!.exitCode !== null || child!.signalCode !== null) return;
    // Stopped first so it forks no backend between the listing and the kill; backends are their own
    // session leaders (setsid), so a process-group kill would miss them and they would hold the
    // shared memory a restart needs.
    try { process.kill(pid, 'SIGSTOP'); } catch { return; }
    for (const backend of childPids(pid)) { try { process.kill(backend, 'SIGKILL'); } catch { /* gone */ } }
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  };
  const onExit = (): void => { killNow(); removeTempDir(dir); };
  process.once('exit', onExit);
  const watchdog = spawn(process.execPath, ['-e', WATCHDOG, dir], { stdio: ['pipe', 'ignore', 'ignore'] });
  watchdog.stdin!.on('error', () => { /* it was released (stop) or died; nothing to tell it */ });
  const release = (): void => {
    process.off('exit', onExit);
    watchdog.kill('SIGTERM');
  };

  const url = (role: string, password: string, database = 'postgres'): string =>
    `postgresql://${encodeURIComponent(role)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}` +
    `?sslmode=verify-full&sslrootcert=${encodeURIComponent(path.join(tlsDir, 'ca.crt'))}`;
  const superuserUrl = (): string => url('postgres', superuserPassword);
  const connect = async (connectionString = superuserUrl()): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000 });
    await client.connect();
    return client;
  };

  const waitReady = async (timeoutMs: number): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!child || child.exitCode !== null || child.signalCode !== null) throw new Error(`postgres exited before it took connections:\n${output}`);
      try {
        const client = await connect();
        await client.query('SELECT 1');
        await client.end();
        return;
      } catch (error) {
        if (!notReadyYet(error)) throw new Error(`postgres started but a connection failed (${String(error)}):\n${output}`);
      }
      if (Date.now() > deadline) throw new Error(`postgres did not take connections within ${timeoutMs} ms:\n${output}`);
      await delay(50);
    }
  };

  const launch = async (): Promise<void> => {
    const server = spawn(path.join(bin, 'postgres'), ['-D', dataDir], { ...asServer, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (d: Buffer) => { output += d.toString(); });
    server.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
    child = server;
    watchdog.stdin!.write(`${server.pid ?? 0}\n`);
    await waitReady(options.startTimeoutMs ?? 30_000);
  };

  const writeConf = (): void => {
    const settings: Record<string, string | number | boolean> = {
      listen_addresses: '127.0.0.1',
      port,
      unix_socket_directories: socketDir,
      unix_socket_permissions: '0700',
      ssl: true,
      ssl_cert_file: path.join(tlsDir, 'server.crt'),
      ssl_key_file: path.join(tlsDir, 'server.key'),
      password_encryption: 'scram-sha-256',
      // Tests never crash the OS, only the server: without fsync the WAL still reaches the page cache
      // and kill() loses nothing committed. synchronous_commit stays on, or a commit acknowledged
      // just before kill() could vanish and the fault tests would prove nothing.
      fsync: false,
      full_page_writes: false,
      max_connections: 100,
      shared_buffers: '32MB',
      logging_collector: false,
      log_line_prefix: '%m [%p] %q%u@%d ',
      ...options.settings,
    };
    const lines = Object.entries(settings).map(([key, value]) => `${key} = ${confValue(value)}`);
    fs.appendFileSync(path.join(dataDir, 'postgresql.conf'), `\n# switchboard test server\n${lines.join('\n')}\n`);
    fs.writeFileSync(path.join(dataDir, 'pg_hba.conf'), hbaConf(options.allowPlaintext ?? false));
  };

  try {
    fs.mkdirSync(socketDir);
    fs.mkdirSync(tlsDir);
    const ca = await makeCertificateAuthority(tlsDir, 'ca');
    const serverCert = await makeServerCertificate(tlsDir, ca);
    fs.rmSync(ca.keyFile);
    const pwfile = path.join(dir, 'pwfile');
    fs.writeFileSync(pwfile, `${superuserPassword}\n`, { mode: 0o600 });
    if (user) {
      for (const entry of [dir, socketDir, tlsDir, pwfile, serverCert.certFile, serverCert.keyFile]) fs.chownSync(entry, user.uid, user.gid);
    }
    fs.chmodSync(serverCert.keyFile, 0o600);
    await execFileAsync(path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', `--pwfile=${pwfile}`, '--auth-local=trust',
      '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-locale', '--no-sync', '--no-instructions'], asServer)
      .catch((error: { stderr?: string }) => { throw new Error(`initdb failed: ${error.stderr ?? String(error)}`); });
    fs.rmSync(pwfile);
    // Another process may take the free port before postgres binds it; then try a new one.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      writeConf();
      try {
        await launch();
        break;
      } catch (error) {
        killNow();
        if (child) await exited(child);
        if (attempt >= 3 || !/could not bind|could not create any TCP\/IP sockets/.test(output)) throw error;
      }
    }
    const probe = await connect();
    const { rows } = await probe.query<{ server_version_num: string }>('SHOW server_version_num');
    version = Math.floor(Number(rows[0]!.server_version_num) / 10_000);
    await probe.end();
  } catch (error) {
    release();
    killNow();
    if (child) await exited(child);
    removeTempDir(dir);
    throw error;
  }


  const fastShutdown = async (): Promise<void> => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const done = exited(child);
    child.kill('SIGINT');
    const timer = setTimeout(killNow, 15_000);
    await done;
    clearTimeout(timer);
  };

  return {
    host: '127.0.0.1',
    port,
    version,
    superuserUrl: superuserUrl(),
    superuserPassword,
    caFile: path.join(tlsDir, 'ca.crt'),
    url,
    connect,
    dataDir,
    log: () => output,
    running: () => !!child && child.exitCode === null && child.signalCode === null,
    kill: async () => {
      killNow();
      if (child) await exited(child);
    },
    restart: async () => {
      if (stopped) throw new Error('this PostgreSQL was stopped and its data dir removed; start a new one');
      await fastShutdown();
      await launch();
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await fastShutdown();
      release();
      removeTempDir(dir);
    },
  };
}

/**
 * Call at the top of a file or describe block: a PostgreSQL started before the block's tests and
 * stopped (its temp dir removed) after them, pass or fail. The getter throws before beforeAll ran.
 */
export function usePostgres(options?: PostgresOptions): () => TestPostgres {
  let server: TestPostgres | undefined;
  beforeAll(async () => { server = await startPostgres(options); });
  afterAll(async () => { await server?.stop(); });
  return () => {
    if (!server) throw new Error('usePostgres: the server is not started yet (use it inside a test or a later hook)');
    return server;
  };
}
