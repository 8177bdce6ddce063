import type { Migration } from './types';

/**
 * Evidence on tickets (issue 12): each row says that the file with this SHA-256 (kept once, under its
 * hash, in the data dir's evidence folder) belongs to this ticket, under the name it was fetched as, who
 * fetched it from where (site, host, remote path, the SSH session that carried it) and when. A file is on
 * a ticket once, whatever its name the second time.
 */
export const migration0018: Migration = {
  version: 18,
  name: 'ticket-evidence',
  up: `
    CREATE TABLE ticket_evidence (
      id INTEGER PRIMARY KEY,
      ticket_id INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
      sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
      name TEXT NOT NULL,
      size INTEGER NOT NULL CHECK (size >= 0),
      fetched_by TEXT NOT NULL,
      site TEXT,
      host TEXT,
      remote_path TEXT,
      session_id TEXT,
      added_at TEXT NOT NULL,
      UNIQUE (ticket_id, sha256)
    ) STRICT;
    CREATE INDEX ticket_evidence_bySha256 ON ticket_evidence (sha256);
  `,
};
