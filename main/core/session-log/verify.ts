import type { Db } from '../store/database';
import { scanChain } from './chain-scan';
import { GENESIS_HASH, hashRow } from './hash-chain';
import { EVENT_COLUMNS, type SessionEventRow, type TamperKind, type VerifyResult } from './types';

export const ROW_COLUMNS = `${EVENT_COLUMNS.join(', ')}, hash`;

export { CANONICAL_SQL } from './chain-scan';

/** How far either side of its slot a moved row's original number is looked for. */
const MOVE_WINDOW = 16;

type Failure = Extract<VerifyResult, { ok: false }>;

const fail = (seq: number, problem: TamperKind, message: string): Failure => ({ ok: false, seq, problem, message });

function describe(row: SessionEventRow): string {
  const session = row.session_id.length > 8 ? `${row.session_id.slice(0, 8)}…` : row.session_id;
  return `record ${row.seq} (session ${session}, ${row.at})`;
}

function missing(from: number, to: number): string {
  return from === to ? `record ${from} was deleted` : `records ${from}–${to} were deleted`;
}

/**
 * Walks the chain in seq order and stops at the first record that does not hold: its own hash, its
 * number, or its link to the record before it. Only then does it look around (by hash, by number) to
 * say what most likely happened, because a plain "broken at 17" does not tell a lead what to look for.
 *
 * The chain proves the log is internally consistent, not that it is whole: deleting the newest
 * records, or rewriting the chain from some point on with recomputed hashes, leaves a consistent
 * chain. Both show only against a head kept elsewhere — pass `expectedHead` from an exported copy.
 */
export function verifyChain(db: Db, expectedHead?: { seq: number; hash: string }, visit?: (seq: number, hash: Buffer) => void): VerifyResult {
  return db.transaction((): VerifyResult => {
    let prev: { seq: number; hash: string } | undefined;
    let bad: SessionEventRow | undefined;
    let count = 0;
    const { first, last } = db.prepare('SELECT min(seq) AS first, max(seq) AS last FROM session_events').get() as { first: number | null; last: number | null };
    // A record numbered 0 or below was put before the first one: the chain starts at 1.
    if (first !== null && first < 1) bad = byStoredSeq(db, first);
    let from = 1;
    while (!bad && last !== null && from <= last) {
      // The fast path (chain-scan.ts) hashes what SQLite writes; a record it does not accept is re-hashed
      // the app's own way (hashRow) before it is called tampered, so the fast path can only save time.
      const scan = scanChain(db, from, last, prev?.hash ?? GENESIS_HASH, visit);
      count += scan.held;
      if (scan.lastHash) prev = { seq: from + scan.held - 1, hash: scan.lastHash };
      if (scan.brokenAt === null) break;
      const row = db.prepare(`SELECT ${ROW_COLUMNS} FROM session_events WHERE seq >= ? ORDER BY seq LIMIT 1`).get(scan.brokenAt) as SessionEventRow | undefined;
      if (!row) break;
      if (row.seq === (prev?.seq ?? 0) + 1 && row.prev_hash === (prev?.hash ?? GENESIS_HASH) && hashRow(row) === row.hash) {
        prev = { seq: row.seq, hash: row.hash };
        count++;
        visit?.(row.seq, Buffer.from(row.hash, 'hex'));
        from = row.seq + 1;
        continue;
      }
      bad = row;
    }
    if (bad) return classify(db, bad, prev && byStoredSeq(db, prev.seq));
    if (expectedHead) {
      if (count < expectedHead.seq) {
        return fail(count + 1, 'deleted', `${missing(count + 1, expectedHead.seq)}: the log ends at record ${count}, but the exported copy reaches record ${expectedHead.seq}`);
      }
      const at = byStoredSeq(db, expectedHead.seq);
      if (at && at.hash !== expectedHead.hash) {
        return fail(at.seq, 'deleted', `${describe(at)} does not match the exported copy: the log was cut back and rewritten from record ${at.seq} or earlier`);
      }
    }
    return { ok: true, count, head: prev ? { seq: prev.seq, hash: prev.hash } : null };
  })();
}

const byStoredSeq = (db: Db, seq: number) =>
  db.prepare(`SELECT ${ROW_COLUMNS} FROM session_events WHERE seq = ?`).get(seq) as SessionEventRow | undefined;

