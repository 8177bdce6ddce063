import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, type CallResult } from '../../contract/errors';
import type { ImportSummary } from '../../contract/models';
import { openTestCore as openCore, type TestCore as Core } from '../helpers/core';
import { findSiteId, getSite } from '../../main/core/directory/sites';
import { exportProfile } from '../../main/core/profiles/export';
import { VpnProfileStore } from '../../main/core/launchers/vpn-profile-store';
import { importProfile } from '../../main/core/profiles/import';
import { parseProfile } from '../../main/core/profiles/parse';
import { at, SAMPLE_PROFILE_YAML, sampleWith } from '../helpers/fixtures';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs('switchboard-profiles-');
const cores: Core[] = [];
afterEach(() => {
  for (const core of cores.splice(0)) core.close();
});
const freshCore = () => {
  const core = openCore({ dataDir: tempDir(), mode: 'cli' });
  cores.push(core);
  return core;
};

const TABLES = [
  'customers', 'customer_holidays', 'customer_contacts', 'sites', 'site_components', 'site_methods', 'hosts', 'host_allow',
  'host_ssh', 'host_https', 'host_vnc', 'vpn_profiles', 'credentials', 'notes', 'note_revisions',
];
const counts = (core: Core) =>
  Object.fromEntries(TABLES.map((t) => [t, (core.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]));

function ok<T>(result: CallResult<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

/**
 * The sample with its VPN profile at an absolute path: an import from the window has no folder to
 * resolve "acme.ovpn" against, and every VPN profile is read and checked when it is imported.
 */
function sampleText(): string {
  const file = path.join(tempDir(), 'acme.ovpn');
  fs.writeFileSync(file, 'client\nremote vpn.acme.example 1194\n');
  return SAMPLE_PROFILE_YAML.replace('profile: acme.ovpn', `profile: ${file}`);
}

async function exportText(core: Core): Promise<string> {
  return ok<{ text: string; fileName: string }>(await core.dispatch('profiles.export', {})).text;
}

describe('round trip', () => {
  it('import → export → import into an empty data dir → export gives the same bytes and the same profiles', async () => {
    const first = freshCore();
    const sample = sampleText();
    const summary = ok<ImportSummary>(await first.dispatch('profiles.import', { text: sample, fileName: 'sample.yaml' }));
    expect(summary).toEqual({ customers: 2, sites: 3, hosts: 6, notes: 3 });

    const exported = await exportText(first);
    const second = freshCore();
    expect(ok<ImportSummary>(await second.dispatch('profiles.import', { text: exported }))).toEqual(summary);
    const again = await exportText(second);

    expect(again).toBe(exported);
    expect(parseProfile(exported)).toEqual(parseProfile(sample));
  });

  it('writes the alias lync as teams and never a secret', async () => {
    const core = freshCore();
    ok(await core.dispatch('profiles.import', { text: sampleText() }));
    const text = await exportText(core);
    expect(text).not.toMatch(/\blync\b/);
    expect(text).toMatch(/approved_methods:\n\s+- ssh[\s\S]*- teams/);
    expect(text).not.toMatch(/password|secret/i);
    expect(text).toContain('credential: acme-support');
  });

  it('exports only the customers asked for', async () => {
    const core = freshCore();
    ok(await core.dispatch('profiles.import', { text: sampleText() }));
    const globex = core.db.prepare("SELECT id FROM customers WHERE name = 'Globex Retail'").get() as { id: number };
    const text = ok<{ text: string }>(await core.dispatch('profiles.export', { customerIds: [globex.id] })).text;
    expect(parseProfile(text).customers.map((c) => c.name)).toEqual(['Globex Retail']);
  });
});

describe('all or nothing', () => {
  async function seeded(): Promise<{ core: Core; before: Record<string, number> }> {
    const core = freshCore();
    const existing = sampleWith((doc) => void (doc.customers = doc.customers.slice(1)));
    ok(await core.dispatch('profiles.import', { text: existing }));
    const before = counts(core);
    expect(before.customers).toBe(1);
    return { core, before };
  }

  it('a file whose second customer is invalid writes nothing', async () => {
    const { core, before } = await seeded();
    const text = sampleWith((doc) => {
      doc.customers[1]!.name = 'Initech';
      at(doc, 'customers.1.sites.0.hosts.0').address = '127.1';
    });
    const result = await core.dispatch('profiles.import', { text });
    expect(result).toMatchObject({ ok: false, error: { code: 'PROFILE_INVALID', issues: [{ path: 'customers[1].sites[0].hosts[0].address' }] } });
    expect(counts(core)).toEqual(before);
  });

  it('a failure while writing the second customer rolls back the first', async () => {
    const { core, before } = await seeded();
    const file = parseProfile(sampleWith((doc) => void (doc.customers[1]!.name = 'Initech')));
    // Past the parser's checks, so the failure happens inside the import transaction.
    const profile = path.join(tempDir(), 'x.ovpn');
    fs.writeFileSync(profile, 'client\n');
    file.customers[1]!.sites[0]!.vpn = { client: 'openvpn', profile, gateway: 'no-such-host' };
    expect(() => importProfile(core.db, file, new VpnProfileStore(core.dataDir))).toThrow(ApiError);
    expect(counts(core)).toEqual(before);
    expect(findSiteId(core.db, 'Acme Telecom', 'mumbai-prod')).toBeUndefined();
  });

  it('re-importing an existing customer is PROFILE_INVALID at customers[0].name and writes nothing', async () => {
    const { core, before } = await seeded();
    const text = sampleWith((doc) => {
      doc.customers.reverse();
      doc.customers[0]!.name = 'GLOBEX retail';
    });
    const result = await core.dispatch('profiles.import', { text });
    if (result.ok) throw new Error('the import was accepted');
    expect(result.error.code).toBe('PROFILE_INVALID');
    expect(result.error.issues).toEqual([{ path: 'customers[0].name', message: expect.stringMatching(/"GLOBEX retail" already exists/) }]);
    expect(result.error.message).toMatch(/Nothing was imported/);
    expect(counts(core)).toEqual(before);
  });
});

describe('VPN profile paths', () => {
  it('a relative profile is resolved against the file\'s folder', () => {
    const core = freshCore();
    const folder = tempDir();
    fs.writeFileSync(path.join(folder, 'acme.ovpn'), 'client\n');
    importProfile(core.db, parseProfile(SAMPLE_PROFILE_YAML, folder), new VpnProfileStore(core.dataDir));
    const id = findSiteId(core.db, 'Acme Telecom', 'mumbai-prod')!;
    const site = getSite(core.db, id);
    expect(site.vpn).toEqual({ client: 'openvpn', profile: path.join(folder, 'acme.ovpn'), gateway: 'vpn-gw', profileSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(exportProfile(core.db)).toContain(`profile: ${path.join(folder, 'acme.ovpn')}`);
  });
});

describe('file transfer (site `files`)', () => {
  /** mumbai-prod download-only in two folders, pune-dr off but with a folder kept, berlin without the key. */
  function withFiles(): string {
    return sampleWith((doc) => {
      at(doc, 'customers.0.sites.0').files = { transfer: 'download', folders: ['/var/log/ameyo/', '//tmp/support'] };
      at(doc, 'customers.0.sites.1').files = { transfer: 'off', folders: ['/var/log/ameyo'] };
    }).replace(/profile: acme\.ovpn/, `profile: ${path.join(tempDir(), 'acme.ovpn')}`);
  }
  const setting = (core: Core, customer: string, site: string) => getSite(core.db, findSiteId(core.db, customer, site)!).files;

  it('round trips: the folders stored tidied, absent reads as off and stays absent, off with folders kept', async () => {
    const text = withFiles();
    fs.writeFileSync(text.match(/profile: (.*)/)![1]!, 'client\n');
    const first = freshCore();
    ok(await first.dispatch('profiles.import', { text }));
    expect(setting(first, 'Acme Telecom', 'mumbai-prod')).toEqual({ transfer: 'download', folders: ['/var/log/ameyo', '/tmp/support'] });
    expect(setting(first, 'Acme Telecom', 'pune-dr')).toEqual({ transfer: 'off', folders: ['/var/log/ameyo'] });
    expect(setting(first, 'Globex Retail', 'berlin')).toEqual({ transfer: 'off', folders: [] });

    const exported = await exportText(first);
    expect(exported).toContain('files:\n          transfer: download\n          folders:\n            - /var/log/ameyo\n            - /tmp/support\n');
    expect(parseProfile(exported).customers[1]!.sites[0]).not.toHaveProperty('files');
    const second = freshCore();
    ok(await second.dispatch('profiles.import', { text: exported }));
    expect(await exportText(second)).toBe(exported);
    for (const [customer, site] of [['Acme Telecom', 'mumbai-prod'], ['Acme Telecom', 'pune-dr'], ['Globex Retail', 'berlin']] as const) {
      expect(setting(second, customer, site)).toEqual(setting(first, customer, site));
    }
  });

  it.each([
    ['a relative folder', { transfer: 'download', folders: ['var/log'] }, 'customers[0].sites[0].files.folders[0]', /file transfer folder 1 \(var\/log\): "var\/log" is not an absolute path/],
    ['a folder with ..', { transfer: 'both', folders: ['/tmp', '/var/log/../etc'] }, 'customers[0].sites[0].files.folders[1]', /file transfer folder 2 \(\/var\/log\/\.\.\/etc\): .*has a "\." or "\.\." part/],
    ['a folder listed twice', { transfer: 'both', folders: ['/tmp/x', '/tmp/x/'] }, 'customers[0].sites[0].files.folders[1]', /folder "\/tmp\/x" is listed twice/],
    ['an unknown setting', { transfer: 'upload' }, 'customers[0].sites[0].files.transfer', /file transfer setting: .*off, download, both/],
    ['an unknown key', { transfer: 'both', paths: ['/tmp'] }, 'customers[0].sites[0].files', /"paths" is not a field/],
  ])('%s is refused, named in words, and nothing is imported', async (_name, files, where, words) => {
    const core = freshCore();
    const result = await core.dispatch('profiles.import', { text: sampleWith((doc) => void (at(doc, 'customers.0.sites.0').files = files)) });
    if (result.ok) throw new Error('the import was accepted');
    expect(result.error.code).toBe('PROFILE_INVALID');
    expect(result.error.issues).toContainEqual({ path: where, message: expect.stringMatching(words) });
    expect(counts(core).customers).toBe(0);
  });
});
