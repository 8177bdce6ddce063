import type { Migration } from './types';

/**
 * A lead's bundle import is written in short slices, off the core's request path, yet appears all at
 * once (issue 13 §4, docs/performance.md "Bundle import"). Its rows go into the stored tables as soon as
 * they are written, marked with the import's id while it is pending; the names every reader uses are now
 * views that leave out the rows of a pending import, so one tiny transaction publishes 100k records by
 * deleting the import's row from bundle_imports_pending.
 * - imported_events_all / review_sessions_all: the stored tables (renamed; writers name them), with
 *   import_id: the import that brought the row (NULL for rows from before this migration and team-store pulls);
 * - imported_events / review_sessions: the views readers use — only published rows, the same columns as before;
 * - bundle_imports_pending: imports being written; `pid` is the process writing it, so one left by a
 *   crashed process is told from one still running (bundle-staging.ts removes the leftovers' rows);
 * - imported records stay insert-only once published: only a pending import's rows may be deleted.
 */
export const migration0021: Migration = {
  version: 21,
  name: 'staged-bundle-imports',
  up: `
    CREATE TABLE bundle_imports_pending (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      engineer_key TEXT NOT NULL,
      pid INTEGER NOT NULL,
      started_at TEXT NOT NULL
    ) STRICT;

    ALTER TABLE imported_events ADD COLUMN import_id INTEGER;
    ALTER TABLE review_sessions ADD COLUMN import_id INTEGER;
    ALTER TABLE imported_events RENAME TO imported_events_all;
    ALTER TABLE review_sessions RENAME TO review_sessions_all;
    CREATE INDEX imported_events_byImport ON imported_events_all (import_id, engineer_key, seq) WHERE import_id IS NOT NULL;
    CREATE INDEX review_sessions_byImport ON review_sessions_all (import_id) WHERE import_id IS NOT NULL;

    DROP TRIGGER imported_events_noDelete;
    CREATE TRIGGER imported_events_noDelete BEFORE DELETE ON imported_events_all
      WHEN old.import_id IS NULL OR old.import_id NOT IN (SELECT id FROM bundle_imports_pending) BEGIN
      SELECT RAISE(ABORT, 'imported records are kept as they were signed');
    END;

    CREATE VIEW imported_events AS
      SELECT engineer_key, seq, session_id, kind, at, engineer, ticket, ticket_id, site, site_id, host, method, target, address,
             decision, reasons, outcome, bytes_in, bytes_out, detail, summary, prev_hash, hash
      FROM imported_events_all WHERE import_id IS NULL OR import_id NOT IN (SELECT id FROM bundle_imports_pending);
    CREATE VIEW review_sessions AS
      SELECT id, engineer_key, engineer, session_id, started_at, ended_at, ticket, customer, site, host, method, decision, outcome,
             exception, recording_sha256, state, state_comment, state_at
      FROM review_sessions_all WHERE import_id IS NULL OR import_id NOT IN (SELECT id FROM bundle_imports_pending);
  `,
};
