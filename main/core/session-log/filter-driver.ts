import type Database from 'better-sqlite3';
import { prepared } from '../store/statement-cache';
import { FILTER_DRIVERS, FILTER_TERMS, given, OWN_LOG, timeTerms, type FilterDriver, type LogTables } from './list-query';
import type { SessionLogFilter } from './types';

/**
 * How far a filter's index is counted when choosing which to read first. Counting reads index entries only
 * (no rows), so it costs a small part of reading the same entries as the list does; a filter with fewer
 * entries than this is known exactly, and the fewest wins.
 */
export const DRIVER_COUNT_CAP = 4096;

/**
 * Which filter's index a list with several filters reads first (issue 13 §4). SQLite has no statistics for
 * one value (and the app runs no ANALYZE), so with engineer + ticket + outcome it reads one of the indexes
 * by its own rule and tests the other filters row by row — all of that engineer's records when the ticket or
 * the outcome matches nothing, or when they never meet. Counting each filter's entries (up to
 * DRIVER_COUNT_CAP, inside the time bounds) and reading the one with fewest bounds that walk by the smallest
 * filter: a value that matches nothing drives the list at the cost of one probe, a rare one at the cost of
 * its few rows. One filter (or none) needs no choice: undefined, and SQLite reads that filter's index.
 */
export function chooseDriver(db: Database.Database, filter: SessionLogFilter, tables: LogTables = OWN_LOG): FilterDriver | undefined {
  const present = FILTER_DRIVERS.filter((name) => given(filter[name]));
  if (present.length < 2) return undefined;
  let best: FilterDriver | undefined;
  let fewest = Infinity;
  for (const name of present) {
    const entries = countEntries(db, tables, filter, name, Math.min(DRIVER_COUNT_CAP, fewest));
    if (entries < fewest) {
      best = name;
      fewest = entries;
      if (entries === 0) break;
    }
  }
  return best;
}

/** Entries of one filter's index inside the time bounds, counted up to `cap` (an index range, no rows read). */
function countEntries(db: Database.Database, tables: LogTables, filter: SessionLogFilter, name: FilterDriver, cap: number): number {
  const column = name === 'outcome' ? 'so.at' : 'a.at';
  const bounds = timeTerms(filter, column);
  const [source, term] = name === 'outcome'
    ? [`${tables.outcomes} so`, 'so.outcome = @outcome COLLATE NOCASE']
    : [`${tables.stored} a INDEXED BY ${tables.index[name]}`, FILTER_TERMS[name](filter)];
  const sql = `SELECT count(*) FROM (SELECT 1 FROM ${source} WHERE ${[term, ...bounds.terms].join(' AND ')} LIMIT @cap)`;
  return prepared(db, sql).pluck().get({ [name]: filter[name]!, ...bounds.params, cap }) as number;
}
