import { stringify } from 'yaml';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AuthMethod } from '../../main/core/ssh/auth';
import type { SshHop } from '../../main/core/ssh/ssh-connection';
import type { SshChannel } from '../../main/core/ssh/ssh-channel';

/**
 * A real OpenSSH sshd on an ephemeral loopback port, in its own temp dir, with its own host key.
 * Root logs in by key only; the `sbtest` user (created here when running as root) by key or password.
 * The log (sshd -e, LogLevel VERBOSE) is kept so tests can tell whether an auth attempt ever reached it.
 */
export const SSHD_BINARY = '/usr/sbin/sshd';
export const TEST_USER = 'sbtest';
export const KEY_PASSPHRASE = 'correct horse battery staple';

export interface TestSshd {
  port: number;
  /** `SHA256:…` exactly as `ssh-keygen -lf` prints it. */
  hostKeyFingerprint: string;
  hostKeyPath: string;
  user: string;
  password: string;
  privateKeyPath: string;
  /** Same authorized identity scheme, but the key file is encrypted with `privateKeyPassphrase`. */
  encryptedKeyPath: string;
  privateKeyPassphrase: string;
  dir: string;
  /** Everything sshd logged so far. */
  log(): string;
  stop(): Promise<void>;
}

/** Why sshd cannot run here, or null when it can. Tests skip with this reason. */
export function sshdUnavailable(): string | null {
  if (!fs.existsSync(SSHD_BINARY)) return `${SSHD_BINARY} is missing (apt-get install openssh-server)`;
  if (process.getuid?.() !== 0) return 'sshd tests need root (to run sshd and create the sbtest user)';
  return null;
}

