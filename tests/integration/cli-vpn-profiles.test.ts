import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../main/core/store/database';
import { buildNodeBundles, runCli } from '../helpers/cli';
import { SAMPLE_PROFILE_YAML } from '../helpers/fixtures';
import { useTempDirs } from '../helpers/temp-dir';

/** `sites import` reads each VPN profile the file names and refuses one with a hook before writing anything. */
describe('switchboard sites import: VPN profiles with hooks', () => {
  const tempDir = useTempDirs('switchboard-cli-vpn-');
  beforeAll(async () => {
    await buildNodeBundles();
  });

  const importWith = (ovpn: string) => {
    const dataDir = tempDir();
    const fileDir = tempDir();
    fs.writeFileSync(path.join(fileDir, 'acme.yaml'), SAMPLE_PROFILE_YAML);
    fs.writeFileSync(path.join(fileDir, 'acme.ovpn'), ovpn);
    return { dataDir, profile: path.join(fileDir, 'acme.ovpn'), result: runCli(['sites', 'import', path.join(fileDir, 'acme.yaml')], { dataDir }) };
  };

  const written = (dataDir: string) => {
    const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
    try {
      return db.prepare('SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM sites) + (SELECT count(*) FROM vpn_profiles)').pluck().get();
    } finally {
      db.close();
    }
  };

  it.each([
    ['client\nremote vpn.acme.example 1194\nscript-security 2\nup /etc/openvpn/update-resolv-conf\n', 3, 'script-security'],
    ['client\n# a comment\n   --route-up "/bin/sh -c id"\n', 3, 'route-up'],
    ['client\nsetenv opt plugin /tmp/x.so\n', 2, 'plugin'],
  ])('exits 2 naming the file and the line, and writes nothing (%#)', (ovpn, line, directive) => {
    const { dataDir, profile, result } = importWith(ovpn);
    expect(result.status, result.stdout).toBe(2);
    expect(result.stderr).toMatch(/Customer 1 \([^)]+\), site 1 \([^)]+\), VPN profile: /);
    expect(result.stderr).toContain(`VPN profile "${profile}", line ${line}: \`${directive}`);
    expect(result.stderr).toMatch(/Nothing was imported/);
    expect(written(dataDir)).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'vpn-profiles'))).toBe(false);
  });

  it('imports a clean profile and keeps its checked copy', () => {
    const { dataDir, result } = importWith('client\nremote vpn.acme.example 1194\n');
    expect(result.status, result.stderr).toBe(0);
    expect(fs.readdirSync(path.join(dataDir, 'vpn-profiles'))).toEqual([expect.stringMatching(/^[0-9a-f]{64}\.ovpn$/)]);
  });
});
