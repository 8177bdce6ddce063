import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseProfile } from '../../main/core/profiles/parse';
import { buildNodeBundles, runCli } from '../helpers/cli';
import { SAMPLE_PROFILE_YAML, sampleWith } from '../helpers/fixtures';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs('switchboard-cli-');

/** A folder holding the sample profile (and the VPN profile it names), and a data dir it was imported into. */
let profileDir = '';
let sampleFile = '';
let dataDir = '';

beforeAll(async () => {
  await buildNodeBundles();
  profileDir = tempDir();
  sampleFile = path.join(profileDir, 'acme.yaml');
  fs.writeFileSync(sampleFile, SAMPLE_PROFILE_YAML);
  fs.writeFileSync(path.join(profileDir, 'acme.ovpn'), 'client\n');
  dataDir = tempDir();
});

describe('sites', () => {
  beforeAll(() => {
    const result = runCli(['sites', 'import', sampleFile], { dataDir });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Imported 2 customer\(s\), 3 site\(s\), 6 host\(s\), 3 note\(s\) into /);
  });

  it('list --json gives customer, site and hosts with their addresses', () => {
    const result = runCli(['sites', 'list', '--json'], { dataDir });
    expect(result.status).toBe(0);
    const sites = JSON.parse(result.stdout) as { customer: string; site: string; hosts: { name: string; address: string | null }[] }[];
    expect(sites.map((s) => `${s.customer}/${s.site}`)).toEqual(['Acme Telecom/mumbai-prod', 'Acme Telecom/pune-dr', 'Globex Retail/berlin']);
    expect(sites[0]!.hosts.map((h) => [h.name, h.address])).toEqual([
      ['bastion', '203.0.113.10'], ['app01', 'app01.acme.example'], ['vpn-gw', '2001:db8::10'], ['agent-pc-07', null],
    ]);
    expect(sites[0]).toMatchObject({ approved_methods: expect.arrayContaining(['teams']), hosts: expect.arrayContaining([expect.objectContaining({ name: 'app01', methods: ['ssh', 'https', 'vnc'] })]) });
  });

  it('list without --json prints one line per site and host', () => {
    const result = runCli(['sites', 'list'], { dataDir });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Acme Telecom\/mumbai-prod {2}\(100 seats; /m);
    expect(result.stdout).toMatch(/^ {2}app01 +app01\.acme\.example +ssh, https, vnc$/m);
  });

  it('export to stdout parses back to what was imported (VPN profile resolved against the file)', () => {
    const result = runCli(['sites', 'export'], { dataDir });
    expect(result.status).toBe(0);
    expect(parseProfile(result.stdout)).toEqual(parseProfile(SAMPLE_PROFILE_YAML, profileDir));
    expect(result.stdout).toContain(`profile: ${path.join(profileDir, 'acme.ovpn')}`);
  });

  it('export FILE writes the same text to the file', () => {
    const target = path.join(tempDir(), 'out.yaml');
    const result = runCli(['sites', 'export', target], { dataDir });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(fs.readFileSync(target, 'utf8')).toBe(runCli(['sites', 'export'], { dataDir }).stdout);
  });

  it('importing the same file again is refused (exit 2) and changes nothing', () => {
    const before = runCli(['sites', 'export'], { dataDir }).stdout;
    const result = runCli(['sites', 'import', sampleFile], { dataDir });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Customer 1 \(Acme Telecom\), name: a customer named "Acme Telecom" already exists/);
    expect(runCli(['sites', 'export'], { dataDir }).stdout).toBe(before);
  });
});

describe('notes search', () => {
  it('--json gives customer, site, title and a snippet with the word; exit 0', () => {
    const result = runCli(['notes', 'search', 'failover', '--json'], { dataDir });
    expect(result.status).toBe(0);
    const matches = JSON.parse(result.stdout) as { customer: string; site: string; title: string; snippet: string }[];
    expect(matches.map((m) => [m.customer, m.site, m.title]).sort()).toEqual([
      ['Acme Telecom', 'mumbai-prod', 'Dialer restarts'],
      ['Globex Retail', 'berlin', 'Escalation'],
    ]);
    for (const m of matches) expect(m.snippet).toContain('**failover**');
  });

  it('no match → [] and exit 1', () => {
    const result = runCli(['notes', 'search', 'zzyzx', '--json'], { dataDir });
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual([]);
  });

  it('no match without --json says so on stderr, exit 1', () => {
    const result = runCli(['notes', 'search', 'zzyzx'], { dataDir });
    expect(result).toMatchObject({ status: 1, stdout: '' });
    expect(result.stderr).toMatch(/no note matches "zzyzx"/);
  });
});

