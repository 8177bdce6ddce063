import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { useTempDirs } from '../helpers/temp-dir';

/** `switchboard sites list` shows each site's file-transfer setting (issue 12 §2), in words and in --json. */
const tempDir = useTempDirs('switchboard-cli-files-');
let dataDir: string;

const PROFILE = `version: 1
customers:
  - name: Acme
    package: premium
    timezone: Asia/Kolkata
    workdays: [mon, tue, wed, thu, fri]
    sites:
      - { name: Pune, seats: 10, peak_calls: 5, approved_methods: [ssh], files: { transfer: download, folders: [/var/log/ameyo, /tmp/support/] } }
      - { name: Delhi, seats: 10, peak_calls: 5, approved_methods: [ssh], files: { transfer: both } }
      - { name: Goa, seats: 10, peak_calls: 5, approved_methods: [ssh] }
`;

beforeAll(() => {
  dataDir = tempDir();
  const file = path.join(tempDir(), 'acme.yaml');
  fs.writeFileSync(file, PROFILE);
  const imported = runCli(['sites', 'import', file], { dataDir });
  expect(imported.status, imported.stderr).toBe(0);
});

describe('sites list', () => {
  it('says the setting on each site\'s line', () => {
    const result = runCli(['sites', 'list'], { dataDir });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Acme/Pune  (10 seats; ssh; file transfer: download only (/var/log/ameyo, /tmp/support))\n');
    expect(result.stdout).toContain('Acme/Delhi  (10 seats; ssh; file transfer: both ways (any folder))\n');
    expect(result.stdout).toContain('Acme/Goa  (10 seats; ssh; file transfer: off)\n');
  });

  it('--json gives files: {transfer, folders}', () => {
    const sites = JSON.parse(runCli(['sites', 'list', '--json'], { dataDir }).stdout) as { site: string; files: unknown }[];
    expect(sites.map((s) => [s.site, s.files])).toEqual([
      ['Delhi', { transfer: 'both', folders: [] }],
      ['Goa', { transfer: 'off', folders: [] }],
      ['Pune', { transfer: 'download', folders: ['/var/log/ameyo', '/tmp/support'] }],
    ]);
  });
});
