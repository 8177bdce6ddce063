import { ApiError } from '../../../contract/errors';
import { nextTurn, TURN_MS } from '../store/turns';
import type { BundleRecord } from './bundle-format';
import type { Db } from '../store/database';
import { IMPORTED_COLUMNS, upsertReviewRow, type ReviewRow } from './review-fold';
import { processAlive } from '../process-alive';

/**
 * A bundle import's rows written in short turns — by the log's worker thread on its own connection,
 * beside the checks — and published at once (migration 0021): each row carries the import's id, and the
 * views every reader uses (imported_events, review_sessions) leave out the rows of an import still in
 * bundle_imports_pending. So no reader ever sees half an import, the core's own writes land between two
 * turns in their own transactions (never rolled back with the import), and publishing is one small
 * transaction on the core's thread whatever the bundle's size (bundle-import.ts). A cancelled or failed
 * import deletes its rows, again in turns; one left by a crashed process is removed by `removeLeftoverImports`.
 */

/** The rows an import writes: the bundle's new records and the review-queue rows they fold into. */
export interface StagedRows { engineerKey: string; fresh: readonly BundleRecord[]; folds: readonly ReviewRow[] }

export interface StagedImport {
  id: number;
  /** Sessions the lead already has a row for: their new end, outcome or recording is applied when the import is published. */
  updates: ReviewRow[];
}

/** How the writer shares the lock: `rest` between two turns (the lock released), `yieldNow` says to end a turn early. */
export interface Turns { rest(): void; yieldNow(): boolean }

/** On the core's thread without a worker (tests from source): nobody else to let in. */
export const NO_TURNS: Turns = { rest: () => undefined, yieldNow: () => false };

/**
 * Writes an import's rows as pending, in turns of about TURN_MS; `started` is told its id first (so a
 * writer that is stopped hard can have its rows removed). Returns once every row is in, none of them
 * visible, the WAL synced. On a failure or a stop its rows are removed before this throws.
 */
export function stageImport(db: Db, rows: StagedRows, started: (id: number) => void, turns: Turns): StagedImport {
  const id = Number(db.prepare('INSERT INTO bundle_imports_pending (engineer_key, pid, started_at) VALUES (?, ?, ?)')
    .run(rows.engineerKey, process.pid, new Date().toISOString()).lastInsertRowid);
  started(id);
  try {
    const updates = writeRows(db, id, rows, turns);
    // The turns committed without a sync of their own; this one syncs the WAL with all of them, here and
    // not in the core's publishing commit.
    db.pragma('synchronous = FULL');
    db.prepare('UPDATE bundle_imports_pending SET started_at = started_at WHERE id = ?').run(id);
    return { id, updates };
  } catch (error) {
    while (deleteTurn(db, id)) turns.rest();
    removePending(db, id);
    throw error;
  }
}

function writeRows(db: Db, id: number, { engineerKey: key, fresh, folds }: StagedRows, turns: Turns): ReviewRow[] {
  // Staged rows are invisible and removed after a crash: their turns need no fsync (the last commit syncs them all).
  db.pragma('synchronous = NORMAL');
  const insertEvent = db.prepare(`INSERT INTO imported_events_all (engineer_key, seq, ${IMPORTED_COLUMNS.join(', ')}, import_id) VALUES (?, ?, ${IMPORTED_COLUMNS.map(() => '?').join(', ')}, ?)`);
  const existing = db.prepare('SELECT id, import_id FROM review_sessions_all WHERE engineer_key = ? AND session_id = ?');
  const insertRow = db.prepare(`
    INSERT INTO review_sessions_all (engineer_key, engineer, session_id, started_at, ended_at, ticket, customer, site, host, method, decision, outcome, exception, recording_sha256, import_id)
    VALUES (@key, @engineer, @sessionId, @startedAt, @endedAt, @ticket, @customer, @site, @host, @method, @decision, @outcome, @exception, @recording, @importId)`);
  const updates: ReviewRow[] = [];
  inTurns(db, fresh, turns, (r) => insertEvent.run(key, r.seq, ...IMPORTED_COLUMNS.map((c) => r[c]), id));
  inTurns(db, folds, turns, (row) => {
    const found = existing.get(row.key, row.sessionId) as { id: number; import_id: number | null } | undefined;
    if (!found) insertRow.run({ ...row, importId: id });
    else if (found.import_id !== null && isPending(db, found.import_id)) throw conflict();
    else updates.push(row);
  });
  turns.rest();
  return updates;
}

/**
 * Writes the rows in transactions of about TURN_MS each (shorter when the core wants the lock), resting between
 * them: a write the core makes meanwhile waits in SQLite's busy handler (retries after 1, 2, 5, 10, 15, 20,
 * 25 ms …) for at most about a turn and a retry.
 */
function inTurns<T>(db: Db, rows: readonly T[], turns: Turns, write: (row: T) => void): void {
  let next = 0;
  while (next < rows.length) {
    turns.rest();
    const started = performance.now();
    try {
      db.transaction(() => {
        do write(rows[next++]!); while (next < rows.length && performance.now() - started < TURN_MS && !turns.yieldNow());
      }).immediate();
    } catch (error) {
      const code = (error as { code?: string }).code;
      // A row already there under the same key: another import of the same log written meanwhile (another process).
      if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') throw conflict();
      throw error;
    }
  }
}

