import type Database from 'better-sqlite3';
import type { SessionEventRow } from '../session-log/types';
import type { Db } from '../store/database';
import { EMPTY_ROOT, leafHash, nodeHash, type SubtreeHash } from '../transparency/merkle';

/**
 * The session log's RFC 6962 Merkle tree, kept as it grows: leaf i is record i+1's hash (its 32 bytes),
 * and every complete subtree's hash is stored once (merkle_nodes), so a root or a consistency proof at
 * any size costs O(log n) reads however long the log is. This is a cache for signing and proving;
 * verifying never trusts it and recomputes every hash from the records themselves.
 */
export class LogTree {
  private readonly put: Database.Statement<[number, number, Buffer]>;
  private readonly node: Database.Statement<[number, number], Buffer>;

  constructor(private readonly db: Db) {
    this.put = db.prepare('INSERT OR REPLACE INTO merkle_nodes (level, idx, hash) VALUES (?, ?, ?)');
    this.node = db.prepare('SELECT hash FROM merkle_nodes WHERE level = ? AND idx = ?').pluck() as Database.Statement<[number, number], Buffer>;
  }

  /** Leaves the tree holds. */
  size(): number {
    const last = this.db.prepare('SELECT max(idx) FROM merkle_nodes WHERE level = 0').pluck().get() as number | null;
    return last === null ? 0 : last + 1;
  }

  /** Adds record `seq` (leaf seq-1); runs inside the log's append transaction. */
  add(row: Pick<SessionEventRow, 'seq' | 'hash'>): void {
    let level = 0;
    let index = row.seq - 1;
    let hash = leafHash(Buffer.from(row.hash, 'hex'));
    this.put.run(level, index, hash);
    while (index % 2 === 1) {
      const left = this.node.get(level, index - 1);
      if (!left) throw new Error(`the Merkle tree has no node ${level}/${index - 1}; rebuild it`);
      hash = nodeHash(left, hash);
      level += 1;
      index = (index - 1) / 2;
      this.put.run(level, index, hash);
    }
  }

  /**
   * Brings the tree up to the log's last record: the records written before it existed (an older
   * data dir), or by a process that did not keep it. Costs only the missing records, read in slices so
   * a first catch-up over a long log holds a slice, not the log, in memory.
   */
  catchUp(): number {
    const slice = this.db.prepare('SELECT seq, hash FROM session_events WHERE seq > ? ORDER BY seq LIMIT 20000');
    let added = 0;
    for (;;) {
      const from = this.size();
      const rows = slice.all(from) as Pick<SessionEventRow, 'seq' | 'hash'>[];
      let taken = 0;
      this.db.transaction(() => {
        for (const row of rows) {
          if (row.seq !== from + taken + 1) break; // a gap: verify will name it; the tree stops before it
          this.add(row);
          taken += 1;
        }
      }).immediate();
      added += taken;
      if (taken < 20000) return added;
    }
  }

  /** MTH over leaves [start, end). */
  readonly subtreeHash: SubtreeHash = (start, end) => {
    const width = end - start;
    if (width <= 0) return Buffer.from(EMPTY_ROOT);
    if ((width & (width - 1)) === 0 && start % width === 0) {
      const level = Math.log2(width);
      const stored = this.node.get(level, start / width);
      if (!stored) throw new Error(`the Merkle tree has no node ${level}/${start / width}; it holds ${this.size()} leaves`);
      return stored;
    }
    let split = 1;
    while (split * 2 < width) split *= 2;
    return nodeHash(this.subtreeHash(start, start + split), this.subtreeHash(start + split, end));
  };

  root(size: number): Buffer {
    return size === 0 ? Buffer.from(EMPTY_ROOT) : this.subtreeHash(0, size);
  }
}
