import type { ClientBase } from 'pg';
import { addRevision } from '../notes/notes';
import { nowIso, type Db } from '../store/database';
import { inTurns } from '../store/turns';
import { isConnectionLost } from './connection';
import { refusal } from './membership';

/** What a sync did with site notes. */
export interface NotesSynced {
  /** This laptop's revisions now in the store (a deletion or undo made since the last sync counts too). */
  pushed: number;
  /** Other laptops' revisions applied here. */
  pulled: number;
  /** Revisions of sites this laptop does not have, kept aside until it has them. */
  skipped: number;
  warnings: string[];
}

/** Revisions per INSERT statement and per transaction; pulled rows per round trip. */
const PUSH_BATCH = 200;
const PULL_BATCH = 1000;
const CURSOR_KEY = 'team_notes_cursor';

const PUSHED_COLUMNS = ['uid', 'note_uid', 'parent_uid', 'customer', 'site', 'host', 'title', 'body', 'deleted', 'written_at'] as const;

interface LocalRevision { id: number; uid: string; note_uid: string; parent_uid: string | null; customer: string; site: string; host: string | null; title: string; body: string; deleted: number; written_at: string }
interface StoredRevision {
  id: string; uid: string; note_uid: string; parent_uid: string | null; customer: string; site: string; host: string | null;
  title: string; body: string; deleted: boolean; author: string; author_name: string | null; written_at: Date; received_at: Date;
}

/**
 * Site notes through the team store: every revision from every laptop is kept (the store is insert-only),
 * so an edit made offline on two laptops at once loses neither — both are in the store and in both
 * laptops' history, each naming the revision it was written on, and every laptop shows the one the store
 * received last. Push first (idempotent by revision uid: a retry or a duplicate never doubles), then pull
 * everyone's by cursor.
 */
export async function syncNotes(client: ClientBase, db: Db): Promise<NotesSynced> {
  recordDeletions(db);
  const warnings: string[] = [];
  const pushed = await pushRevisions(client, db, warnings);
  const { pulled, skipped } = await pullRevisions(client, db, warnings);
  return { pushed, pulled, skipped, warnings };
}

/**
 * A note deleted (or brought back from the trash) since its current revision says so gets a revision
 * saying it, so the deletion travels like an edit. Also gives a revision to a note that has none.
 */
function recordDeletions(db: Db): void {
  const changed = db.prepare(`
    SELECT n.id, n.title, n.body, n.deleted_at AS deletedAt FROM notes n LEFT JOIN note_revisions r ON r.uid = n.revision_uid
     WHERE r.uid IS NULL OR (n.deleted_at IS NOT NULL) <> (r.deleted = 1)`).all() as { id: number; title: string; body: string; deletedAt: string | null }[];
  db.transaction(() => {
    for (const note of changed) addRevision(db, note.id, note, note.deletedAt ?? nowIso(), note.deletedAt !== null);
  })();
}

async function pushRevisions(client: ClientBase, db: Db, warnings: string[]): Promise<number> {
  const select = db.prepare(`
    SELECT r.id, r.uid, n.uid AS note_uid, r.parent_uid, c.name AS customer, s.name AS site, h.name AS host, r.title, r.body, r.deleted, r.created_at AS written_at
      FROM note_revisions r JOIN notes n ON n.id = r.note_id JOIN sites s ON s.id = n.site_id JOIN customers c ON c.id = s.customer_id
      LEFT JOIN hosts h ON h.id = n.host_id
     WHERE r.store_id IS NULL AND r.id > ? ORDER BY r.id LIMIT ?`);
  const mark = db.prepare('UPDATE note_revisions SET store_id = ?, received_at = ?, author = ?, author_name = ? WHERE uid = ?');
  const me = (await client.query<{ me: string }>('SELECT current_user AS me')).rows[0]!.me;
  let after = 0;
  let pushed = 0;
  for (;;) {
    // Parents before children: a revision is always saved after the one it was written on.
    const rows = select.all(after, PUSH_BATCH) as LocalRevision[];
    if (rows.length === 0) break;
    after = rows.at(-1)!.id;
    let stored: StoredRevision[];
    await client.query('BEGIN');
    try {
      await client.query(insertStatement(rows.length), rows.flatMap((row) => PUSHED_COLUMNS.map((c) => (c === 'deleted' ? row.deleted === 1 : row[c]))));
      stored = (await client.query<StoredRevision>(`${STORED_SELECT} WHERE r.uid = ANY($1) ORDER BY r.id`, [rows.map((r) => r.uid)])).rows;
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw isConnectionLost(error) ? error : refusal(error, `push note revisions "${rows[0]!.title}"…"${rows.at(-1)!.title}"`);
    }
    db.transaction(() => {
      for (const row of stored) {
        // A uid is 128 random bits; one already in the store under another login is not ours to claim.
        if (row.author !== me) {
          warnings.push(`Note "${row.title}": revision ${row.uid} is in the team store as ${row.author}'s, not yours; it was not pushed.`);
          continue;
        }
        mark.run(Number(row.id), row.received_at.toISOString(), row.author, row.author_name, row.uid);
        pushed++;
      }
    })();
  }
  return pushed;
}