function conflict(): ApiError {
  return new ApiError('CONFLICT', 'Another import of the same engineer\'s log was being written into this data dir at the same time. Nothing was imported; import the bundle again.');
}

function isPending(db: Db, id: number): boolean {
  return db.prepare('SELECT 1 FROM bundle_imports_pending WHERE id = ?').get(id) !== undefined;
}

/**
 * Inside the import's final transaction: applies the new ends of sessions the lead already had and makes
 * every row of the import visible at once. False when the import is no longer pending (its rows were
 * removed as a leftover): the caller then writes nothing.
 */
export function publishImport(db: Db, staged: StagedImport): boolean {
  if (!isPending(db, staged.id)) return false;
  for (const row of staged.updates) upsertReviewRow(db, row);
  removePending(db, staged.id);
  return true;
}

/** Rows a discard deletes per turn. */
const DELETES_PER_TURN = 1_000;

/** Deletes one turn's worth of a pending import's rows; false when none were left. */
function deleteTurn(db: Db, id: number): boolean {
  return db.transaction((): boolean => {
    const events = db.prepare(`DELETE FROM imported_events_all WHERE (engineer_key, seq) IN (SELECT engineer_key, seq FROM imported_events_all WHERE import_id = ? LIMIT ${DELETES_PER_TURN})`).run(id).changes;
    const sessions = events > 0 ? 0 : db.prepare(`DELETE FROM review_sessions_all WHERE id IN (SELECT id FROM review_sessions_all WHERE import_id = ? LIMIT ${DELETES_PER_TURN})`).run(id).changes;
    return events + sessions > 0;
  }).immediate();
}

function removePending(db: Db, id: number): void {
  db.prepare('DELETE FROM bundle_imports_pending WHERE id = ?').run(id);
}

/** Deletes a pending import's rows on the core's thread (its worker was stopped), a turn at a time, yielding between turns. */
export async function discardImport(db: Db, id: number): Promise<void> {
  while (deleteTurn(db, id)) await nextTurn();
  removePending(db, id);
}

/**
 * Removes what an import left when its process ended while writing it (a crash, a kill): its rows were
 * never visible, and now they are gone, so the lead's data is as before that import. Imports of a process
 * still alive — this one included: they are being written, or removed at its next start — are left alone.
 * Returns how many were removed.
 */
export function removeLeftoverImports(db: Db): number {
  const pending = db.prepare('SELECT id, pid FROM bundle_imports_pending').all() as { id: number; pid: number }[];
  const left = pending.filter(({ pid }) => pid !== process.pid && !processAlive(pid));
  for (const { id } of left) {
    db.transaction(() => {
      db.prepare('DELETE FROM imported_events_all WHERE import_id = ?').run(id);
      db.prepare('DELETE FROM review_sessions_all WHERE import_id = ?').run(id);
      removePending(db, id);
    })();
  }
  return left.length;
}

/**
 * While an import's worker writes on its own connection, every transaction the core's connection begins
 * takes the write lock at once (BEGIN IMMEDIATE): one begun the default way reads first, and if the
 * worker commits before it writes, SQLite fails that write with SQLITE_BUSY_SNAPSHOT at once instead of
 * waiting — a site edit or a note lost to a busy error. And the core says it wants the lock (`lockWanted`,
 * shared with the worker, counts the core's transactions under way): the worker ends its turn after the
 * row it is on and rests until the core is through, so a transaction of the core's — a log.list's page
 * too — waits a millisecond or two, not a turn and SQLite's busy-handler back-off. better-sqlite3's
 * default is `BEGIN`, chosen per call of db.transaction(), so the core's own calls are wrapped here.
 */
export async function withCoreFirst<T>(db: Db, lockWanted: SharedArrayBuffer, work: () => Promise<T>): Promise<T> {
  const wanted = new Int32Array(lockWanted);
  const plain = db.transaction;
  const first = <F extends (...args: never[]) => unknown>(run: F): F => function (this: unknown, ...args: Parameters<F>) {
    Atomics.add(wanted, 0, 1);
    try {
      return run.apply(this, args);
    } finally {
      if (Atomics.sub(wanted, 0, 1) === 1) Atomics.notify(wanted, 0);
    }
  } as F;
  db.transaction = ((fn: (...args: never[]) => unknown) => {
    const made = plain.call(db, fn);
    const immediate = first(made.immediate);
    return Object.assign(immediate, { default: immediate, deferred: immediate, immediate, exclusive: first(made.exclusive) });
  }) as Db['transaction'];
  try {
    return await work();
  } finally {
    db.transaction = plain;
  }
}

/** The worker's side of withCoreFirst: rest `restMs` between turns, and longer while the core is in a transaction. */
export function turnsBeside(lockWanted: SharedArrayBuffer | undefined, restMs: number): Turns {
  const wanted = lockWanted ? new Int32Array(lockWanted) : null;
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  return {
    yieldNow: () => wanted !== null && Atomics.load(wanted, 0) > 0,
    rest: () => {
      Atomics.wait(sleeper, 0, 0, restMs);
      if (!wanted) return;
      // The wait wakes at each notify; a count that stays up (a long transaction) is checked again every 50 ms.
      for (let n = Atomics.load(wanted, 0); n > 0; n = Atomics.load(wanted, 0)) Atomics.wait(wanted, 0, n, 50);
    },
  };
}
