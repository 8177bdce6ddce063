import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../main/core/store/database';
import { migrate } from '../../main/core/store/migrate';
import { MIGRATIONS } from '../../main/core/store/migrations';
import { useTempDirs } from '../helpers/temp-dir';

/** Migration 13 gives the notes a data dir already has what the team store's sync needs. */
const tempDir = useTempDirs('switchboard-note-sync-');
const open: Database.Database[] = [];
afterEach(() => { for (const db of open.splice(0)) db.close(); });

describe('migration 13 (note sync) on existing notes', () => {
  it('gives every note and revision its own uid, chains each revision to the one before it, and marks none as pushed', () => {
    const db = new Database(path.join(tempDir(), DATABASE_FILE));
    open.push(db);
    migrate(db, MIGRATIONS, 12);
    db.pragma('foreign_keys = OFF');
    const at = '2026-11-01T00:00:00.000Z';
    for (const [id, title] of [[1, 'first'], [2, 'second']] as const) {
      db.prepare('INSERT INTO notes (id, site_id, title, body, created_at, updated_at) VALUES (?, 1, ?, ?, ?, ?)').run(id, title, 'v3', at, at);
      for (const body of ['v1', 'v2', 'v3']) db.prepare('INSERT INTO note_revisions (note_id, title, body, created_at) VALUES (?, ?, ?, ?)').run(id, title, body, at);
    }
    migrate(db, MIGRATIONS);

    const notes = db.prepare('SELECT id, uid, revision_uid AS revisionUid FROM notes ORDER BY id').all() as { id: number; uid: string; revisionUid: string }[];
    const revisions = db.prepare('SELECT note_id AS noteId, uid, parent_uid AS parentUid, body, store_id AS storeId, deleted FROM note_revisions ORDER BY id').all() as
      { noteId: number; uid: string; parentUid: string | null; body: string; storeId: number | null; deleted: number }[];
    const uids = [...notes.map((n) => n.uid), ...revisions.map((r) => r.uid)];
    expect(uids.every((u) => /^[0-9a-f]{32}$/.test(u))).toBe(true);
    expect(new Set(uids).size).toBe(uids.length);
    for (const note of notes) {
      const own = revisions.filter((r) => r.noteId === note.id);
      expect(own.map((r) => r.parentUid)).toEqual([null, own[0]!.uid, own[1]!.uid]);
      expect(note.revisionUid).toBe(own[2]!.uid);
    }
    expect(revisions.every((r) => r.storeId === null && r.deleted === 0)).toBe(true);
  });
});
