import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNodeBundles, CLI_BIN, ROOT, runCli, type CliResult } from '../helpers/cli';
import { opensslUnavailable, selfSignedCertificate, startHttpsConsole, type TestServer } from '../helpers/https-server';
import { useTempDirs } from '../helpers/temp-dir';

/**
 * `switchboard connect --method https` from a terminal: the same policy and certificate pin as the window,
 * against a real HTTPS server on loopback, with a stand-in xdg-open that records what it was asked to open.
 * (The CLI runs as a child process, asynchronously, so this process can serve TLS meanwhile.)
 */
const unavailable = opensslUnavailable();

function runCliAsync(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe.skipIf(unavailable)(`switchboard connect --method https${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const tempDir = useTempDirs('switchboard-cli-https-');
  let dataDir: string;
  let bin: string;
  let server: TestServer;
  let pinned: string;
  const env = () => ({ ...process.env, PATH: `${bin}:${process.env.PATH}`, SWITCHBOARD_DATA_DIR: undefined });
  const opened = () => (fs.existsSync(path.join(bin, 'opened.txt')) ? fs.readFileSync(path.join(bin, 'opened.txt'), 'utf8').trim().split('\n') : []);
  const connect = (target: string) => runCliAsync(['--data-dir', dataDir, 'connect', '--site', 'Console Co/hq', '--target', target, '--method', 'https', '--ticket', 'CON-1'], env());

  beforeAll(async () => {
    await buildNodeBundles();
    dataDir = tempDir();
    bin = tempDir();
    fs.writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$1" >> '${path.join(bin, 'opened.txt')}'\n`, { mode: 0o755 });
    const certificate = selfSignedCertificate(tempDir(), 'console');
    pinned = certificate.fingerprint;
    server = await startHttpsConsole(certificate);
    const other = selfSignedCertificate(tempDir(), 'other');
    const profile = stringify({
      version: 1,
      customers: [{
        name: 'Console Co', package: 'premium', timezone: 'UTC', workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        sites: [{
          name: 'hq', seats: 10, peak_calls: 10, approved_methods: ['https'],
          hosts: [
            { name: 'web01', address: '127.0.0.1', https: { port: server.port, path: '/login', cert_sha256: pinned } },
            { name: 'web02', address: '127.0.0.1', https: { port: server.port, path: '/login', cert_sha256: other.fingerprint } },
          ],
        }],
      }],
    });
    const file = path.join(tempDir(), 'console.yaml');
    fs.writeFileSync(file, profile);
    expect(runCli(['sites', 'import', file], { dataDir }).status).toBe(0);
    expect(runCli(['tickets', 'open', '--site', 'Console Co/hq', '--id', 'CON-1', '--type', 'change'], { dataDir }).status).toBe(0);
  });
  afterAll(async () => { await server?.stop(); });

  it('checks the pin, then hands the exact URL for the approved IP to the browser, and logs it', async () => {
    const result = await connect('web01');
    expect(result.status, result.stderr).toBe(0);
    const url = `https://127.0.0.1:${server.port}/login`;
    expect(result.stdout).toContain(url);
    expect(result.stdout).toContain(pinned);
    await expect.poll(opened).toEqual([url]);
    const log = runCli(['log', 'list', '--json'], { dataDir });
    expect(JSON.parse(log.stdout)[0]).toMatchObject({ method: 'https', host: 'web01', decision: 'allow' });
  });

  it('refuses a certificate that does not match the pin, names both fingerprints, and opens nothing', async () => {
    const before = opened().length;
    const result = await connect('web02');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(pinned);
    expect(opened()).toHaveLength(before);
  });

  it('denies a target that is not a trusted host without touching the network', async () => {
    const connections = server.connections();
    const result = await connect('10.1.2.3');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/connection denied/);
    expect(server.connections()).toBe(connections);
  });
});
