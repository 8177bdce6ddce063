import type { Migration } from './types';

/**
 * Notes that sync through the team store (issue 11): ids that mean the same on every laptop (a random
 * uid per note and per revision; local integer ids differ between laptops), the revision each one was
 * written on top of (parent_uid: two revisions with the same parent were written at the same time), who
 * wrote it (the team-store login and name, known once it went through the store), a deletion kept as a
 * revision, and where the store put it (store_id, the order the store received it; NULL = not pushed yet).
 * notes.revision_uid is the revision the note shows now, the parent of the next edit.
 * team_note_skips: revisions pulled for a site this laptop does not have, fetched again once it has it.
 */
export const migration0013: Migration = {
  version: 13,
  name: 'note-sync',
  up: `
    ALTER TABLE notes ADD COLUMN uid TEXT;
    ALTER TABLE notes ADD COLUMN revision_uid TEXT;
    UPDATE notes SET uid = lower(hex(randomblob(16)));
    CREATE UNIQUE INDEX notes_byUid ON notes (uid);

    ALTER TABLE note_revisions ADD COLUMN uid TEXT;
    ALTER TABLE note_revisions ADD COLUMN parent_uid TEXT;
    ALTER TABLE note_revisions ADD COLUMN author TEXT;
    ALTER TABLE note_revisions ADD COLUMN author_name TEXT;
    ALTER TABLE note_revisions ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1));
    ALTER TABLE note_revisions ADD COLUMN store_id INTEGER;
    ALTER TABLE note_revisions ADD COLUMN received_at TEXT;
    UPDATE note_revisions SET uid = lower(hex(randomblob(16)));
    UPDATE note_revisions SET parent_uid = (
      SELECT p.uid FROM note_revisions p WHERE p.note_id = note_revisions.note_id AND p.id < note_revisions.id ORDER BY p.id DESC LIMIT 1
    );
    UPDATE notes SET revision_uid = (SELECT r.uid FROM note_revisions r WHERE r.note_id = notes.id ORDER BY r.id DESC LIMIT 1);
    CREATE UNIQUE INDEX note_revisions_byUid ON note_revisions (uid);
    CREATE INDEX note_revisions_unpushed ON note_revisions (id) WHERE store_id IS NULL;

    CREATE TABLE team_note_skips (
      store_id INTEGER PRIMARY KEY,
      customer TEXT NOT NULL,
      site TEXT NOT NULL
    ) STRICT;
  `,
};
