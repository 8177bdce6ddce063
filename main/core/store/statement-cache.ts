import type { Statement } from 'better-sqlite3';
import type { Db } from './database';

/** Statements kept per database at most; the list's queries come in a few shapes per filter combination. */
const KEPT = 200;

const statements = new WeakMap<Db, Map<string, Statement>>();

/**
 * A statement prepared once per database and SQL text. Preparing per call leaves each compiled statement's
 * native memory to the garbage collector, which does not see it: reading a long log a page at a time grew the
 * CLI by ~100 MB of statements waiting to be collected.
 */
export function prepared(db: Db, sql: string): Statement {
  let kept = statements.get(db);
  if (!kept) statements.set(db, (kept = new Map()));
  let statement = kept.get(sql);
  if (!statement) {
    if (kept.size >= KEPT) kept.clear();
    statement = db.prepare(sql);
    kept.set(sql, statement);
  }
  return statement;
}
