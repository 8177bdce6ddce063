import { hash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Db } from '../store/database';
import { EVENT_COLUMNS } from './types';

/** A row's canonical JSON (hash-chain.ts canonicalRow), written by SQLite. */
export const CANONICAL_SQL = `json_object(${EVENT_COLUMNS.map((c) => `'${c}', ${c}`).join(', ')})`;

/** Records per query: one blob of about a megabyte. */
const BATCH = 2000;
const HEX_LENGTH = 64;
const NEWLINE = 0x0a;
const SEQ_PREFIX = Buffer.from('{"seq":');
/** The two ASCII hex digits of each byte value, as char codes, for comparing a digest with stored hex. */
const HEX_CODES = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0')).map((h) => [h.charCodeAt(0), h.charCodeAt(1)] as const);

export interface ChainScan {
  /** Records that held, from `from` on. */
  held: number;
  /** The seq of the first record that did not hold (its number, link or own hash), or null. */
  brokenAt: number | null;
  /** The first record's stored prev_hash (for a caller joining slices), null for an empty slice. */
  firstPrevHash: string | null;
  /** The last record that held: its hash. */
  lastHash: string | null;
}

/**
 * The verification fast path: records from..to, in seq order, each hashed from the canonical JSON SQLite
 * writes (json_object gives JSON.stringify's bytes for these column types), numbered, linked and compared
 * with its stored hash. SQLite hands over a slice of records as one blob of lines
 * `prev_hash(64 hex) hash(64 hex) canonical-json \n` (canonical JSON holds no raw newline), so the cost
 * per record is one SHA-256 over bytes already in a Buffer. `expectedPrev` is the hash the first record
 * must link to (null: the caller checks `firstPrevHash`). It stops at the first record that does not
 * hold and says which; naming what went wrong is verify.ts's job.
 */
export function scanChain(db: Db, from: number, to: number, expectedPrev: string | null, visit?: (seq: number, digest: Buffer) => void): ChainScan {
  const batch = db.prepare(
    // No ORDER BY inside the aggregate: a range of the primary key is read in key order, and a sort would
    // cost a third of the scan. Every line's seq is checked anyway, so another order could only send the
    // scan to the slow path, never past a record.
    `SELECT CAST(string_agg(prev_hash || hash || ${CANONICAL_SQL} || char(10), '') AS BLOB)
       FROM session_events WHERE seq BETWEEN ? AND ?`,
  ).pluck() as Database.Statement<[number, number], Buffer | null>;
  let expected = from;
  let prev: Buffer | null = expectedPrev === null ? null : Buffer.from(expectedPrev, 'latin1');
  let firstPrevHash: string | null = null;
  let last: Buffer | null = null;
  let held = 0;
  const result = (brokenAt: number | null): ChainScan => ({ held, brokenAt, firstPrevHash, lastHash: last ? last.toString('latin1') : null });
  for (let start = from; start <= to; start += BATCH) {
    const blob = batch.get(start, Math.min(to, start + BATCH - 1));
    if (!blob) return result(expected <= to ? expected : null);
    let at = 0;
    while (at < blob.length) {
      const end = blob.indexOf(NEWLINE, at);
      const json = at + 2 * HEX_LENGTH;
      const seq = readSeq(blob, json);
      if (firstPrevHash === null) firstPrevHash = blob.toString('latin1', at, at + HEX_LENGTH);
      const linked = prev === null ? true : blob.compare(prev, 0, HEX_LENGTH, at, at + HEX_LENGTH) === 0;
      if (end < 0 || seq !== expected || !linked) return result(expected);
      const digest = hash('sha256', blob.subarray(json, end), 'buffer');
      if (!sameHex(digest, blob, at + HEX_LENGTH)) return result(expected);
      visit?.(seq, digest);
      prev = blob.subarray(at + HEX_LENGTH, json);
      last = prev;
      held++;
      expected++;
      at = end + 1;
    }
  }
  return result(expected <= to ? expected : null);
}

/** The seq a canonical row starts with (`{"seq":N,`), or NaN. */
function readSeq(blob: Buffer, json: number): number {
  if (blob.compare(SEQ_PREFIX, 0, SEQ_PREFIX.length, json, json + SEQ_PREFIX.length) !== 0) return Number.NaN;
  let i = json + SEQ_PREFIX.length;
  const negative = blob[i] === 0x2d;
  if (negative) i++;
  let value = 0;
  let digits = 0;
  for (; blob[i]! >= 0x30 && blob[i]! <= 0x39; i++, digits++) value = value * 10 + (blob[i]! - 0x30);
  return digits === 0 || blob[i] !== 0x2c ? Number.NaN : negative ? -value : value;
}

function sameHex(digest: Buffer, blob: Buffer, at: number): boolean {
  for (let i = 0; i < digest.length; i++) {
    const [hi, lo] = HEX_CODES[digest[i]!]!;
    if (blob[at + 2 * i] !== hi || blob[at + 2 * i + 1] !== lo) return false;
  }
  return true;
}
