import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../main/core/store/database';
import { migrate } from '../../main/core/store/migrate';
import { MIGRATIONS } from '../../main/core/store/migrations';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs('switchboard-store-vpn-');
const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
});

function siteWithVpnAt(version: number): Database.Database {
  const db = new Database(path.join(tempDir(), DATABASE_FILE));
  open.push(db);
  migrate(db, MIGRATIONS, version);
  db.exec(`
    INSERT INTO customers (id, name, package, timezone, workdays_mask, created_at, updated_at) VALUES (1, 'A', 'premium', 'UTC', 31, 'x', 'x');
    INSERT INTO sites (id, customer_id, name, seats, peak_calls, created_at, updated_at) VALUES (1, 1, 's', 10, 0, 'x', 'x');
    INSERT INTO vpn_profiles (site_id, client, profile_path, gateway_host) VALUES (1, 'openvpn', '/home/e/acme.ovpn', 'vpn-gw');
  `);
  return db;
}

describe('migration 5: the SHA-256 of the checked VPN profile copy', () => {
  it('keeps a profile set before it, with no hash (it must be set again before it connects)', () => {
    const db = siteWithVpnAt(4);
    migrate(db, MIGRATIONS, 5);
    expect(db.prepare('SELECT profile_path, profile_sha256 FROM vpn_profiles').get()).toEqual({ profile_path: '/home/e/acme.ovpn', profile_sha256: null });
  });

  it.each([
    ['a short hash', 'abc'],
    ['upper-case hex', 'A'.repeat(64)],
    ['not hex', 'g'.repeat(64)],
  ])('refuses %s', (_what, value) => {
    const db = siteWithVpnAt(5);
    expect(() => db.prepare('UPDATE vpn_profiles SET profile_sha256 = ?').run(value)).toThrow(/CHECK constraint/);
  });

  it('accepts a lower-case SHA-256', () => {
    const db = siteWithVpnAt(5);
    db.prepare('UPDATE vpn_profiles SET profile_sha256 = ?').run('0123456789abcdef'.repeat(4));
    expect(db.prepare('SELECT profile_sha256 FROM vpn_profiles').pluck().get()).toBe('0123456789abcdef'.repeat(4));
  });
});
