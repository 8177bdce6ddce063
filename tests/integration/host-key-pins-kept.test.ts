import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { purgeTrash } from '../../main/core/directory/trash';
import { migrate } from '../../main/core/store/migrate';
import { MIGRATIONS } from '../../main/core/store/migrations';
import type { Host, Site } from '../../contract/models';
import { buildNodeBundles, runCli } from '../helpers/cli';
import { call, callError, customerFields, hostFields, openTestCore, siteFields, useCores } from '../helpers/core';
import { useTempDirs } from '../helpers/temp-dir';

/**
 * A pinned SSH host key survives every way of removing and re-adding the host's SSH endpoint, or the
 * host itself: the form (hosts.update without SSH, then with it again), the trash (delete and restore,
 * delete and create again) and a profile import of a host that is in the trash. Changing the pin is
 * only hosts.replaceHostKey / `switchboard hosts repin`, which log it.
 */
const PINNED = `SHA256:${'p'.repeat(43)}`;
const OTHER = `SHA256:${'x'.repeat(43)}`;

describe('migration 6', () => {
  const tempDir = useTempDirs('switchboard-pin-migration-');

  it('moves each pin out of its SSH endpoint into host_key_pins', () => {
    const db = new Database(path.join(tempDir(), 'switchboard.db'));
    try {
      migrate(db, MIGRATIONS, 5);
      db.exec(`
        INSERT INTO customers (id, name, package, timezone, workdays_mask, created_at, updated_at) VALUES (1, 'C', 'premium', 'UTC', 31, 'x', 'x');
        INSERT INTO sites (id, customer_id, name, seats, peak_calls, created_at, updated_at) VALUES (1, 1, 's', 1, 0, 'x', 'x');
        INSERT INTO hosts (id, site_id, position, name, created_at, updated_at) VALUES (1, 1, 0, 'pinned', 'x', '2026-11-20T00:00:00Z'), (2, 1, 1, 'unpinned', 'x', 'x');
        INSERT INTO host_ssh (host_id, port, host_key) VALUES (1, 22, '${PINNED}'), (2, 22, NULL);
      `);
      migrate(db, MIGRATIONS);
      expect(db.prepare('SELECT host_id, fingerprint, pinned_at FROM host_key_pins').all()).toEqual([{ host_id: 1, fingerprint: PINNED, pinned_at: '2026-11-20T00:00:00Z' }]);
      expect((db.prepare('PRAGMA table_info(host_ssh)').all() as { name: string }[]).map((c) => c.name)).not.toContain('host_key');
    } finally {
      db.close();
    }
  });
});

