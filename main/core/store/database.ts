import path from 'node:path';
import Database from 'better-sqlite3';
import { ApiError } from '../../../contract/errors';
import { createPrivateFile, ensurePrivateDir, restrictFile } from '../private-files';
import { assertKnownVersion, migrate } from './migrate';
import { MIGRATIONS } from './migrations';

export const DATABASE_FILE = 'switchboard.db';

export type Db = Database.Database;

/** The database and the files SQLite keeps beside it in WAL mode; all of them hold the log's contents. */
export function databaseFiles(dataDir: string): string[] {
  const file = path.join(dataDir, DATABASE_FILE);
  return [file, `${file}-wal`, `${file}-shm`];
}

export function openDatabase(dataDir: string): Db {
  ensurePrivateDir(dataDir);
  const file = path.join(dataDir, DATABASE_FILE);
  // Created (or tightened to) 0600 before SQLite opens it: SQLite gives the WAL and SHM files it
  // creates the database file's mode, so they need no second pass.
  createPrivateFile(file);
  for (const existing of databaseFiles(dataDir)) restrictFile(existing);
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
