import { hashRow } from '../session-log/hash-chain';
import type { BundleRecord } from './bundle-format';

/** What is wrong with a bundle's run of records, named the way `log verify` names it. */
export interface ChainProblem { problem: 'edited' | 'deleted' | 'inserted' | 'reordered'; seq: number; message: string }

/** How far either side of its slot a moved record's original number is looked for. */
const MOVE_WINDOW = 16;
/** Records between two progress reports. */
const PROGRESS_EVERY = 2000;

const describe = (r: BundleRecord) => `record ${r.seq} (session ${r.session_id.length > 8 ? `${r.session_id.slice(0, 8)}…` : r.session_id}, ${r.at})`;
const missing = (from: number, to: number) => (from === to ? `record ${from} is missing` : `records ${from}–${to} are missing`);

/**
 * Walks a bundle's records from `firstSeq`, the first linking to `prevHash`, and stops at the first that
 * does not hold (its own hash, its number, its link); then looks around, as session-log/verify.ts does for
 * the whole log, to say what most likely happened to the file: an edit, a deletion, an insertion or a
 * reordering. Null when every record holds. `progress` is told the records checked, every few thousand.
 */
export function checkBundleChain(records: readonly BundleRecord[], firstSeq: number, prevHash: string, progress?: (done: number) => void): ChainProblem | null {
  const byHash = new Map<string, BundleRecord>();
  const bySeq = new Map<number, BundleRecord>();
  for (const r of records) {
    if (!byHash.has(r.hash)) byHash.set(r.hash, r);
    if (!bySeq.has(r.seq)) bySeq.set(r.seq, r);
  }
  let prev: BundleRecord | undefined;
  for (let i = 0; i < records.length; i++) {
    const row = records[i]!;
    const expected = firstSeq + i;
    const link = prev?.hash ?? prevHash;
    if (row.seq === expected && row.prev_hash === link && hashRow(row) === row.hash) {
      prev = row;
      if (progress && (i + 1) % PROGRESS_EVERY === 0) progress(i + 1);
      continue;
    }
    return classify(row, expected, link, prev, records[i + 1], byHash, bySeq);
  }
  progress?.(records.length);
  return null;
}

function classify(
  row: BundleRecord, expected: number, link: string, prev: BundleRecord | undefined, next: BundleRecord | undefined,
  byHash: Map<string, BundleRecord>, bySeq: Map<number, BundleRecord>,
): ChainProblem {
  const fail = (problem: ChainProblem['problem'], seq: number, message: string): ChainProblem => ({ problem, seq, message });
  const due = bySeq.get(expected);
  if (row.seq > expected && due && due !== row) return fail('reordered', row.seq, `${describe(row)} is out of order: it comes before record ${expected} in the bundle`);
  if (row.seq < expected) return fail('inserted', row.seq, `${describe(row)} was inserted: it repeats or goes back before record ${expected - 1}`);
  const linked = row.prev_hash === link;
  const gap = row.seq > expected;
  if (hashRow(row) === row.hash) {
    if (gap && linked) return fail('inserted', row.seq, `${describe(row)} was inserted: it links to record ${expected - 1} but is numbered ${row.seq}`);
    if (gap) return fail('deleted', expected, `${missing(expected, row.seq - 1)}: the bundle jumps from record ${expected - 1} to record ${row.seq}`);
    const target = byHash.get(row.prev_hash);
    if (target && target.seq > row.seq) return fail('reordered', row.seq, `${describe(row)} is out of order: it links to record ${target.seq}, which comes after it`);
    if (target && target.seq < row.seq - 1) {
      const first = bySeq.get(target.seq + 1)!;
      return fail('inserted', first.seq, `${describe(first)} was inserted: record ${row.seq} links past it to record ${target.seq}`);
    }
    if (prev) return fail('edited', prev.seq, `${describe(prev)} was edited and its hash recomputed: record ${row.seq} no longer links to it`);
    return fail('edited', row.seq, `${describe(row)} does not link to the record before it (record ${expected - 1})`);
  }
  if (gap) return fail('deleted', expected, `${missing(expected, row.seq - 1)}: the bundle jumps from record ${expected - 1} to record ${row.seq}`);
  const original = [row.seq, ...Array.from({ length: MOVE_WINDOW }, (_, d) => [row.seq + d + 1, row.seq - d - 1]).flat()]
    .find((seq) => seq > 0 && seq !== row.seq && hashRow({ ...row, seq }) === row.hash);
  if (original !== undefined) {
    const target = byHash.get(row.prev_hash);
    if (target && target.seq > row.seq) return fail('reordered', row.seq, `${describe(row)} is out of order: it holds what was record ${original}, and links to record ${target.seq}, which comes after it`);
    if (original > row.seq) return fail('deleted', row.seq, `${missing(row.seq, original - 1)}: the records after were renumbered to close the gap (record ${row.seq} holds what was record ${original})`);
    const forged = bySeq.get(original);
    return fail('inserted', original, `${forged ? describe(forged) : `record ${original}`} was inserted: the records after it were renumbered to make room (record ${row.seq} holds what was record ${original})`);
  }
  if (next && next.prev_hash === link) return fail('inserted', row.seq, `${describe(row)} was inserted: record ${next.seq} links past it to record ${expected - 1}`);
  return fail('edited', row.seq, `${describe(row)} was edited: its contents no longer match its hash`);
}
