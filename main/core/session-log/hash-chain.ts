import { createHash } from 'node:crypto';
import { EVENT_COLUMNS, type SessionEventRow } from './types';

/** The prev_hash of the first event: there is nothing before it. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The bytes a row's hash covers: a JSON object of every column but `hash`, keys in EVENT_COLUMNS
 * order, nulls written out. Including `seq` and `prev_hash` is what makes a moved, renumbered or
 * re-linked row show, not just an edited one.
 */
export function canonicalRow(row: Omit<SessionEventRow, 'hash'>): string {
  const ordered: Record<string, string | number | null> = {};
  for (const column of EVENT_COLUMNS) ordered[column] = row[column] ?? null;
  return JSON.stringify(ordered);
}

export function hashRow(row: Omit<SessionEventRow, 'hash'>): string {
  return createHash('sha256').update(canonicalRow(row), 'utf8').digest('hex');
}

/**
 * JSON with object keys sorted at every depth, so the same detail always yields the same text (and
 * hash). Refuses what JSON cannot represent faithfully rather than silently dropping it.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value, '$'));
}

function sortKeys(value: unknown, path: string): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${path} is not a finite number`);
    return value;
  }
  if (Array.isArray(value)) return value.map((item, i) => sortKeys(item, `${path}[${i}]`));
  if (typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) out[key] = sortKeys(item, `${path}.${key}`);
    }
    return out;
  }
  throw new TypeError(`${path} cannot be stored as JSON (${typeof value})`);
}