const STORED_SELECT = `SELECT r.id, r.uid, r.note_uid, r.parent_uid, r.customer, r.site, r.host, r.title, r.body, r.deleted, r.author, m.name AS author_name,
  r.written_at, r.received_at FROM switchboard.note_revisions r LEFT JOIN switchboard.members m ON m.login = r.author`;

function insertStatement(rows: number): string {
  const width = PUSHED_COLUMNS.length;
  const values = Array.from({ length: rows }, (_, r) => `(${PUSHED_COLUMNS.map((_, c) => `$${r * width + c + 1}`).join(', ')})`);
  return `INSERT INTO switchboard.note_revisions (${PUSHED_COLUMNS.join(', ')}) VALUES ${values.join(', ')} ON CONFLICT (uid) DO NOTHING`;
}

async function pullRevisions(client: ClientBase, db: Db, warnings: string[]): Promise<{ pulled: number; skipped: number }> {
  const applier = new RevisionApplier(db);
  // Revisions kept aside for a site this laptop did not have: fetched again once it has the site.
  const ready = db.prepare(`
    SELECT k.store_id FROM team_note_skips k WHERE EXISTS (
      SELECT 1 FROM sites s JOIN customers c ON c.id = s.customer_id
       WHERE c.name = k.customer COLLATE NOCASE AND s.name = k.site COLLATE NOCASE AND s.deleted_at IS NULL AND c.deleted_at IS NULL)`).pluck().all() as number[];
  if (ready.length > 0) await applier.apply((await client.query<StoredRevision>(`${STORED_SELECT} WHERE r.id = ANY($1) ORDER BY r.id`, [ready])).rows);
  let cursor = Number((db.prepare('SELECT value FROM store_meta WHERE key = ?').pluck().get(CURSOR_KEY) as string | undefined) ?? 0);
  const saveCursor = db.prepare('INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  for (;;) {
    const rows = (await client.query<StoredRevision>(`${STORED_SELECT} WHERE r.id > $1 ORDER BY r.id LIMIT ${PULL_BATCH}`, [cursor])).rows;
    if (rows.length === 0) break;
    // Each turn notes how far it got in its own commit: a sync cut off mid-batch goes on from there.
    await applier.apply(rows, (last) => saveCursor.run(CURSOR_KEY, last.id));
    cursor = Number(rows.at(-1)!.id);
  }
  const skipped = db.prepare('SELECT customer, site, count(*) AS n FROM team_note_skips GROUP BY customer, site ORDER BY customer, site').all() as { customer: string; site: string; n: number }[];
  const total = skipped.reduce((sum, s) => sum + s.n, 0);
  if (total > 0) {
    warnings.push(`${total} note revision(s) of sites this laptop does not have (${skipped.map((s) => `${s.customer}/${s.site}`).join(', ')}) are kept aside; `
      + 'they are applied at the first sync after the site is added here.');
  }
  warnings.push(...applier.warnings);
  return { pulled: applier.pulled, skipped: total };
}

/** Applies revisions from the store to this laptop's notes; each note then shows the revision the store received last. */
class RevisionApplier {
  pulled = 0;
  readonly warnings: string[] = [];

  constructor(private readonly db: Db) {}

  /**
   * Applies `rows` in turns of about TURN_MS on the core's thread (a batch of 1000 in one transaction held
   * it 180–220 ms), each turn one transaction that ends with the notes it touched showing what they
   * should; `turnDone` runs in the same transaction with the turn's last row.
   */
  async apply(rows: StoredRevision[], turnDone?: (last: StoredRevision) => void): Promise<void> {
    let touched = new Set<number>();
    await inTurns(this.db, rows, (row) => {
      const noteId = this.applyOne(row);
      if (noteId !== null) touched.add(noteId);
    }, (last) => {
      for (const noteId of touched) this.showLastReceived(noteId);
      touched = new Set();
      turnDone?.(last);
    });
  }

