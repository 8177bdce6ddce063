import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ApiError } from '../../../contract/errors';
import { assertKnownVersion, migrate } from './migrate';
import { MIGRATIONS } from './migrations';

export const DATABASE_FILE = 'switchboard.db';

export type Db = Database.Database;

export function openDatabase(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, DATABASE_FILE);
  let db: Db;
  try {
    db = new Database(file);
  } catch (error) {
    throw new ApiError('DATABASE_ERROR', `Cannot open the database ${file}: ${(error as Error).message}`);
  }
  try {
    // Before any pragma that writes (journal_mode rewrites the header): a file from the future stays untouched.
    assertKnownVersion(db, MIGRATIONS);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    // FULL: the session log is evidence; a power cut must not lose a committed event.
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    migrate(db, MIGRATIONS);
  } catch (error) {
    db.close();
    if (error instanceof ApiError) throw error;
    throw new ApiError('DATABASE_ERROR', `The database ${file} could not be opened: ${(error as Error).message}`);
  }
  return db;
}

export function nowIso(): string {
  return new Date().toISOString();
}
