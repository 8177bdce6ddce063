import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildNodeBundles, runCli } from '../helpers/cli';
import { useTempDirs } from '../helpers/temp-dir';

/** `switchboard hosts repin`: the CLI's way to replace a pinned SSH host key, with a ticket and a reason. */
describe('switchboard hosts repin', () => {
  const tempDir = useTempDirs('switchboard-cli-repin-');
  let dataDir: string;
  const OLD = `SHA256:${'o'.repeat(43)}`;
  const NEW = `SHA256:${'n'.repeat(43)}`;
  const cli = (...args: string[]) => runCli(args, { dataDir });
  const repin = (...extra: string[]) => cli('hosts', 'repin', '--site', 'Pin Co/hq', '--host', 'app01', ...extra);

  beforeAll(async () => {
    await buildNodeBundles();
    dataDir = tempDir();
    const file = path.join(tempDir(), 'pin.yaml');
    fs.writeFileSync(file, stringify({
      version: 1,
      customers: [{
        name: 'Pin Co', package: 'premium', timezone: 'UTC', workdays: ['mon', 'tue', 'wed', 'thu', 'fri'],
        sites: [{ name: 'hq', seats: 10, peak_calls: 10, approved_methods: ['ssh'], hosts: [{ name: 'app01', address: '10.9.0.5', ssh: { port: 22, user: 'support', host_key: OLD } }] }],
      }],
    }));
    expect(cli('sites', 'import', file).status).toBe(0);
    expect(cli('tickets', 'open', '--site', 'Pin Co/hq', '--id', 'PIN-1', '--type', 'change').status).toBe(0);
  });

  /** The pin as the profile export writes it. */
  const pinnedKey = () => /host_key: "?(SHA256:[^"\s]+)/.exec(cli('sites', 'export').stdout)?.[1];

  it('refuses bad usage with exit 2 and changes nothing', () => {
    expect(repin('--ticket', 'PIN-1', '--fingerprint', NEW).status).toBe(2); // no reason
    const badKey = repin('--ticket', 'PIN-1', '--fingerprint', 'SHA256:short', '--reason', 'customer read it to me');
    expect(badKey.status).toBe(2);
    expect(badKey.stderr).toMatch(/SHA256 fingerprint as OpenSSH prints it/);
    expect(repin('--ticket', 'PIN-1', '--fingerprint', NEW, '--reason', 'ok').status).toBe(2); // reason too short
    expect(pinnedKey()).toBe(OLD);
  });

  it('refuses a ticket the policy does not accept with exit 1, and logs the refusal', () => {
    const denied = repin('--ticket', 'NOPE-1', '--fingerprint', NEW, '--reason', 'customer read it to me');
    expect(denied.status).toBe(1);
    expect(denied.stderr).toMatch(/Not replaced/);
    const log = JSON.parse(cli('log', 'list', '--json').stdout) as Array<{ ticket: string | null; decision: string | null }>;
    expect(log.filter((r) => r.ticket === 'NOPE-1')).toEqual([expect.objectContaining({ decision: 'deny' })]);
  });

  it('replaces the pin and records it', () => {
    const done = repin('--ticket', 'PIN-1', '--fingerprint', NEW, '--reason', 'host reinstalled; customer read the new fingerprint to me');
    expect(done.status, done.stderr).toBe(0);
    expect(done.stdout).toContain(`${OLD} → ${NEW}`);
    expect(pinnedKey()).toBe(NEW);
    const log = JSON.parse(cli('log', 'list', '--json').stdout) as Array<{ ticket: string | null; outcome: string | null; host: string | null }>;
    expect(log.filter((r) => r.ticket === 'PIN-1' && r.outcome === 'host-key-replaced' && r.host === 'app01')).toHaveLength(1);
    expect(cli('log', 'verify').status).toBe(0);
  });
});
