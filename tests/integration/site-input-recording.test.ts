import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Site } from '../../contract/models';
import { getSite, setRecordInput } from '../../main/core/directory/sites';
import { DATABASE_FILE, openDatabase, type Db } from '../../main/core/store/database';
import { migrate, schemaVersion } from '../../main/core/store/migrate';
import { MIGRATIONS } from '../../main/core/store/migrations';
import { exportProfile } from '../../main/core/profiles/export';
import { VpnProfileStore } from '../../main/core/launchers/vpn-profile-store';
import { importProfile } from '../../main/core/profiles/import';
import { parseProfile } from '../../main/core/profiles/parse';
import { call, callError, customerFields, siteFields, useCores } from '../helpers/core';
import { SAMPLE_PROFILE_YAML } from '../helpers/fixtures';
import { makeTempDir, useTempDirs } from '../helpers/temp-dir';

/** Input recording as a local, per-site setting: migration 0004, the site model, its change history, profiles. */
const tempDir = useTempDirs('switchboard-record-input-');
const open: Db[] = [];
const track = (db: Db) => (open.push(db), db);
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
});

const columns = (db: Db, table: string) => (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);

/** A customer and a site written with the SQL of version 1 (the sites table has not changed since). */
function insertSiteRow(db: Db, name: string): number {
  const customer = db.prepare("INSERT INTO customers (name, package, timezone, workdays_mask, created_at, updated_at) VALUES (?, 'premium', 'UTC', 31, 'x', 'x')").run(`C-${name}`);
  return Number(db.prepare("INSERT INTO sites (customer_id, name, seats, peak_calls, created_at, updated_at) VALUES (?, ?, 10, 0, 'x', 'x')").run(customer.lastInsertRowid, name).lastInsertRowid);
}

describe('migration 0004: site input recording', () => {
  const earlier = MIGRATIONS.map((m) => m.version).filter((v) => v < 4);

  it('adds the setting and its history to an empty file', () => {
    const db = track(new Database(path.join(tempDir(), DATABASE_FILE)));
    expect(migrate(db, MIGRATIONS, 4)).toBe(4);
    expect(columns(db, 'sites')).toContain('record_input');
    expect(columns(db, 'site_setting_changes')).toEqual(['id', 'site_id', 'setting', 'value', 'changed_by', 'changed_at']);
  });

  it.each(earlier)('brings a file at version %i with sites up to 4, every existing site off', (version) => {
    const db = track(new Database(path.join(tempDir(), DATABASE_FILE)));
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS, version);
    const ids = [insertSiteRow(db, 'old-a'), insertSiteRow(db, 'old-b')];
    expect(migrate(db, MIGRATIONS, 4)).toBe(4);
    expect(schemaVersion(db)).toBe(4);
    for (const id of ids) expect(db.prepare('SELECT record_input FROM sites WHERE id = ?').get(id)).toEqual({ record_input: 0 });
    // getSite reads the latest schema.
    migrate(db, MIGRATIONS);
    for (const id of ids) expect(getSite(db, id)).toMatchObject({ recordInput: false, recordInputChanges: [] });
  });

  it('refuses a value other than 0 or 1, and edits of the history', () => {
    const db = track(openDatabase(tempDir()));
    const id = insertSiteRow(db, 'strict');
    expect(() => db.prepare('UPDATE sites SET record_input = 2 WHERE id = ?').run(id)).toThrow(/CHECK constraint/);
    setRecordInput(db, id, true, 'alice');
    expect(() => db.prepare("UPDATE site_setting_changes SET changed_by = 'mallory'").run()).toThrow(/history/);
    expect(() => db.prepare("INSERT INTO site_setting_changes (site_id, setting, value, changed_by, changed_at) VALUES (?, 'colour', 'on', 'x', 'x')").run(id)).toThrow(/CHECK constraint/);
  });
});