describe('bad input', () => {
  it('a bad file → exit 2 saying where in words on stderr, and nothing imported', () => {
    const fresh = tempDir();
    const bad = path.join(tempDir(), 'bad.yaml');
    fs.writeFileSync(bad, sampleWith((doc) => void ((doc.customers[1]!.sites as { hosts: { allow: string[] }[] }[])[0]!.hosts[0]!.allow = ['10.0.0.1/8'])));
    const result = runCli(['sites', 'import', bad], { dataDir: fresh });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Customer 2 (Globex Retail), site 1 (berlin), host 1 (');
    expect(result.stderr).toContain('allow-list entry 1 (10.0.0.1/8)');
    expect(result.stderr).not.toContain('customers[');
    expect(result.stderr).toMatch(/did you mean 10\.0\.0\.0\/8/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(JSON.parse(runCli(['sites', 'list', '--json'], { dataDir: fresh }).stdout)).toEqual([]);
  });

  it('a missing file → exit 2', () => {
    const result = runCli(['sites', 'import', path.join(tempDir(), 'nope.yaml')], { dataDir: tempDir() });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/cannot read .*nope\.yaml: no such file/);
  });

  it.each([
    ['unknown command', ['frobnicate']],
    ['unknown subcommand', ['sites', 'frobnicate']],
    ['unknown flag', ['sites', 'list', '--frobnicate']],
    ['extra argument', ['sites', 'list', 'extra']],
    ['import without a file', ['sites', 'import']],
    ['search without words', ['notes', 'search']],
    ['no command', []],
  ])('%s → exit 2 with usage', (_what, args) => {
    const result = runCli(args, { dataDir: tempDir() });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^switchboard: /);
  });

  it('--help → exit 0 with the usage, without creating the data dir', () => {
    const untouched = path.join(tempDir(), 'not-created');
    const result = runCli(['--help'], { dataDir: untouched });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: switchboard/);
    expect(result.stdout).toMatch(/Exit codes: 0 success · 1 .* · 2 bad usage/);
    expect(fs.existsSync(untouched)).toBe(false);
  });
});

describe('data dir selection', () => {
  it('SWITCHBOARD_DATA_DIR is honoured, and --data-dir wins over it', () => {
    const fromEnv = tempDir();
    const fromFlag = tempDir();
    const env = { ...process.env, SWITCHBOARD_DATA_DIR: fromEnv };
    expect(runCli(['sites', 'import', sampleFile], { env }).status).toBe(0);
    expect(fs.existsSync(path.join(fromEnv, 'switchboard.db'))).toBe(true);
    expect(JSON.parse(runCli(['sites', 'list', '--json'], { env }).stdout)).toHaveLength(3);
    expect(JSON.parse(runCli(['--data-dir', fromFlag, 'sites', 'list', '--json'], { env }).stdout)).toEqual([]);
  });
});

describe('doctor', () => {
  const SUMMARY = /^(All required checks passed|\d+ required check\(s\) failed)/;
  const checks = (stdout: string) =>
    stdout.split('\n').filter((l) => /^(PASS|FAIL|WARN) /.test(l)).map((l) => [l.slice(0, 4), l.slice(6, 18).trim()] as const);

  it('prints one PASS/FAIL/WARN line per check and exits 0 in a working session', () => {
    const result = runCli(['doctor'], { dataDir: tempDir() });
    expect(result.stderr).toBe('');
    expect(result.status, `doctor needs the keyring session (scripts/with-keyring.sh):\n${result.stdout}`).toBe(0);
    const lines = checks(result.stdout);
    expect(lines.map(([, name]) => name)).toEqual(['data dir', 'database', 'keychain', 'electron', 'openvpn', 'wg-quick', 'openconnect', 'xdg-open', 'ssh']);
    for (const name of ['data dir', 'database', 'keychain']) expect(lines.find(([, n]) => n === name)?.[0], name).toBe('PASS');
    const lineCount = result.stdout.split('\n').filter(Boolean).length;
    expect(lineCount).toBe(lines.length + 1); // nothing but check lines and the summary
    expect(result.stdout.trimEnd().split('\n').at(-1)).toMatch(SUMMARY);
    expect(result.stdout).toMatch(/All required checks passed/);
  });

  it('with a corrupt database file → FAIL database, exit 1', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'switchboard.db'), 'this is not a database, just garbage bytes '.repeat(200));
    const result = runCli(['doctor'], { dataDir: dir });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^FAIL {2}database +.*not a database/m);
    expect(result.stdout).toMatch(/^PASS {2}data dir/m);
    expect(result.stdout).toMatch(/1 required check\(s\) failed/);
  });
});
