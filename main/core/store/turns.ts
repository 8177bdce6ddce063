import type { Db } from './database';

/**
 * How long one turn holds the core's thread (and the database's write lock) before it lets others in: a
 * request that arrives meanwhile, or a write of another connection, waits about a turn. A row takes 5–25 µs.
 */
export const TURN_MS = 8;

/** Gives the core's thread back between two turns: requests that came meanwhile are answered first. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Runs `work` over `items` in turns of about TURN_MS (no transaction: work that only reads), giving the core's thread back between them. */
export async function inSlices<T>(items: readonly T[], work: (item: T) => void): Promise<void> {
  let started = performance.now();
  for (const item of items) {
    if (performance.now() - started >= TURN_MS) {
      await nextTurn();
      started = performance.now();
    }
    work(item);
  }
}

/**
 * Runs `write` over `items` in transactions of about TURN_MS, giving the core's thread back between them.
 * `endOfTurn` runs inside each turn's transaction after its items, with the last of them (e.g. to note
 * how far the work got, in the same commit).
 */
export async function inTurns<T>(db: Db, items: readonly T[], write: (item: T) => void, endOfTurn?: (last: T) => void): Promise<void> {
  let next = 0;
  while (next < items.length) {
    const started = performance.now();
    db.transaction(() => {
      do write(items[next++]!); while (next < items.length && performance.now() - started < TURN_MS);
      endOfTurn?.(items[next - 1]!);
    }).immediate();
    if (next < items.length) await nextTurn();
  }
}