describe('a pin through the API', () => {
  const newCore = useCores();
  const core = newCore();
  let siteId = 0;
  const ssh = (extra: { hostKey?: string } = {}) => ({ port: 22, user: 'support', ...extra });

  beforeAll(async () => {
    const customer = await call<{ id: number }>(core, 'customers.create', customerFields('Pin Keepers'));
    siteId = (await call<Site>(core, 'sites.create', { customerId: customer.id, fields: siteFields('hq') })).id;
  });
  const create = (name: string, sshFields?: ReturnType<typeof ssh>) =>
    call<Host>(core, 'hosts.create', { siteId, fields: hostFields(name, { address: '10.9.0.5', ...(sshFields ? { ssh: sshFields } : {}) }) });
  const update = (id: number, name: string, sshFields?: ReturnType<typeof ssh>) =>
    core.dispatch('hosts.update', { id, fields: hostFields(name, { address: '10.9.0.5', ...(sshFields ? { ssh: sshFields } : {}) }) });
  const hostNamed = async (name: string) => (await call<Site>(core, 'sites.get', { id: siteId })).hosts.find((h) => h.name === name)!;

  it('removing the SSH endpoint and adding it again keeps the pin', async () => {
    const host = await create('app01', ssh({ hostKey: PINNED }));
    expect(await update(host.id, 'app01')).toMatchObject({ ok: true });
    expect((await hostNamed('app01')).ssh).toBeUndefined();
    expect(await update(host.id, 'app01', ssh())).toMatchObject({ ok: true });
    expect((await hostNamed('app01')).ssh?.hostKey).toBe(PINNED);
  });

  it('re-adding the endpoint with another key is refused, naming both fingerprints and the logged replacement', async () => {
    const host = await hostNamed('app01');
    expect(await update(host.id, 'app01')).toMatchObject({ ok: true });
    const swapped = await update(host.id, 'app01', ssh({ hostKey: OTHER }));
    expect(swapped).toMatchObject({ ok: false, error: { code: 'CONFLICT', issues: [{ path: 'ssh.hostKey' }] } });
    const message = swapped.ok ? '' : swapped.error.message;
    expect(message).toContain(PINNED);
    expect(message).toContain(OTHER);
    expect(message).toMatch(/hosts repin/);
    expect(await update(host.id, 'app01', ssh())).toMatchObject({ ok: true });
    expect((await hostNamed('app01')).ssh?.hostKey).toBe(PINNED);
  });

  it('the trash keeps the pin: restored, or created again under the same name', async () => {
    const host = await hostNamed('app01');
    await call(core, 'hosts.delete', { id: host.id });
    await call(core, 'trash.restore', { kind: 'host', id: host.id });
    expect((await hostNamed('app01')).ssh?.hostKey).toBe(PINNED);

    await call(core, 'hosts.delete', { id: host.id });
    const error = await callError(core, 'hosts.create', { siteId, fields: hostFields('app01', { address: '10.9.0.5', ssh: ssh({ hostKey: OTHER }) }) });
    expect(error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(PINNED) });
    const again = await create('APP01', ssh());
    expect(again.id).not.toBe(host.id);
    expect(again.ssh?.hostKey).toBe(PINNED);
  });

  it('purging the trash keeps a pinned host (hidden), so waiting it out does not forget the pin', async () => {
    const unpinned = await create('scratch', ssh());
    await call(core, 'hosts.delete', { id: unpinned.id });
    purgeTrash(core.db, -1);
    const trashed = core.db.prepare('SELECT name FROM hosts WHERE site_id = ? AND deleted_at IS NOT NULL').all(siteId);
    expect(trashed).toEqual([{ name: 'app01' }]);
  });

  it('a first pin may still be typed in where there was none, and first use never overwrites a pin', async () => {
    const host = await create('db01', ssh());
    expect(host.ssh?.hostKey).toBeUndefined();
    expect(await update(host.id, 'db01', ssh({ hostKey: OTHER }))).toMatchObject({ ok: true });
    expect((await hostNamed('db01')).ssh?.hostKey).toBe(OTHER);
  });
});

describe('a pin through `switchboard sites import`', () => {
  const tempDir = useTempDirs('switchboard-cli-pins-');
  let dataDir = '';
  const cli = (...args: string[]) => runCli(args, { dataDir });
  const profile = (hostKey: string | undefined) => {
    const file = path.join(tempDir(), 'pins.yaml');
    fs.writeFileSync(file, stringify({
      version: 1,
      customers: [{
        name: 'Pin Co', package: 'premium', timezone: 'UTC', workdays: ['mon', 'tue', 'wed', 'thu', 'fri'],
        sites: [{ name: 'hq', seats: 10, peak_calls: 10, approved_methods: ['ssh'], hosts: [{ name: 'app01', address: '10.9.0.5', ssh: { port: 22, user: 'support', ...(hostKey ? { host_key: hostKey } : {}) } }] }],
      }],
    }));
    return file;
  };
  const pinnedKey = () => /host_key: "?(SHA256:[^"\s]+)/.exec(cli('sites', 'export').stdout)?.[1];
  /** Deletes the customer as the window would (to the trash), through a core on the same data dir. */
  async function trashCustomer(): Promise<void> {
    const core = openTestCore({ dataDir, mode: 'cli' });
    try {
      const customer = (await call<Array<{ id: number; name: string }>>(core, 'customers.list', {})).find((c) => c.name === 'Pin Co')!;
      await call(core, 'customers.delete', { id: customer.id });
    } finally {
      await core.close();
    }
  }

  beforeAll(async () => {
    await buildNodeBundles();
    dataDir = tempDir();
    expect(cli('sites', 'import', profile(PINNED)).status).toBe(0);
  });

  it('refuses a file that names another key for a host in the trash, with exit 2, and writes nothing', async () => {
    await trashCustomer();
    const result = cli('sites', 'import', profile(OTHER));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Pin Co/hq/app01');
    expect(result.stderr).toContain(PINNED);
    expect(result.stderr).toContain(OTHER);
    expect(result.stderr).toContain('switchboard hosts repin');
    expect(JSON.parse(cli('sites', 'list', '--json').stdout)).toEqual([]);
  });

  it('imports the host again with its pin when the file names no key', () => {
    const result = cli('sites', 'import', profile(undefined));
    expect(result.status, result.stderr).toBe(0);
    expect(pinnedKey()).toBe(PINNED);
  });
});
