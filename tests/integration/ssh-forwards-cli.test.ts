import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, ROOT, runCli } from '../helpers/cli';
import { sshdUnavailable, startSshd, type TestSshd } from '../helpers/sshd';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';
import { echoOrError, startEchoServer } from '../helpers/tcp-echo';

const unavailable = sshdUnavailable();
const credential = `cli-forwards-${process.pid}`;

/** `switchboard connect --method ssh … --forward HOST:PORT -- COMMAND` (built CLI, real sshd, real keychain). */
describe.skipIf(unavailable).sequential(`CLI: connect --forward${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let sshd: TestSshd;
  let echo: Awaited<ReturnType<typeof startEchoServer>> | undefined;
  let echoPort = 0;
  const dataDir = makeTempDir('switchboard-cli-forwards-');
  const base = () => ['connect', '--method', 'ssh', '--site', 'Loopback Labs/lab', '--target', 'lab01', '--ticket', 'CLI-FWD'];

  beforeAll(async () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through scripts/with-keyring.sh').toBeTruthy();
    sshd = await startSshd();
    echo = await startEchoServer();
    echoPort = echo.port;
    const file = path.join(dataDir, 'lab.yaml');
    fs.writeFileSync(file, stringify({
      version: 1,
      customers: [{
        name: 'Loopback Labs', package: 'premium', timezone: 'UTC', workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        sites: [{
          name: 'lab', seats: 10, peak_calls: 10, approved_methods: ['ssh', 'https'],
          hosts: [
            { name: 'lab01', address: '127.0.0.1', ssh: { port: sshd.port, user: sshd.user, credential, host_key: sshd.hostKeyFingerprint } },
            { name: 'web01', address: '127.0.0.1', https: { port: echoPort } },
          ],
        }],
      }],
    }));
    expect(runCli(['sites', 'import', file], { dataDir }).status).toBe(0);
    expect(runCli(['credentials', 'set', credential], { dataDir, input: `${sshd.password}\n` }).status).toBe(0);
    expect(runCli(['tickets', 'open', '--site', 'Loopback Labs/lab', '--id', 'CLI-FWD', '--component', 'other'], { dataDir }).status).toBe(0);
  });
  afterAll(async () => {
    runCli(['credentials', 'delete', credential], { dataDir });
    await sshd?.stop();
    await echo?.stop();
    removeTempDir(dataDir);
  });

  it('prints the local address, carries bytes while COMMAND runs, and closes with the session', async () => {
    // `head -n 1` waits for one line on stdin: the forward is live until the test sends it.
    const child = spawn(process.execPath, [CLI_BIN, '--data-dir', dataDir, ...base(), '--forward', `web01:${echoPort}`, '--', 'head', '-n', '1'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const port = await new Promise<number>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const match = /Forwarding 127\.0\.0\.1:(\d+) → web01:(\d+) \(127\.0\.0\.1, HTTPS console\)/.exec(stderr);
        if (match) resolve(Number(match[1]));
      });
      void exited.then((code) => reject(new Error(`the CLI exited (${code}) before forwarding: ${stderr}`)));
    });
    expect(await echoOrError(port, 'through the cli')).toBe('through the cli');
    child.stdin.end('done\n');
    expect(await exited, stderr).toBe(0);
    expect(stdout).toBe('done\n');
    expect(await echoOrError(port, 'late')).toBe('ECONNREFUSED');
    const records = JSON.parse(runCli(['log', 'list', '--json', '--ticket', 'CLI-FWD'], { dataDir }).stdout) as { host: string; outcome: string; detail: Record<string, unknown> }[];
    const forward = records.find((r) => r.detail.forwardVia !== undefined);
    expect(forward).toMatchObject({ host: 'web01', outcome: 'closed', detail: { closedBecause: 'the SSH session ended', connections: 1 } });
  });

  it('ends the session with status 1 before COMMAND runs when a forward is refused', () => {
    const result = runCli([...base(), '--forward', 'web01:8081', '--', 'echo', 'should-not-run'], { dataDir });
    expect(result.status).toBe(1);
    expect(result.stdout).not.toContain('should-not-run');
    expect(result.stderr).toMatch(/forward to web01:8081 denied \(logged\):\n {2}web01 does not expose port 8081 for forwarding/);
  });

  it.each([
    ['web01', /expected \[LOCALPORT:\]HOST:PORT/],
    ['web01:99999', /99999 is not a TCP port/],
    ['80:web01:443', /local port from 1024 to 65535/],
  ])('refuses --forward %s as bad usage before connecting', (spec, message) => {
    const result = runCli([...base(), '--forward', spec, '--', 'true'], { dataDir });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
