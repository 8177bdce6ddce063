import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { ApiError } from '../../../contract/errors';
import type { noteFields } from '../../../contract/inputs';
import type { Note, NoteRevision } from '../../../contract/models';
import { notFound } from '../directory/sql-errors';
import { nowIso, type Db } from '../store/database';

export type NoteInput = z.output<typeof noteFields>;

/**
 * Notes keep every saved version as a revision (revision 1 is the note as created), so history,
 * diff and restore need nothing but the revisions table. Restoring saves a new revision.
 */
export function getNote(db: Db, id: number): Note {
  const row = db
    .prepare(
      `SELECT n.id, n.site_id AS siteId, n.host_id AS hostId, h.name AS hostName, n.title, n.body, n.updated_at AS updatedAt,
              (SELECT count(*) FROM note_revisions r WHERE r.note_id = n.id) AS revisionCount,
              c.name AS customerName, s.name AS siteName
         FROM notes n JOIN sites s ON s.id = n.site_id JOIN customers c ON c.id = s.customer_id LEFT JOIN hosts h ON h.id = n.host_id
        WHERE n.id = ? AND n.deleted_at IS NULL AND s.deleted_at IS NULL AND c.deleted_at IS NULL`,
    )
    .get(id) as (Note & { hostId: number | null; hostName: string | null }) | undefined;
  if (!row) throw notFound('Note', id);
  const { hostId, hostName, ...rest } = row;
  return hostId ? { ...rest, hostId, hostName: hostName ?? '' } : rest;
}

/** A uid that means the same note or revision on every laptop of a team (local integer ids do not). */
export function newNoteUid(): string {
  return randomBytes(16).toString('hex');
}

/**
 * Saves a revision on top of the one the note shows now (its parent: two revisions with the same parent
 * were written at the same time, on two laptops) and makes it the note's current one.
 */
export function addRevision(db: Db, noteId: number, input: NoteInput, at: string, deleted = false): string {
  const uid = newNoteUid();
  const parent = db.prepare('SELECT revision_uid FROM notes WHERE id = ?').pluck().get(noteId) as string | null | undefined;
  db.prepare('INSERT INTO note_revisions (note_id, title, body, created_at, uid, parent_uid, deleted) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(noteId, input.title, input.body, at, uid, parent ?? null, deleted ? 1 : 0);
  db.prepare('UPDATE notes SET revision_uid = ? WHERE id = ?').run(uid, noteId);
  return uid;
}

/** Where a new note of a site goes: after its last one. One entry of notes_bySitePosition, however many notes the site has. */
export const NEXT_POSITION_SQL = 'SELECT coalesce(max(position) + 1, 0) FROM notes WHERE site_id = ?';

export function createNote(db: Db, siteId: number, hostId: number | undefined, input: NoteInput): number {
  return db.transaction(() => {
    if (!db.prepare('SELECT 1 FROM sites WHERE id = ? AND deleted_at IS NULL').get(siteId)) throw notFound('Site', siteId);
    if (hostId !== undefined && !db.prepare('SELECT 1 FROM hosts WHERE id = ? AND site_id = ? AND deleted_at IS NULL').get(hostId, siteId)) {
      throw new ApiError('INVALID_INPUT', `Host #${hostId} is not a host of this site.`, [{ path: 'hostId', message: 'not a host of this site' }]);
    }
    const now = nowIso();
    const position = db.prepare(NEXT_POSITION_SQL).pluck().get(siteId) as number;
    const id = Number(
      db.prepare('INSERT INTO notes (site_id, host_id, position, title, body, created_at, updated_at, uid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(siteId, hostId ?? null, position, input.title, input.body, now, now, newNoteUid()).lastInsertRowid,
    );
    addRevision(db, id, input, now);
    return id;
  })();
}

export function updateNote(db: Db, id: number, input: NoteInput): void {
  db.transaction(() => {
    const current = db.prepare('SELECT title, body FROM notes WHERE id = ? AND deleted_at IS NULL').get(id) as NoteInput | undefined;
    if (!current) throw notFound('Note', id);
    if (current.title === input.title && current.body === input.body) return;
    const now = nowIso();
    db.prepare('UPDATE notes SET title = ?, body = ?, updated_at = ? WHERE id = ?').run(input.title, input.body, now, id);
    addRevision(db, id, input, now);
  })();
}

/**
 * In the order the team store received them (the same numbering on every laptop of the team), this
 * laptop's revisions not pushed yet last; the last one is the note's current text. A revision written on
 * the same parent as another one lists that one's number in `concurrentWith`.
 */
export function listRevisions(db: Db, noteId: number): NoteRevision[] {
  getNote(db, noteId);
  const rows = db
    .prepare(`SELECT id, note_id AS noteId, title, body, created_at AS createdAt, uid, parent_uid AS parentUid, coalesce(author_name, author) AS author, deleted
                FROM note_revisions WHERE note_id = ? ORDER BY ${REVISION_ORDER}`)
    .all(noteId) as (Omit<NoteRevision, 'number' | 'author' | 'deleted' | 'concurrentWith'> & { uid: string; parentUid: string | null; author: string | null; deleted: number })[];
  const numbered = rows.map((r, i) => ({ ...r, number: i + 1 }));
  return numbered.map(({ uid, parentUid, author, deleted, ...r }) => {
    const concurrentWith = parentUid === null ? [] : numbered.filter((o) => o.uid !== uid && o.parentUid === parentUid).map((o) => o.number);
    return { ...r, ...(author ? { author } : {}), ...(deleted ? { deleted: true } : {}), ...(concurrentWith.length > 0 ? { concurrentWith } : {}) };
  }).reverse();
}

/** The order of a note's revisions: as the team store received them, then this laptop's not pushed yet. */
export const REVISION_ORDER = 'store_id IS NULL, store_id, id';

export function restoreRevision(db: Db, noteId: number, revisionId: number): void {
  const revision = db.prepare('SELECT title, body FROM note_revisions WHERE id = ? AND note_id = ?').get(revisionId, noteId) as NoteInput | undefined;
  if (!revision) throw new ApiError('NOT_FOUND', `Revision #${revisionId} does not belong to note #${noteId}.`);
  updateNote(db, noteId, revision);
}
