import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../main/core/store/database';
import { migrate } from '../../main/core/store/migrate';
import { MIGRATIONS } from '../../main/core/store/migrations';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs('switchboard-store-v16-');
const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
});

function dbAt(version: number): Database.Database {
  const db = new Database(path.join(tempDir(), DATABASE_FILE));
  open.push(db);
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS, version);
  return db;
}

const journal = (db: Database.Database) =>
  (db.prepare('SELECT tbl, op, old_row, new_row FROM policy_journal ORDER BY id').all() as { tbl: string; op: string; old_row: string | null; new_row: string | null }[])
    .map((r) => ({ tbl: r.tbl, op: r.op, old: r.old_row && JSON.parse(r.old_row), new: r.new_row && JSON.parse(r.new_row) }));

describe('migration 16: a site\'s file-transfer setting', () => {
  it('turns file transfer off for every existing site, journals nothing for it, and journals later changes as policy', () => {
    const db = dbAt(15);
    db.exec(`INSERT INTO customers (id, name, package, timezone, workdays_mask, created_at, updated_at) VALUES (1, 'Acme', 'premium', 'UTC', 31, 'x', 'x');
             INSERT INTO sites (id, customer_id, name, seats, peak_calls, created_at, updated_at) VALUES (7, 1, 'Pune', 10, 0, 'x', 'x');
             DELETE FROM policy_journal;`);
    migrate(db, MIGRATIONS, 16);
    expect(db.prepare('SELECT file_transfer FROM sites WHERE id = 7').pluck().get()).toBe('off');
    expect(journal(db)).toEqual([]);

    db.exec("UPDATE sites SET file_transfer = 'download' WHERE id = 7; INSERT INTO site_file_folders (site_id, position, folder) VALUES (7, 0, '/var/log/ameyo');");
    expect(journal(db)).toEqual([
      { tbl: 'sites', op: 'update', old: expect.objectContaining({ id: 7, file_transfer: 'off' }), new: expect.objectContaining({ id: 7, file_transfer: 'download' }) },
      { tbl: 'site_file_folders', op: 'insert', old: null, new: { site_id: 7, position: 0, folder: '/var/log/ameyo' } },
    ]);
    // A save that rewrites the row as it was leaves nothing.
    db.exec('DELETE FROM policy_journal; UPDATE sites SET updated_at = \'y\' WHERE id = 7;');
    expect(journal(db)).toEqual([]);
  });

  it.each([
    ['a transfer setting it does not know', "UPDATE sites SET file_transfer = 'upload' WHERE id = 7", /CHECK constraint failed/],
    ['a folder that is not absolute', "INSERT INTO site_file_folders (site_id, position, folder) VALUES (7, 0, 'tmp')", /CHECK constraint failed/],
    ['a folder twice', "INSERT INTO site_file_folders (site_id, position, folder) VALUES (7, 0, '/tmp'), (7, 1, '/tmp')", /UNIQUE constraint failed/],
  ])('refuses %s', (_what, sql, error) => {
    const db = dbAt(16);
    db.exec(`INSERT INTO customers (id, name, package, timezone, workdays_mask, created_at, updated_at) VALUES (1, 'Acme', 'premium', 'UTC', 31, 'x', 'x');
             INSERT INTO sites (id, customer_id, name, seats, peak_calls, created_at, updated_at) VALUES (7, 1, 'Pune', 10, 0, 'x', 'x');`);
    expect(() => db.exec(sql)).toThrow(error);
  });

  it('reads a site\'s folders through the primary key, not a scan', () => {
    const plan = dbAt(16).prepare('EXPLAIN QUERY PLAN SELECT folder FROM site_file_folders WHERE site_id = ? ORDER BY position').all(7) as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/SEARCH site_file_folders USING (COVERING )?INDEX sqlite_autoindex_site_file_folders_1 \(site_id=\?\)/);
  });

  it('the folders go with their site when it is purged', () => {
    const db = dbAt(16);
    db.exec(`INSERT INTO customers (id, name, package, timezone, workdays_mask, created_at, updated_at) VALUES (1, 'Acme', 'premium', 'UTC', 31, 'x', 'x');
             INSERT INTO sites (id, customer_id, name, seats, peak_calls, created_at, updated_at) VALUES (7, 1, 'Pune', 10, 0, 'x', 'x');
             INSERT INTO site_file_folders (site_id, position, folder) VALUES (7, 0, '/tmp/support');
             DELETE FROM sites WHERE id = 7;`);
    expect(db.prepare('SELECT count(*) FROM site_file_folders').pluck().get()).toBe(0);
    expect(journal(db).filter((e) => e.op === 'delete').map((e) => e.tbl)).toEqual(expect.arrayContaining(['sites', 'site_file_folders']));
  });
});