/** A full scan, but only ever run once or twice, after the chain has already broken. */
const byStoredHash = (db: Db, hash: string) =>
  db.prepare(`SELECT ${ROW_COLUMNS} FROM session_events WHERE hash = ? ORDER BY seq LIMIT 1`).get(hash) as SessionEventRow | undefined;

/** The seq the record the row links to had, plus one: where the row itself was first written. */
function linkedSeq(db: Db, row: SessionEventRow): number | undefined {
  if (row.prev_hash === GENESIS_HASH) return 1;
  const target = byStoredHash(db, row.prev_hash);
  return target ? target.seq + 1 : undefined;
}

/** The number a row was hashed with, when its contents are intact but it now sits elsewhere. */
function originalSeq(db: Db, row: SessionEventRow): number | undefined {
  const candidates = [linkedSeq(db, row)];
  for (let d = 1; d <= MOVE_WINDOW; d++) candidates.push(row.seq + d, row.seq - d);
  return candidates.find((seq) => seq !== undefined && seq > 0 && hashRow({ ...row, seq }) === row.hash);
}

function classify(db: Db, row: SessionEventRow, prev: SessionEventRow | undefined): Failure {
  const expected = (prev?.seq ?? 0) + 1;
  const prevHash = prev?.hash ?? GENESIS_HASH;
  if (row.seq < expected) return fail(row.seq, 'inserted', `${describe(row)} was inserted: the log starts at record 1`);
  const linked = row.prev_hash === prevHash;
  const gap = row.seq > expected;

  if (hashRow(row) === row.hash) {
    if (gap && linked) return fail(row.seq, 'inserted', `${describe(row)} was inserted: it links to record ${expected - 1} but is numbered ${row.seq}`);
    if (gap) return fail(expected, 'deleted', `${missing(expected, row.seq - 1)}: the log jumps from record ${expected - 1} to record ${row.seq}`);
    const target = byStoredHash(db, row.prev_hash);
    if (target && target.seq > row.seq) return fail(row.seq, 'reordered', `${describe(row)} is out of order: it links to record ${target.seq}, which comes after it`);
    if (target && target.seq < row.seq - 1) {
      const first = byStoredSeq(db, target.seq + 1)!;
      return fail(first.seq, 'inserted', `${describe(first)} was inserted: record ${row.seq} links past it to record ${target.seq}`);
    }
    if (prev) return fail(prev.seq, 'edited', `${describe(prev)} was edited and its hash recomputed: record ${row.seq} no longer links to it`);
    return fail(row.seq, 'edited', `${describe(row)} was edited: the first record must link to nothing before it`);
  }

  if (gap) return fail(expected, 'deleted', `${missing(expected, row.seq - 1)}: the log jumps from record ${expected - 1} to record ${row.seq}`);
  const original = originalSeq(db, row);
  if (original !== undefined) {
    const target = row.prev_hash === GENESIS_HASH ? undefined : byStoredHash(db, row.prev_hash);
    if (target && target.seq > row.seq) {
      return fail(row.seq, 'reordered', `${describe(row)} is out of order: it holds what was record ${original}, and links to record ${target.seq}, which comes after it`);
    }
    if (original > row.seq) {
      return fail(row.seq, 'deleted', `${missing(row.seq, original - 1)}: the records after it were renumbered to close the gap (record ${row.seq} now holds what was record ${original})`);
    }
    // The row was pushed up from `original`: whatever sits at that number now was put there.
    const forged = byStoredSeq(db, original);
    const what = forged ? describe(forged) : `record ${original}`;
    return fail(original, 'inserted', `${what} was inserted: the records after it were renumbered to make room (record ${row.seq} holds what was record ${original})`);
  }
  const next = db.prepare(`SELECT ${ROW_COLUMNS} FROM session_events WHERE seq > ? ORDER BY seq LIMIT 1`).get(row.seq) as SessionEventRow | undefined;
  if (next && next.prev_hash === prevHash) return fail(row.seq, 'inserted', `${describe(row)} was inserted: record ${next.seq} links past it to record ${expected - 1}`);
  return fail(row.seq, 'edited', `${describe(row)} was edited: its contents no longer match its hash`);
}
