import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNodeBundles, runCli, setUpCliSshLab } from '../helpers/cli';
import { sshdUnavailable, startSshd, type TestSshd } from '../helpers/sshd';
import { useTempDirs } from '../helpers/temp-dir';

const unavailable = sshdUnavailable();
const SITE = 'Loopback Labs/lab';

interface LogRecord { outcome: string; decision: string; detail: Record<string, unknown>; address: string | null; bytesIn: number | null }

/**
 * `switchboard connect --method ssh -- COMMAND` against a real OpenSSH sshd: through the policy, the
 * keychain (a real Secret Service), host-key pinning, the recording and the session log.
 */
describe.skipIf(unavailable)(`switchboard connect --method ssh${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const tempDir = useTempDirs('switchboard-ssh-cli-');
  let sshd: TestSshd;
  let dataDir: string;
  const credential = `lab-sbtest-${process.pid}`;
  const cli = (...args: string[]) => runCli(args, { dataDir });
  const ssh = (...args: string[]) => cli('connect', '--method', 'ssh', '--site', SITE, '--target', 'lab01', '--ticket', 'LAB-1', ...args);
  const log = () => JSON.parse(cli('log', 'list', '--json', '--kind', 'session').stdout) as LogRecord[];

  beforeAll(async () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through scripts/with-keyring.sh').toBeTruthy();
    await buildNodeBundles();
    sshd = await startSshd();
    dataDir = tempDir();
    setUpCliSshLab(sshd, { dataDir, scratchDir: tempDir(), credential, ticket: 'LAB-1' });
  });
  afterAll(async () => {
    runCli(['credentials', 'delete', credential], { dataDir });
    await sshd?.stop();
  });

  it('refuses a first-use host key when nobody can say yes, and logs it', () => {
    const result = ssh('--', 'echo', 'hello');
    expect(result.status).toBe(255);
    expect(result.stderr).toMatch(new RegExp(`can't be established[\\s\\S]*${sshd.hostKeyFingerprint.replace(/[+/]/g, '\\$&')}`));
    expect(log()[0]).toMatchObject({ outcome: 'failed', detail: { failure: 'host-key-rejected', hostKeyDecisions: [{ host: 'lab01', pinned: false }] } });
  });

  it('pins the key on an explicit yes, runs the command and exits with its status', () => {
    const first = ssh('--accept-new-host-key', '--', 'echo', 'hello');
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toBe('hello\n');
    const [record] = log();
    expect(record).toMatchObject({ outcome: 'completed', address: '127.0.0.1', detail: { exitCode: 0, hostKeyDecisions: [{ fingerprint: sshd.hostKeyFingerprint, pinned: true }] } });
    expect(cli('sites', 'export').stdout).toContain(`host_key: ${sshd.hostKeyFingerprint}`);
    const again = ssh('--', 'sh', '-c', '"exit 3"');
    expect(again.status).toBe(3);
  });

  it('records the output, and stores the recording\'s SHA-256 in the log', () => {
    expect(ssh('--', 'echo', 'recorded-line').status).toBe(0);
    const [record] = log();
    const file = String(record!.detail.recording);
    const text = fs.readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toMatch(/"version":2/);
    expect(text).toContain('recorded-line');
    expect(record!.detail.recordingSha256).toBe(createHash('sha256').update(fs.readFileSync(file)).digest('hex'));
    expect(record!.bytesIn).toBeGreaterThan(0);
  });

  it('refuses a changed host key as loudly as OpenSSH, sending no credential, and logs it', () => {
    const db = path.join(dataDir, 'switchboard.db');
    const handle = new Database(db);
    handle.prepare('UPDATE host_key_pins SET fingerprint = ?').run('SHA256:q5tz2m5V0dGqf8xB6qgX0xT6l3V4wQnJv0oH3uGxk1E');
    handle.close();
    const result = ssh('--', 'echo', 'hello');
    expect(result.status).toBe(255);
    expect(result.stderr).toMatch(/WARNING: the host key for lab01 .* has CHANGED/);
    expect(log()[0]).toMatchObject({ outcome: 'failed', detail: { failure: 'host-key-mismatch' } });
  });

  it('denies an untrusted target through the policy before any connection', () => {
    const result = cli('connect', '--method', 'ssh', '--site', SITE, '--target', '127.0.0.2', '--ticket', 'LAB-1', '--', 'true');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/not a trusted host/);
    expect(cli('log', 'verify').status).toBe(0);
  });
});
