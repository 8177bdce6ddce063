import { ApiError } from '../../../contract/errors';
import type { SecretStore } from '../keychain/secret-store';
import { nowIso, type Db } from '../store/database';
import { logId } from '../store/store-meta';
import { formatCheckpoint, parseCheckpoint } from '../transparency/checkpoint';
import { openNote, signNote, verifiedBy, type NoteVerifier } from '../transparency/signed-note';
import type { Identities } from './identity';
import type { LogTree } from './log-tree';

export type CheckpointReason = 'session-end' | 'policy-change' | 'on-demand' | 'bundle' | 'record';

/** A signed checkpoint as stored: the C2SP signed note and what it says. */
export interface StoredCheckpoint {
  id: number;
  size: number;
  /** base64, as the note writes it. */
  rootHash: string;
  signedAt: string;
  reason: string;
  note: string;
}

/** The keychain entry (this data dir's checkpoint share) that keeps the latest checkpoint outside the database. */
const LATEST_ENTRY = 'latest';

export function checkpointOrigin(id: string): string {
  return `switchboard/log/${id}`;
}

const TIME_PREFIX = 'time ';

/** The time a parsed checkpoint's own extension line states (`time <ISO>`), if it has one. */
export function signedTime(checkpoint: { extensions: readonly string[] }): string | undefined {
  return checkpoint.extensions.find((line) => line.startsWith(TIME_PREFIX))?.slice(TIME_PREFIX.length);
}

/** The same, from a checkpoint's note text. */
export function checkpointTime(body: string): string | undefined {
  return signedTime(parseCheckpoint(body));
}

/**
 * Signed checkpoints of the session log: its origin (this data dir's log id), size and Merkle root,
 * signed by the engineer's key as a C2SP tlog-checkpoint in a signed note. Each is stored (insert-only)
 * and the newest is also kept in the keychain, outside the database, so cutting the log and its
 * checkpoints table back together still leaves a signed size the log no longer reaches.
 */
export class Checkpoints {
  constructor(
    private readonly db: Db,
    private readonly tree: LogTree,
    private readonly identities: Identities,
    private readonly keychain: SecretStore,
  ) {}

  origin(): string {
    return checkpointOrigin(logId(this.db));
  }

  /** Signs the log as it is now. Needs an identity (NO_IDENTITY otherwise). */
  async sign(reason: CheckpointReason): Promise<StoredCheckpoint> {
    const signer = await this.identities.signer();
    const signedAt = nowIso();
    // Read size and root together: a record appended meanwhile by another process waits for the next one.
    const { size, root } = this.db.transaction(() => {
      this.tree.catchUp();
      const current = this.tree.size();
      return { size: current, root: this.tree.root(current) };
    }).immediate();
    const body = formatCheckpoint({ origin: this.origin(), size, rootHash: root, extensions: [`${TIME_PREFIX}${signedAt}`] });
    const note = signNote(body, [signer]);
    const id = Number(this.db.prepare('INSERT INTO checkpoints (size, root_hash, signed_at, reason, note) VALUES (?, ?, ?, ?, ?)')
      .run(size, root.toString('base64'), signedAt, reason, note).lastInsertRowid);
    await this.keepLatestOutside(note, size);
    return { id, size, rootHash: root.toString('base64'), signedAt, reason, note };
  }

  /** Every stored checkpoint, oldest first. */
  list(): StoredCheckpoint[] {
    return this.db.prepare('SELECT id, size, root_hash AS rootHash, signed_at AS signedAt, reason, note FROM checkpoints ORDER BY id').all() as StoredCheckpoint[];
  }

  latest(): StoredCheckpoint | null {
    return (this.db.prepare('SELECT id, size, root_hash AS rootHash, signed_at AS signedAt, reason, note FROM checkpoints ORDER BY size DESC, id DESC LIMIT 1').get() as StoredCheckpoint | undefined) ?? null;
  }

  /** The checkpoint kept in the keychain (null when there is none, or no keychain answers). */
  async latestOutside(): Promise<string | null> {
    return this.keychain.get(LATEST_ENTRY);
  }

  /** Whether a note is a checkpoint of this log signed by this identity. */
  signedByMe(note: string, verifier: NoteVerifier = this.identities.verifier()): boolean {
    try {
      return parseCheckpoint(openNote(note).text).origin === this.origin() && verifiedBy(note, verifier);
    } catch {
      return false;
    }
  }

  /** The keychain copy only moves forward: a smaller checkpoint (a slower concurrent signer) never replaces a larger one. */
  private async keepLatestOutside(note: string, size: number): Promise<void> {
    const kept = await this.keychain.get(LATEST_ENTRY);
    if (kept !== null) {
      try {
        if (parseCheckpoint(openNote(kept).text).size > size) return;
      } catch {
        // an unreadable entry is replaced; verify reports what it held before only if it was a checkpoint
      }
    }
    await this.keychain.set(LATEST_ENTRY, note);
  }
}

export function checkpointSize(note: string): number {
  try {
    return parseCheckpoint(openNote(note).text).size;
  } catch (error) {
    throw new ApiError('INVALID_INPUT', `Not a checkpoint: ${(error as Error).message}`);
  }
}
