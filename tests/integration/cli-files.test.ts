import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNodeBundles, runCli } from '../helpers/cli';
import { sshdUnavailable, startSshd, TEST_USER, type TestSshd } from '../helpers/sshd';
import { useTempDirs } from '../helpers/temp-dir';

const unavailable = sshdUnavailable();
const SITE = 'Loopback Labs/lab';
const sha256 = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/**
 * `switchboard files get/put` from the built CLI against a real sshd: an SSH session through the policy
 * whose SFTP transfers the site's file-transfer setting decides; exit 1 with the reason when refused;
 * every transfer in the session's record.
 */
describe.skipIf(unavailable)(`switchboard files get/put${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const tempDir = useTempDirs('switchboard-cli-files-');
  let sshd: TestSshd;
  let dataDir: string;
  let remote: string;
  const credential = `files-sbtest-${process.pid}`;
  const cli = (...args: string[]) => runCli(args, { dataDir });
  const files = (command: 'get' | 'put', ...args: string[]) => cli('files', command, '--site', SITE, '--target', 'lab01', '--ticket', 'LAB-7', ...args);

  beforeAll(async () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through scripts/with-keyring.sh').toBeTruthy();
    await buildNodeBundles();
    sshd = await startSshd();
    dataDir = tempDir();
    remote = tempDir();
    const owner = Number(execFileSync('id', ['-u', TEST_USER], { encoding: 'utf8' }).trim());
    fs.chmodSync(remote, 0o755);
    for (const dir of ['logs', 'etc']) fs.mkdirSync(path.join(remote, dir));
    fs.writeFileSync(path.join(remote, 'logs', 'ivr.log'), Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 253)));
    fs.writeFileSync(path.join(remote, 'etc', 'secret.conf'), 'password=hunter2\n');
    for (const f of ['logs', 'etc', 'logs/ivr.log', 'etc/secret.conf']) fs.chownSync(path.join(remote, f), owner, owner);
    const profile = path.join(tempDir(), 'lab.yaml');
    fs.writeFileSync(profile, stringify({
      version: 1,
      customers: [{
        name: 'Loopback Labs', package: 'premium', timezone: 'UTC', workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        sites: [{
          name: 'lab', seats: 10, peak_calls: 10, approved_methods: ['ssh'], files: { transfer: 'download', folders: [path.join(remote, 'logs')] },
          hosts: [{ name: 'lab01', address: '127.0.0.1', ssh: { port: sshd.port, user: sshd.user, credential, host_key: sshd.hostKeyFingerprint } }],
        }],
      }],
    }));
    for (const [args, input] of [[['sites', 'import', profile]], [['credentials', 'set', credential], `${sshd.password}\n`], [['tickets', 'open', '--site', SITE, '--id', 'LAB-7']]] as [string[], string?][]) {
      const result = runCli(args, { dataDir, ...(input === undefined ? {} : { input }) });
      expect(result.status, result.stderr).toBe(0);
    }
  }, 120_000);
  afterAll(async () => {
    runCli(['credentials', 'delete', credential], { dataDir });
    await sshd?.stop();
  });

  it('downloads a file into a folder and prints its size and SHA-256', () => {
    const into = tempDir();
    const result = files('get', path.join(remote, 'logs', 'ivr.log'), into);
    expect(result.status, result.stderr).toBe(0);
    const expected = sha256(path.join(remote, 'logs', 'ivr.log'));
    expect(result.stdout.trim()).toBe(`${path.join(into, 'ivr.log')}  200000 bytes  sha256 ${expected}`);
    expect(sha256(path.join(into, 'ivr.log'))).toBe(expected);
  });

  it('downloads into the ticket\'s evidence with --evidence', () => {
    const result = files('get', path.join(remote, 'logs', 'ivr.log'), '--evidence');
    expect(result.status, result.stderr).toBe(0);
    const expected = sha256(path.join(remote, 'logs', 'ivr.log'));
    expect(result.stdout).toContain(`evidence on LAB-7  200000 bytes  sha256 ${expected}`);
    const listed = JSON.parse(cli('tickets', 'evidence', 'LAB-7', '--json').stdout) as { files: { sha256: string; name: string; remotePath: string; sha256Matches: boolean }[] };
    expect(listed.files).toEqual([expect.objectContaining({ sha256: expected, name: 'ivr.log', remotePath: path.join(remote, 'logs', 'ivr.log'), sha256Matches: true })]);
  });

  it('exits 1 with the reason when the site refuses: a folder not allowed, an upload on a download-only site', () => {
    const into = tempDir();
    const outside = files('get', path.join(remote, 'etc', 'secret.conf'), into);
    expect(outside.status).toBe(1);
    expect(outside.stderr).toMatch(/transfer refused \(logged in session [0-9a-f-]+\): .*outside the folders allowed/);
    expect(fs.readdirSync(into)).toEqual([]);

    const local = path.join(tempDir(), 'fix.sh');
    fs.writeFileSync(local, 'echo fixed\n');
    const put = files('put', local, path.join(remote, 'logs'));
    expect(put.status).toBe(1);
    expect(put.stderr).toMatch(/download-only/);
    expect(fs.existsSync(path.join(remote, 'logs', 'fix.sh'))).toBe(false);
  });

  it('downloads a folder with -r, file by file, into a new local folder; symlinks are not followed', () => {
    const owner = Number(execFileSync('id', ['-u', TEST_USER], { encoding: 'utf8' }).trim());
    fs.mkdirSync(path.join(remote, 'logs', 'old'));
    fs.writeFileSync(path.join(remote, 'logs', 'old', 'acd.1.log'), 'rotated\n');
    fs.symlinkSync(path.join(remote, 'etc', 'secret.conf'), path.join(remote, 'logs', 'leak.conf'));
    for (const f of ['logs/old', 'logs/old/acd.1.log']) fs.chownSync(path.join(remote, f), owner, owner);
    const into = tempDir();
    const result = files('get', '-r', path.join(remote, 'logs'), into);
    expect(result.status, result.stderr).toBe(0);
    expect(sha256(path.join(into, 'logs', 'ivr.log'))).toBe(sha256(path.join(remote, 'logs', 'ivr.log')));
    expect(fs.readFileSync(path.join(into, 'logs', 'old', 'acd.1.log'), 'utf8')).toBe('rotated\n');
    expect(fs.existsSync(path.join(into, 'logs', 'leak.conf'))).toBe(false);
    expect(result.stderr).toMatch(/skipped .*leak\.conf: a symbolic link \(not followed\)/);
    expect(result.stdout.trim().split('\n')).toHaveLength(2);
    fs.rmSync(path.join(remote, 'logs', 'old'), { recursive: true });
    fs.rmSync(path.join(remote, 'logs', 'leak.conf'));
  });

  it('keeps every transfer in its session\'s record', () => {
    const sessions = JSON.parse(cli('log', 'list', '--json', '--kind', 'session').stdout) as { outcome: string; detail: { transfers?: { direction: string; result: string; sha256: string | null }[] } }[];
    const transfers = sessions.flatMap((s) => s.detail.transfers ?? []);
    expect(transfers.map((t) => `${t.direction} ${t.result}`).sort()).toEqual(['download complete', 'download complete', 'download complete', 'download complete', 'download refused', 'upload refused']);
    expect(sessions.every((s) => s.outcome === 'completed')).toBe(true);
    const text = cli('log', 'list', '--kind', 'session').stdout;
    expect(text).toMatch(new RegExp(`download complete ${path.join(remote, 'logs', 'ivr.log')} → ivr.log, 200000 bytes, sha256 [0-9a-f]{64}`));
    expect(text).toMatch(/upload refused .*fix\.sh ← fix\.sh: .*download-only/);
  });
});
