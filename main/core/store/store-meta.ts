import type { Db } from './database';

/** This data dir's own random id, made with its database (migration 0007); names its keychain entries. */
export function storeId(db: Db): string {
  return metaValue(db, 'store_id');
}

/** The id checkpoints of this data dir's log name in their origin line. */
export function logId(db: Db): string {
  return metaValue(db, 'log_id');
}

function metaValue(db: Db, key: string): string {
  const value = db.prepare('SELECT value FROM store_meta WHERE key = ?').pluck().get(key) as string | undefined;
  if (!value) throw new Error(`store_meta has no ${key}; the database was not migrated to version 7`);
  return value;
}
