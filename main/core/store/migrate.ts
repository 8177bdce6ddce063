import type Database from 'better-sqlite3';
import { ApiError } from '../../../contract/errors';
import type { Migration } from './migrations';

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Refuses a file written by a newer Switchboard; reads only, so call it before anything that writes. */
export function assertKnownVersion(db: Database.Database, migrations: readonly Migration[]): number {
  const current = schemaVersion(db);
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (current > latest) {
    throw new ApiError(
      'DATABASE_FROM_FUTURE',
      `This database is at schema version ${current}, but this Switchboard only knows up to ${latest}. Update Switchboard; the file was left untouched.`,
    );
  }
  return current;
}

/**
 * Applies every migration newer than the file's user_version, each in its own transaction with
 * its version bump, so a crash leaves the file at a whole version. A file from a newer app is refused.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[], upTo = Infinity): number {
  const current = assertKnownVersion(db, migrations);
  for (const migration of migrations) {
    if (migration.version <= current || migration.version > upTo) continue;
    db.transaction(() => {
      db.exec(migration.up);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return schemaVersion(db);
}