  /** The local note the revision went to, or null when its site is not here (kept aside). */
  private applyOne(row: StoredRevision): number | null {
    const db = this.db;
    const storeId = Number(row.id);
    const receivedAt = row.received_at.toISOString();
    const existing = db.prepare('SELECT note_id AS noteId FROM note_revisions WHERE uid = ?').get(row.uid) as { noteId: number } | undefined;
    if (existing) {
      // One of ours, pushed (perhaps by a sync that was cut before it could note so), or pulled before.
      db.prepare('UPDATE note_revisions SET store_id = ?, received_at = ?, author = ?, author_name = ? WHERE uid = ?').run(storeId, receivedAt, row.author, row.author_name, row.uid);
      db.prepare('DELETE FROM team_note_skips WHERE store_id = ?').run(storeId);
      return existing.noteId;
    }
    const noteId = this.noteFor(row);
    if (noteId === null) {
      db.prepare('INSERT OR IGNORE INTO team_note_skips (store_id, customer, site) VALUES (?, ?, ?)').run(storeId, row.customer, row.site);
      return null;
    }
    db.prepare(`INSERT INTO note_revisions (note_id, title, body, created_at, uid, parent_uid, author, author_name, deleted, store_id, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(noteId, row.title, row.body, row.written_at.toISOString(), row.uid, row.parent_uid, row.author, row.author_name, row.deleted ? 1 : 0, storeId, receivedAt);
    db.prepare('DELETE FROM team_note_skips WHERE store_id = ?').run(storeId);
    this.pulled++;
    return noteId;
  }

  /** The note by its uid, or a new one on the site with the revision's customer/site names; null when that site is not here. */
  private noteFor(row: StoredRevision): number | null {
    const db = this.db;
    const known = db.prepare('SELECT id FROM notes WHERE uid = ?').pluck().get(row.note_uid) as number | undefined;
    if (known !== undefined) return known;
    const siteId = db.prepare(`SELECT s.id FROM sites s JOIN customers c ON c.id = s.customer_id
      WHERE c.name = ? COLLATE NOCASE AND s.name = ? COLLATE NOCASE AND s.deleted_at IS NULL AND c.deleted_at IS NULL`).pluck().get(row.customer, row.site) as number | undefined;
    if (siteId === undefined) return null;
    let hostId: number | null = null;
    if (row.host !== null) {
      hostId = (db.prepare('SELECT id FROM hosts WHERE site_id = ? AND name = ? COLLATE NOCASE AND deleted_at IS NULL').pluck().get(siteId, row.host) as number | undefined) ?? null;
      if (hostId === null) this.warnings.push(`Note "${row.title}" is about host ${row.host} of ${row.customer}/${row.site}, which this laptop does not have; it is kept on the site.`);
    }
    const position = db.prepare('SELECT coalesce(max(position) + 1, 0) FROM notes WHERE site_id = ?').pluck().get(siteId) as number;
    const at = row.written_at.toISOString();
    return Number(db.prepare('INSERT INTO notes (site_id, host_id, position, title, body, created_at, updated_at, uid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(siteId, hostId, position, row.title, row.body, at, at, row.note_uid).lastInsertRowid);
  }

  /**
   * The note shows the revision the store received last — the same on every laptop once both synced — or,
   * when this laptop has an edit not pushed yet, that edit (it will be received last when it is pushed).
   */
  private showLastReceived(noteId: number): void {
    const db = this.db;
    const last = db.prepare('SELECT uid, title, body, deleted, created_at AS createdAt FROM note_revisions WHERE note_id = ? ORDER BY store_id IS NULL DESC, store_id DESC, id DESC LIMIT 1')
      .get(noteId) as { uid: string; title: string; body: string; deleted: number; createdAt: string };
    const note = db.prepare('SELECT title, body, revision_uid AS revisionUid, deleted_at AS deletedAt FROM notes WHERE id = ?').get(noteId) as { title: string; body: string; revisionUid: string | null; deletedAt: string | null };
    if (note.revisionUid === last.uid) return;
    db.prepare('UPDATE notes SET revision_uid = ?, deleted_at = ? WHERE id = ?').run(last.uid, last.deleted ? (note.deletedAt ?? last.createdAt) : null, noteId);
    if (note.title !== last.title || note.body !== last.body) {
      db.prepare('UPDATE notes SET title = ?, body = ?, updated_at = ? WHERE id = ?').run(last.title, last.body, nowIso(), noteId);
    }
  }
}
