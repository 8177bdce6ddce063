import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNodeBundles, listSessions, runCli } from '../helpers/cli';
import { decodePng, pixelAt } from '../helpers/png';
import { useTempDirs } from '../helpers/temp-dir';
import { startXvnc, type TestXvnc } from '../helpers/xvnc';

/** `switchboard connect --method vnc` from a terminal: the plan, and one frame as a PNG, against a real Xvnc. */
describe('switchboard connect --method vnc', () => {
  const tempDir = useTempDirs('switchboard-cli-vnc-');
  const credential = `cli-vnc-${process.pid}`;
  let dataDir: string;
  let xvnc: TestXvnc;
  const connect = (target: string, ...more: string[]) =>
    runCli(['connect', '--site', 'Screen Co/hq', '--target', target, '--method', 'vnc', '--ticket', 'SCR-1', ...more], { dataDir });

  beforeAll(async () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through scripts/with-keyring.sh').toBeTruthy();
    await buildNodeBundles();
    dataDir = tempDir();
    xvnc = await startXvnc({ geometry: { width: 300, height: 200 } });
    const profile = stringify({
      version: 1,
      customers: [{
        name: 'Screen Co', package: 'premium', timezone: 'UTC', workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        sites: [{ name: 'hq', seats: 10, peak_calls: 10, approved_methods: ['vnc'], hosts: [{ name: 'desk01', address: '127.0.0.1', vnc: { port: xvnc.port, credential, clipboard: 'to-engineer' } }] }],
      }],
    });
    const file = path.join(tempDir(), 'screen.yaml');
    fs.writeFileSync(file, profile);
    expect(runCli(['sites', 'import', file], { dataDir }).status).toBe(0);
    expect(runCli(['credentials', 'set', credential], { dataDir, input: `${xvnc.password}\n` }).status).toBe(0);
    expect(runCli(['tickets', 'open', '--site', 'Screen Co/hq', '--id', 'SCR-1', '--type', 'incident'], { dataDir }).status).toBe(0);
  });
  afterAll(async () => {
    runCli(['credentials', 'delete', credential], { dataDir });
    await xvnc?.stop();
  });

  it('--print: the plan (approved IP, port, security expected), logged as printed; nothing connected', () => {
    const result = connect('desk01', '--print');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`VNC to desk01 at 127.0.0.1:${xvnc.port} (the approved IP)`);
    expect(result.stdout).toContain('security expected: VNC Authentication');
    expect(result.stdout).toContain('clipboard: server → engineer only');
    expect(listSessions(dataDir)[0]).toMatchObject({ method: 'vnc', host: 'desk01', decision: 'allow', outcome: 'printed' });
  });

  it('--snapshot FILE.png: one full frame through the policy, relay and sign-in, its hash in the log', () => {
    xvnc.x('xsetroot', ['-solid', '#d9822b']);
    const file = path.join(tempDir(), 'desk01.png');
    const result = connect('desk01', '--snapshot', file, '--json');
    expect(result.status, result.stderr).toBe(0);
    const printed = JSON.parse(result.stdout) as { sessionId: string; sha256: string; width: number; height: number };
    const png = fs.readFileSync(file);
    expect(printed).toMatchObject({ width: 300, height: 200, sha256: createHash('sha256').update(png).digest('hex') });
    const image = decodePng(png);
    expect([pixelAt(image, 0, 0), pixelAt(image, 150, 100), pixelAt(image, 299, 199)]).toEqual(['#d9822b', '#d9822b', '#d9822b']);
    const session = listSessions<{ sessionId: string; outcome: string; detail?: Record<string, unknown> }>(dataDir)[0]!;
    expect(session).toMatchObject({ sessionId: printed.sessionId, outcome: 'disconnected' });
  });

  it('a host outside the trusted list: denied, logged, exit 1, no file', () => {
    const file = path.join(tempDir(), 'never.png');
    const result = connect('127.0.0.9', '--snapshot', file);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/connection denied \(logged as session/);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('bad usage: neither --print nor --snapshot, or not a .png', () => {
    expect(connect('desk01').status).toBe(2);
    expect(connect('desk01', '--snapshot', path.join(tempDir(), 'x.jpg')).stderr).toMatch(/name the file FILE\.png/);
  });
});