function run(file: string, args: string[], input?: string): string {
  return execFileSync(file, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** `SHA256:…` field of `ssh-keygen -lf file`. */
export function keygenFingerprint(file: string): string {
  const fields = run('ssh-keygen', ['-lf', file]).trim().split(/\s+/);
  if (!fields[1]?.startsWith('SHA256:')) throw new Error(`unexpected ssh-keygen -lf output: ${fields.join(' ')}`);
  return fields[1];
}

export function generateKey(file: string, passphrase = '', comment = 'switchboard-test'): void {
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', comment, '-f', file]);
}

/**
 * The sbtest password: random, kept in a root-only file so test files running in parallel workers
 * (and later runs) agree on it. Never a real credential; sshd here listens on loopback only.
 */
function testPassword(): string {
  const file = path.join(os.tmpdir(), 'switchboard-sbtest.password');
  try {
    fs.writeFileSync(file, `sb-${randomBytes(12).toString('base64url')}`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // The winner of the `wx` race may not have written yet; its write is one small synchronous call.
  for (let attempt = 0; attempt < 1000; attempt++) {
    const password = fs.readFileSync(file, 'utf8').trim();
    if (password) return password;
  }
  throw new Error(`${file} stays empty; remove it and re-run`);
}

/** Idempotent and safe against a parallel worker doing the same. */
function ensureTestUser(password: string): void {
  const exists = (): boolean => spawnSync('id', ['-u', TEST_USER]).status === 0;
  if (!exists()) {
    const added = spawnSync('useradd', ['-m', '-s', '/bin/sh', TEST_USER], { encoding: 'utf8' });
    if (added.status !== 0 && !exists()) throw new Error(`useradd ${TEST_USER} failed: ${added.stderr}`);
  }
  // chpasswd fails while a parallel worker holds the /etc/shadow lock; the same password either way.
  for (let attempt = 0; ; attempt++) {
    const set = spawnSync('chpasswd', [], { input: `${TEST_USER}:${password}\n`, encoding: 'utf8' });
    if (set.status === 0) return;
    if (attempt >= 50) throw new Error(`chpasswd failed: ${set.stderr}`);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once sshd sends its identification line; never a sleep. */
async function waitForBanner(port: number, child: ChildProcess, log: () => string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}:\n${log()}`);
    const banner = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.setTimeout(1000);
      socket.once('data', (data) => { socket.destroy(); resolve(data.toString().startsWith('SSH-')); });
      socket.once('error', () => resolve(false));
      socket.once('timeout', () => { socket.destroy(); resolve(false); });
    });
    if (banner) return;
    if (Date.now() > deadline) throw new Error(`sshd did not answer on port ${port}:\n${log()}`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** `PerSourcePenalties` (OpenSSH 9.8+) would slow the loopback client down after the failing-auth tests. */
function supportsPerSourcePenalties(): boolean {
  const probe = spawnSync(SSHD_BINARY, ['-V'], { encoding: 'utf8' });
  const match = /OpenSSH_(\d+)\.(\d+)/.exec(`${probe.stdout}${probe.stderr}`);
  return match ? Number(match[1]) * 100 + Number(match[2]) >= 908 : false;
}

export interface SshdOptions {
  /** Extra sshd_config lines (e.g. `LoginGraceTime 2`), appended after the defaults. */
  extraConfig?: string[];
}

export async function startSshd(options: SshdOptions = {}): Promise<TestSshd> {
  const reason = sshdUnavailable();
  if (reason) throw new Error(reason);
  const password = testPassword();
  ensureTestUser(password);
  fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-sshd-'));
  const hostKeyPath = path.join(dir, 'host_ed25519');
  const privateKeyPath = path.join(dir, 'id_ed25519');
  const encryptedKeyPath = path.join(dir, 'id_ed25519_enc');
  generateKey(hostKeyPath, '', 'sshd-host');
  generateKey(privateKeyPath);
  generateKey(encryptedKeyPath, KEY_PASSPHRASE);
  const authorized = [privateKeyPath, encryptedKeyPath].map((k) => fs.readFileSync(`${k}.pub`, 'utf8').trim()).join('\n') + '\n';
  // sshd reads a user's AuthorizedKeysFile with that user's privileges: the dir must be traversable.
  fs.chmodSync(dir, 0o711);
  for (const user of ['root', TEST_USER]) {
    const file = path.join(dir, `${user}.keys`);
    fs.writeFileSync(file, authorized, { mode: 0o600 });
    fs.chownSync(file, Number(run('id', ['-u', user]).trim()), Number(run('id', ['-g', user]).trim()));
  }

  const port = await freePort();
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${hostKeyPath}`,
    `PidFile ${path.join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${dir}/%u.keys`,
    'UsePAM no',
    'StrictModes no',
    'PasswordAuthentication yes',
    // Without PAM (or BSD auth) OpenSSH has no keyboard-interactive device on Linux; the fault server covers it.
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    'PermitRootLogin prohibit-password',
    'AllowTcpForwarding yes',
    // SFTP in the sshd process itself (no sftp-server binary needed): the Files panel's and `files get/put`'s server.
    'Subsystem sftp internal-sftp',
    'LogLevel VERBOSE',
    'MaxStartups 100',
    ...(supportsPerSourcePenalties() ? ['PerSourcePenalties no'] : []),
    ...(options.extraConfig ?? []),
  ];
  const configPath = path.join(dir, 'sshd_config');
  fs.writeFileSync(configPath, config.join('\n') + '\n');

  let output = '';
  const child = spawn(SSHD_BINARY, ['-D', '-e', '-f', configPath], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  child.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForBanner(port, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    port,
    hostKeyFingerprint: keygenFingerprint(`${hostKeyPath}.pub`),
    hostKeyPath,
    user: TEST_USER,
    password,
    privateKeyPath,
    encryptedKeyPath,
    privateKeyPassphrase: KEY_PASSPHRASE,
    dir,
    log: () => output,
    stop,
  };
}

/** A hop to the test sshd as `sbtest`, host key pinned unless `hostKey` says otherwise. */
export function sshdHop(sshd: TestSshd, auth: AuthMethod[], overrides: Partial<SshHop> = {}): SshHop {
  return {
    host: 'app01',
    address: '127.0.0.1',
    port: sshd.port,
    username: sshd.user,
    hostKey: { pinned: sshd.hostKeyFingerprint, confirmNew: async () => false },
    auth,
    ...overrides,
  };
}

export function keyText(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

/** Resolves with everything a channel printed once `match` is found in it (or its exit, whichever first). */
export function outputUntil(channel: SshChannel, match: RegExp | string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const found = (): boolean => (typeof match === 'string' ? text.includes(match) : match.test(text));
    const stop = channel.onData((data) => {
      text += data.toString('utf8');
      if (found()) {
        stop();
        resolve(text);
      }
    });
    void channel.exit.then(() => (found() ? resolve(text) : reject(new Error(`channel closed before ${String(match)} appeared; output: ${JSON.stringify(text)}`))));
  });
}

/** A one-site profile whose host lab01 is this sshd on loopback, signing in with `credential`. */
export function loopbackLabProfile(sshd: Pick<TestSshd, 'port' | 'user'>, credential: string): string {
  return stringify({
    version: 1,
    customers: [{
      name: 'Loopback Labs', package: 'premium', timezone: 'UTC', workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      sites: [{ name: 'lab', seats: 10, peak_calls: 10, approved_methods: ['ssh'], hosts: [{ name: 'lab01', address: '127.0.0.1', ssh: { port: sshd.port, user: sshd.user, credential } }] }],
    }],
  });
}
