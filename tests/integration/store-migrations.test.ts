import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../contract/errors';
import { DATABASE_FILE, openDatabase, type Db } from '../../main/core/store/database';
import { migrate, schemaVersion } from '../../main/core/store/migrate';
import { MIGRATIONS, type Migration } from '../../main/core/store/migrations';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs('switchboard-store-');
const LATEST = Math.max(...MIGRATIONS.map((m) => m.version));
const TABLES = [
  'customers', 'customer_holidays', 'customer_contacts', 'sites', 'site_components', 'site_methods', 'hosts', 'host_allow',
  'host_ssh', 'host_https', 'host_vnc', 'vpn_profiles', 'credentials', 'notes', 'note_revisions', 'notes_fts',
];

const open: Db[] = [];
const track = (db: Db) => (open.push(db), db);
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
});

const tableNames = (db: Db) =>
  (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);

function expectApiError(run: () => unknown, code: string): ApiError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe(code);
    return error as ApiError;
  }
  throw new Error(`expected ${code}, but nothing was thrown`);
}

describe('openDatabase', () => {
  it('creates the file at the latest schema version, in WAL mode with foreign keys on', () => {
    const dir = path.join(tempDir(), 'nested', 'data');
    const db = track(openDatabase(dir));
    expect(fs.existsSync(path.join(dir, DATABASE_FILE))).toBe(true);
    expect(schemaVersion(db)).toBe(LATEST);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(tableNames(db)).toEqual(expect.arrayContaining(TABLES));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('opens an existing file again without migrating twice', () => {
    const dir = tempDir();
    openDatabase(dir).close();
    const db = track(openDatabase(dir));
    expect(schemaVersion(db)).toBe(LATEST);
  });

  it('enforces foreign keys', () => {
    const db = track(openDatabase(tempDir()));
    expect(() =>
      db.prepare("INSERT INTO sites (customer_id, name, seats, peak_calls, created_at, updated_at) VALUES (999, 's', 1, 0, 'x', 'x')").run(),
    ).toThrow(/FOREIGN KEY/);
  });

  it.each([
    ['text in an INTEGER column', "INSERT INTO customers (name, package, timezone, workdays_mask, created_at, updated_at) VALUES ('A', 'premium', 'UTC', 'mon', 'x', 'x')"],
    ['a blob in a TEXT column', "INSERT INTO credentials (name, kind, created_at, updated_at) VALUES ('c', 'password', X'00ff', 'x')"],
    ['a real in an INTEGER column', "INSERT INTO customers (name, package, timezone, workdays_mask, created_at, updated_at) VALUES ('A', 'premium', 'UTC', 1.5, 'x', 'x')"],
  ])('STRICT tables refuse %s', (_what, sql) => {
    const db = track(openDatabase(tempDir()));
    expect(() => db.prepare(sql).run()).toThrow(/cannot store (TEXT|REAL|BLOB) value in (INTEGER|TEXT) column/);
  });
});

describe('migrate', () => {
  const earlier = [0, ...MIGRATIONS.map((m) => m.version).filter((v) => v < LATEST)];

  it.each(earlier)('brings a file at version %i up to the latest', (version) => {
    const db = track(new Database(path.join(tempDir(), DATABASE_FILE)));
    expect(migrate(db, MIGRATIONS, version)).toBe(version);
    expect(schemaVersion(db)).toBe(version);
    expect(migrate(db, MIGRATIONS)).toBe(LATEST);
    expect(tableNames(db)).toEqual(expect.arrayContaining(TABLES));
  });

  it('leaves user_version and the schema unchanged when a migration fails midway', () => {
    const broken: Migration[] = [
      { version: 1, name: 'first', up: 'CREATE TABLE first_table (x INTEGER) STRICT;' },
      { version: 2, name: 'second', up: 'CREATE TABLE second_table (x INTEGER) STRICT; INSERT INTO no_such_table VALUES (1);' },
      { version: 3, name: 'third', up: 'CREATE TABLE third_table (x INTEGER) STRICT;' },
    ];
    const db = track(new Database(path.join(tempDir(), DATABASE_FILE)));
    expect(() => migrate(db, broken)).toThrow(/no such table/);
    expect(schemaVersion(db)).toBe(1);
    expect(tableNames(db)).toContain('first_table');
    expect(tableNames(db)).not.toContain('second_table');
    expect(tableNames(db)).not.toContain('third_table');
  });

  it('refuses a file from a newer Switchboard in migrate itself', () => {
    const db = track(new Database(':memory:'));
    db.pragma(`user_version = ${LATEST + 1}`);
    expectApiError(() => migrate(db, MIGRATIONS), 'DATABASE_FROM_FUTURE');
  });
});

describe('a database from a newer Switchboard', () => {
  function futureFile(walMode: boolean): { dir: string; file: string } {
    const dir = tempDir();
    const file = path.join(dir, DATABASE_FILE);
    if (walMode) openDatabase(dir).close();
    const raw = new Database(file);
    if (!walMode) raw.exec('CREATE TABLE from_the_future (x INTEGER)');
    raw.pragma(`user_version = ${LATEST + 7}`);
    raw.close();
    return { dir, file };
  }

  it.each([
    ['written in WAL mode', true],
    ['written in rollback-journal mode', false],
  ])('is refused with DATABASE_FROM_FUTURE and left byte-for-byte untouched (%s)', (_what, walMode) => {
    const { dir, file } = futureFile(walMode);
    const before = fs.readFileSync(file);
    const mtime = fs.statSync(file).mtimeMs;
    const error = expectApiError(() => openDatabase(dir), 'DATABASE_FROM_FUTURE');
    expect(error.message).toMatch(new RegExp(`schema version ${LATEST + 7}.*only knows up to ${LATEST}`));
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.statSync(file).mtimeMs).toBe(mtime);
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST + 7);
    check.close();
  });
});

describe('hot queries use their indexes', () => {
  const plan = (db: Db, sql: string, ...args: unknown[]) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join('\n');

  it.each([
    // findCustomerIdByName (directory/customers.ts) — every import checks each customer this way
    ['customer by name', 'SELECT id FROM customers WHERE name = ? COLLATE NOCASE AND deleted_at IS NULL', ['Acme'], /USING INDEX customers_byName \(name=\?\)/],
    // findSiteId (directory/sites.ts) — "CUSTOMER/SITE" references
    [
      'site by customer and name',
      `SELECT s.id FROM sites s JOIN customers c ON c.id = s.customer_id
        WHERE c.name = ? COLLATE NOCASE AND s.name = ? COLLATE NOCASE AND s.deleted_at IS NULL AND c.deleted_at IS NULL`,
      ['Acme', 'mumbai'],
      /USING INDEX sites_byCustomerName \(customer_id=\? AND name=\?\)/,
    ],
    // writeVpn's gateway check and checkJump (directory/sites.ts, hosts.ts)
    ['host by site and name', 'SELECT 1 FROM hosts WHERE site_id = ? AND name = ? AND deleted_at IS NULL', [1, 'app01'], /USING INDEX hosts_bySiteName/],
    // listRevisions (notes/notes.ts)
    ['revisions of a note', 'SELECT id FROM note_revisions WHERE note_id = ? ORDER BY id', [1], /USING (COVERING )?INDEX note_revisions_byNote \(note_id=\?\)/],
  ])('%s', (_what, sql, args, expected) => {
    const db = track(openDatabase(tempDir()));
    const detail = plan(db, sql, ...args);
    expect(detail).toMatch(expected);
    expect(detail).not.toMatch(/^SCAN (customers|sites|hosts|note_revisions)\b/m);
  });
});