describe('the site setting', () => {
  it('keeps each real change with who made it, newest first; repeating a value changes nothing', () => {
    const db = track(openDatabase(tempDir()));
    const id = insertSiteRow(db, 'history');
    expect(setRecordInput(db, id, false, 'alice')).toBe(false);
    expect(setRecordInput(db, id, true, 'alice')).toBe(true);
    expect(setRecordInput(db, id, true, 'bob')).toBe(false);
    expect(setRecordInput(db, id, false, 'bob')).toBe(true);
    const site = getSite(db, id);
    expect(site.recordInput).toBe(false);
    expect(site.recordInputChanges.map(({ on, by }) => ({ on, by }))).toEqual([{ on: false, by: 'bob' }, { on: true, by: 'alice' }]);
    expect(site.recordInputChanges[0]!.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('needs the name of whoever changes it', () => {
    const db = track(openDatabase(tempDir()));
    const id = insertSiteRow(db, 'anonymous');
    expect(() => setRecordInput(db, id, true, '  ')).toThrow(/name of the engineer/);
    expect(getSite(db, id).recordInput).toBe(false);
  });

  it('goes with its site when the site is purged', () => {
    const db = track(openDatabase(tempDir()));
    db.pragma('foreign_keys = ON');
    const id = insertSiteRow(db, 'purged');
    setRecordInput(db, id, true, 'alice');
    db.prepare('DELETE FROM sites WHERE id = ?').run(id);
    expect(db.prepare('SELECT count(*) AS n FROM site_setting_changes').get()).toEqual({ n: 0 });
  });
});

describe('through the API', () => {
  const cores = useCores();

  it('is off on a new site, turned on and off by the site form, and each change names the engineer', async () => {
    const core = cores({ engineer: 'lead-tester' });
    const customer = await call<{ id: number }>(core, 'customers.create', customerFields('Input Co'));
    const created = await call<Site>(core, 'sites.create', { customerId: customer.id, fields: siteFields('s1') });
    expect(created).toMatchObject({ recordInput: false, recordInputChanges: [] });
    const on = await call<Site>(core, 'sites.update', { id: created.id, fields: { ...siteFields('s1'), recordInput: true } });
    expect(on.recordInput).toBe(true);
    expect(on.recordInputChanges).toEqual([{ on: true, by: 'lead-tester', at: expect.any(String) }]);
    // A form that says nothing about it leaves it alone.
    const untouched = await call<Site>(core, 'sites.update', { id: created.id, fields: { ...siteFields('s1'), seats: 12 } });
    expect(untouched).toMatchObject({ seats: 12, recordInput: true });
    expect(untouched.recordInputChanges).toHaveLength(1);
    const off = await call<Site>(core, 'sites.update', { id: created.id, fields: { ...siteFields('s1'), recordInput: false } });
    expect(off.recordInput).toBe(false);
    expect(off.recordInputChanges.map((c) => c.on)).toEqual([false, true]);
    const created2 = await call<Site>(core, 'sites.create', { customerId: customer.id, fields: { ...siteFields('s2'), recordInput: true } });
    expect(created2.recordInputChanges).toEqual([{ on: true, by: 'lead-tester', at: expect.any(String) }]);
    expect((await callError(core, 'sites.update', { id: created.id, fields: { ...siteFields('s1'), recordInput: 'yes' } })).code).toBe('INVALID_INPUT');
  });
});

describe('profile files', () => {
  it('never carry the setting: export leaves it out, import into an empty data dir starts every site off', () => {
    const dataDir = tempDir();
    const db = track(openDatabase(dataDir));
    // Not under this file's temp dirs: their name contains "record", which the export must not.
    const profileDir = makeTempDir('switchboard-vpn-profile-');
    fs.writeFileSync(path.join(profileDir, 'acme.ovpn'), 'client\nremote vpn.acme.example 1194\n');
    importProfile(db, parseProfile(SAMPLE_PROFILE_YAML, profileDir), new VpnProfileStore(dataDir));
    const ids = (db.prepare('SELECT id FROM sites').all() as { id: number }[]).map((r) => r.id);
    expect(ids.length).toBeGreaterThan(1);
    for (const id of ids) expect(getSite(db, id).recordInput).toBe(false);
    const before = exportProfile(db);
    setRecordInput(db, ids[0]!, true, 'alice');
    const after = exportProfile(db);
    expect(after).toBe(before);
    expect(after).not.toMatch(/record/i);

    const freshDir = tempDir();
    const fresh = track(openDatabase(freshDir));
    importProfile(fresh, parseProfile(after), new VpnProfileStore(freshDir));
    for (const { id } of fresh.prepare('SELECT id FROM sites').all() as { id: number }[]) expect(getSite(fresh, id).recordInput).toBe(false);
  });

  it('refuse a record_input key as unknown', () => {
    const text = SAMPLE_PROFILE_YAML.replace('        seats: 100\n', '        seats: 100\n        record_input: true\n');
    expect(text).toContain('record_input: true');
    expect(() => parseProfile(text)).toThrow(/record_input/);
  });
});
