import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildNodeBundles, runCli } from '../helpers/cli';
import { toYaml } from '../helpers/fixtures';
import { useTempDirs } from '../helpers/temp-dir';

const SITE = 'Lab Co/lab';

/**
 * A one-site lab whose db01 is recorded by name. The CLI resolves names with the system resolver, and
 * `localhost` is the one name every test machine resolves (to loopback, so its allow-list may hold
 * loopback: the host's own address is loopback).
 */
function labProfile(host: Record<string, unknown>, customer = 'Lab Co'): string {
  return toYaml({
    version: 1,
    customers: [{
      name: customer, package: 'premium', timezone: 'UTC', workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      sites: [{ name: 'lab', seats: 10, peak_calls: 10, approved_methods: ['ssh'], hosts: [{ name: 'db01', ssh: { user: 'support' }, ...host }] }],
    }],
  });
}

/** Every row of every table, to show that a refused import wrote nothing. */
function dumpDatabase(dataDir: string): string {
  const db = new Database(path.join(dataDir, 'switchboard.db'), { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
    return JSON.stringify(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}"`).all()]));
  } finally {
    db.close();
  }
}

describe('switchboard policy check: a typed IP is only ever a host\'s own recorded address', () => {
  const tempDir = useTempDirs('switchboard-cli-address-');
  let dataDir = '';
  const cli = (...args: string[]) => runCli(args, { dataDir });
  const check = (target: string) => cli('policy', 'check', '--site', SITE, '--target', target, '--method', 'ssh', '--ticket', 'LAB-1', '--json');

  beforeAll(async () => {
    await buildNodeBundles();
    dataDir = tempDir();
    const file = path.join(tempDir(), 'lab.yaml');
    fs.writeFileSync(file, labProfile({ address: 'localhost', allow: ['127.0.0.0/28', '::1'] }));
    const imported = cli('sites', 'import', file);
    expect(imported.status, imported.stderr).toBe(0);
    expect(cli('tickets', 'open', '--site', SITE, '--id', 'LAB-1', '--component', 'acd').status).toBe(0);
  });

  it('allows the host by name, connecting to what the name resolves to now; denies that same IP typed by hand', () => {
    const byName = check('db01');
    expect(byName.status, byName.stdout + byName.stderr).toBe(0);
    const allowed = JSON.parse(byName.stdout) as { allowed: boolean; address: string; reasons: string[] };
    expect(allowed.allowed).toBe(true);
    expect(['127.0.0.1', '::1']).toContain(allowed.address);
    expect(allowed.reasons.join('\n')).toMatch(new RegExp(`localhost resolved to [^\\n]*${allowed.address.replace(/\./g, '\\.')}[^\\n]* just now, inside the allow-list`));

    // The very address db01 resolves to, typed: in its allow-list, but not its recorded address.
    const typed = check(allowed.address);
    expect(typed.status).toBe(1);
    const denied = JSON.parse(typed.stdout) as { allowed: boolean; address: null; host: null; reasons: string[] };
    expect(denied).toMatchObject({ allowed: false, address: null, host: null });
    expect(denied.reasons).toEqual([expect.stringMatching(/is not the recorded address of any trusted host of this site\. It lies in db01's allow-list .*only vouches for what localhost resolves to.*Connect to db01 by name\./)]);
    expect(denied.reasons.join('\n')).not.toMatch(/resolved to/);
  });

  it.each([
    ['127.0.0.2', /not the recorded address of any trusted host/],
    ['0x7f.0.0.1', /canonical dotted-quad/],
    ['127.1', /canonical dotted-quad/],
    ['2130706433', /canonical dotted-quad/],
    ['::ffff:127.0.0.1', /IPv4 address dressed as IPv6/],
    ['::1%lo', /zone id/],
    ['127.0.0.1.', /trailing dot/],
    ['[::1]', /without brackets/],
    ['0:0:0:0:0:0:0:1', /write it as ::1/],
  ])('denies %j with a reason in words', (target, reason) => {
    const result = check(target);
    expect(result.status).toBe(1);
    expect((JSON.parse(result.stdout) as { reasons: string[] }).reasons.join('\n')).toMatch(reason);
  });

  it('logs nothing (policy check is a dry run)', () => {
    expect(JSON.parse(cli('log', 'list', '--json', '--kind', 'session').stdout)).toEqual([]);
  });
});

describe('switchboard sites import refuses allow-lists that are too wide or special, naming each, and writes nothing', () => {
  const tempDir = useTempDirs('switchboard-cli-allow-');
  let dataDir = '';
  let before = '';

  beforeAll(async () => {
    await buildNodeBundles();
    dataDir = tempDir();
    const file = path.join(tempDir(), 'lab.yaml');
    fs.writeFileSync(file, labProfile({ address: 'db01.lab.example', allow: ['10.40.1.0/28'] }));
    expect(runCli(['sites', 'import', file], { dataDir }).status).toBe(0);
    before = dumpDatabase(dataDir);
  });

  const importHost = (host: Record<string, unknown>) => {
    const file = path.join(tempDir(), 'more.yaml');
    fs.writeFileSync(file, labProfile(host, 'More Co'));
    const result = runCli(['sites', 'import', file], { dataDir });
    expect(dumpDatabase(dataDir), 'a refused import must write nothing').toBe(before);
    return result;
  };

  const HOST_PATH = 'Customer 1 (More Co), site 1 (lab), host 1 (db01)';

  it.each([
    ['0.0.0.0/0', /"0\.0\.0\.0\/0" is every IPv4 address/],
    ['::/0', /"::\/0" is every IPv6 address/],
    ['10.0.0.0/8', /"10\.0\.0\.0\/8" is wider than \/16/],
    ['10.40.0.0/15', /wider than \/16/],
    ['2001:db8::/32', /"2001:db8::\/32" is wider than \/48/],
    ['0.0.0.0', /unspecified/],
    ['::', /unspecified/],
    ['169.254.169.254', /"169\.254\.169\.254" is in the link-local range 169\.254\.0\.0\/16/],
    ['169.254.0.0/16', /link-local/],
    ['fe80::/10', /link-local/],
    ['fe80::1', /link-local/],
    ['224.0.0.0/4', /multicast/],
    ['239.1.2.3', /multicast/],
    ['ff00::/8', /multicast/],
    ['ff02::1', /multicast/],
    ['255.255.255.255', /broadcast/],
    ['255.255.255.255/32', /broadcast/],
    ['127.0.0.1', /loopback.*only for a host whose own address is loopback/],
    ['::1', /loopback/],
  ])('refuses allow: [%s] with exit 2, naming the field and the entry', (entry, reason) => {
    const result = importHost({ address: 'db01.lab.example', allow: ['10.40.1.0/28', entry] });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${HOST_PATH}, allow-list entry 2 (${entry}): "${entry}"`);
    expect(result.stderr).toMatch(reason);
    expect(result.stderr).toMatch(/Nothing was imported/);
    expect(result.stderr).not.toMatch(/Invalid input|expected|received|customers\[|ZodError|^\s+at /m);
  });

  it('reports every bad entry of the list, not only the first', () => {
    const result = importHost({ address: 'db01.lab.example', allow: ['0.0.0.0/0', '10.40.1.0/28', '169.254.169.254', '10.0.0.0/8', '10.40.1.1/28'] });
    expect(result.status).toBe(2);
    for (const index of [0, 2, 3, 4]) expect(result.stderr).toContain(`${HOST_PATH}, allow-list entry ${index + 1} (`);
    expect(result.stderr).not.toContain(`${HOST_PATH}, allow-list entry 2 (`);
    expect(result.stderr).toMatch(/and 3 more problems/);
  });

  it('allows loopback only for a host whose own address is loopback', () => {
    const file = path.join(tempDir(), 'loop.yaml');
    fs.writeFileSync(file, labProfile({ address: '127.0.0.1', allow: ['127.0.0.1/32'] }, 'Loop Co'));
    const fresh = tempDir();
    const result = runCli(['sites', 'import', file], { dataDir: fresh });
    expect(result.status, result.stderr).toBe(0);
  });

  it.each([
    [{ address: '169.254.169.254' }, `${HOST_PATH}, address: 169.254.169.254 is in the link-local range`],
    [{ address: 'db01.lab.example', allow: '10.40.1.0/28' }, `${HOST_PATH}, allow-list: an allow-list is a list of IP addresses or CIDRs`],
    [{ address: 'db01.lab.example', allow: ['10.40.1.0/28'], ssh: { port: 99999 } }, `${HOST_PATH}, SSH port: a port must be between 1 and 65535`],
  ])('refuses %j in words', (host, message) => {
    const result = importHost(host);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
