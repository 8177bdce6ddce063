import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_PROFILE_YAML } from '../helpers/fixtures';
import { buildNodeBundles, runCli } from '../helpers/cli';
import { useTempDirs } from '../helpers/temp-dir';

const SITE = 'Acme Telecom/mumbai-prod';

/** The ticket-bound access commands, as an engineer types them, on a profile imported from a file. */
describe('switchboard tickets / policy / connect / log', () => {
  const tempDir = useTempDirs('switchboard-cli-access-');
  let dataDir: string;
  const cli = (...args: string[]) => runCli(args, { dataDir });

  beforeAll(async () => {
    await buildNodeBundles();
    dataDir = tempDir();
    const fileDir = tempDir();
    fs.writeFileSync(path.join(fileDir, 'acme.yaml'), SAMPLE_PROFILE_YAML);
    fs.writeFileSync(path.join(fileDir, 'acme.ovpn'), 'client\nremote vpn.acme.example 1194\n');
    expect(cli('sites', 'import', path.join(fileDir, 'acme.yaml')).status).toBe(0);
  });

  it('classifies the guide\'s examples with the loss as a fraction', () => {
    const cases: [string[], string, number][] = [
      [['--seats', '100', '--component', 'acd', '--cannot-take-calls', '21'], 'critical', 0.21],
      [['--seats', '100', '--component', 'ivr', '--cannot-login', '20'], 'critical', 0.2],
      [['--seats', '100', '--calls', '400', '--component', 'dialer', '--calls-rejected', '81'], 'critical', 0.2025],
      [['--seats', '100', '--component', 'reports', '--cannot-take-calls', '50'], 'major', 0.5],
      [['--seats', '100', '--calls', '400', '--component', 'acd', '--calls-rejected', '8'], 'minor', 0.02],
    ];
    for (const [args, severity, loss] of cases) {
      const result = cli('tickets', 'classify', ...args, '--json');
      expect(result.status, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ severity, loss: expect.closeTo(loss, 6) });
    }
  });

  it('refuses bad classify input with exit 2', () => {
    expect(cli('tickets', 'classify', '--seats', 'many', '--component', 'acd').status).toBe(2);
    expect(cli('tickets', 'classify', '--seats', '100', '--component', 'coffee').stderr).toMatch(/component/);
    expect(cli('tickets', 'classify', '--seats', '100', '--component', 'acd', '--cannot-take-calls', '101').status).toBe(2);
  });

  it('opens a ticket against a site and computes its severity', () => {
    const result = cli('tickets', 'open', '--site', SITE, '--id', 'EXO-48213', '--component', 'acd', '--cannot-take-calls', '25', '--json');
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ref: 'EXO-48213', severity: 'critical', status: 'open', level: 'L1', clocks: { resolution: { budgetMs: 3 * 3600_000 } } });
    expect(cli('tickets', 'open', '--site', SITE, '--id', 'EXO-48213', '--json').status).toBe(2);
    expect(cli('tickets', 'open', '--site', 'Acme Telecom/nowhere', '--id', 'EXO-9', '--json').stderr).toMatch(/no site "Acme Telecom\/nowhere"/);
  });

  it('policy check: exit 0 when allowed, 1 when denied, 2 on bad usage — and logs nothing', () => {
    const allowed = cli('policy', 'check', '--site', SITE, '--target', 'bastion', '--method', 'ssh', '--ticket', 'EXO-48213', '--json');
    expect(allowed.status, allowed.stderr).toBe(0);
    expect(JSON.parse(allowed.stdout)).toMatchObject({ allowed: true, address: '203.0.113.10', reasons: expect.any(Array) });
    const denied = cli('policy', 'check', '--site', SITE, '--target', '0x7f.1', '--method', 'ssh', '--ticket', 'EXO-48213', '--json');
    expect(denied.status).toBe(1);
    expect(JSON.parse(denied.stdout)).toMatchObject({ allowed: false, address: null, reasons: [expect.stringMatching(/canonical/)] });
    expect(cli('policy', 'check', '--site', SITE, '--target', 'bastion', '--method', 'telnet', '--ticket', 'EXO-48213').status).toBe(2);
    expect(cli('policy', 'check', '--site', SITE, '--target', 'bastion').status).toBe(2);
    // The import is on the record (policy changes); no check is.
    expect(JSON.parse(cli('log', 'list', '--json', '--kind', 'session').stdout)).toEqual([]);
  });

  it('connect logs allowed and denied attempts; --print prints the link or command', () => {
    const link = cli('connect', '--site', SITE, '--target', 'agent-pc-07', '--method', 'anydesk', '--ticket', 'EXO-48213', '--print');
    expect(link.status, link.stderr).toBe(0);
    expect(link.stdout.trim()).toBe('anydesk:123456789');
    const vpn = cli('connect', '--site', SITE, '--target', 'vpn-gw', '--method', 'vpn', '--ticket', 'EXO-48213', '--print');
    expect(vpn.status, vpn.stderr).toBe(0);
    // The printed profile is the session's derived copy, its remote forced to the IP the policy approved.
    expect(vpn.stdout).toMatch(/^openvpn --config (\S+\/profile\.ovpn)\n# gateway forced to 2001:db8::10 port 1194 \(the profile names vpn\.acme\.example\)/);
    const derived = /^openvpn --config (\S+)/.exec(vpn.stdout)![1]!;
    expect(fs.readFileSync(derived, 'utf8')).toBe('client\nremote 2001:db8::10 1194\n');
    const denied = cli('connect', '--site', SITE, '--target', 'evil.example', '--method', 'ssh', '--ticket', 'EXO-48213');
    expect(denied.status).toBe(1);
    expect(denied.stderr).toMatch(/denied[\s\S]*not a trusted host/);
    const log = JSON.parse(cli('log', 'list', '--json', '--kind', 'session').stdout) as { outcome: string; decision: string; reasons: string[]; method: string }[];
    expect(log).toHaveLength(3);
    expect(log.find((r) => r.decision === 'deny')).toMatchObject({ outcome: 'denied', method: 'ssh', reasons: [expect.stringMatching(/not a trusted host/)] });
    expect(log.filter((r) => r.outcome === 'printed')).toHaveLength(2);
  });

  it('has no "approvals record --approved-by" any more: an exception needs a lead\'s signature', () => {
    const old = cli('approvals', 'record', '--site', 'Acme Telecom/pune-dr', '--method', 'https', '--reason', 'DR drill', '--until', '2999-12-31');
    expect(old.status).toBe(2);
    expect(old.stderr).toMatch(/"approvals record --approved-by" is gone/);
    expect(cli('approvals', 'record', '--approved-by', 'Priya Nair').status).toBe(2);
  });

  it('log verify catches an edited, a deleted and a reordered record', () => {
    expect(cli('log', 'verify').status).toBe(0);
    const tamper = (sql: string) => {
      const db = new Database(path.join(dataDir, 'switchboard.db'));
      // An attacker with the file can drop the append-only triggers; the hash chain still tells.
      for (const name of (db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'session_events'").all() as { name: string }[])) db.exec(`DROP TRIGGER "${name.name}"`);
      db.exec(sql);
      db.close();
    };
    const file = path.join(dataDir, 'switchboard.db');
    const pristine = fs.readFileSync(file);
    const cases: [string, string, RegExp][] = [
      ['edited', "UPDATE session_events SET outcome = 'completed' WHERE seq = 2", /record 2\b[\s\S]*edited/],
      ['deleted', 'DELETE FROM session_events WHERE seq = 2', /record[\s\S]*(deleted|missing)/],
      ['reordered', 'UPDATE session_events SET seq = -1 WHERE seq = 1; UPDATE session_events SET seq = 1 WHERE seq = 2; UPDATE session_events SET seq = 2 WHERE seq = -1;', /record 1\b/],
    ];
    for (const [kind, sql, message] of cases) {
      fs.writeFileSync(file, pristine);
      tamper(sql);
      const result = cli('log', 'verify');
      expect(result.status, kind).toBe(1);
      expect(result.stderr + result.stdout, kind).toMatch(message);
    }
    fs.writeFileSync(file, pristine);
    expect(cli('log', 'verify').status).toBe(0);
    expect(cli('log', 'export', '--format', 'xml').status).toBe(2);
  });
});
