import type { Migration } from './types';

/**
 * A lead's side of accountability (issue 9 §5): what engineers' bundles brought in, and the review.
 * - imported_logs: per engineer key, the head the lead accepted (size, root, the signed checkpoint and the
 *   lead's cosigned copy) and the compact-range frontier at that size, so the next bundle is checked for
 *   consistency without holding the engineer's whole log;
 * - imported_events: the engineer's records exactly as they were hashed, insert-only;
 * - imported_recordings: recordings that came with bundles, content-addressed by SHA-256;
 * - review_sessions: one row per imported session, the review queue, with an index per filter so a
 *   page of 50 stays under a millisecond at a million sessions; `state` is the latest decision;
 *   `customer` and `site` hold the two names apart (records write "Customer/site"), so a site is found
 *   by its name alone or with its customer;
 * - review_decisions: every decision, insert-only (each is also a 'review' record in the lead's own chain).
 */
export const migration0010: Migration = {
  version: 10,
  name: 'review',
  up: `
    CREATE TABLE imported_logs (
      engineer_key TEXT PRIMARY KEY,
      engineer TEXT NOT NULL,
      engineer_name TEXT NOT NULL,
      origin TEXT NOT NULL UNIQUE,
      first_seq INTEGER NOT NULL CHECK (first_seq >= 1),
      size INTEGER NOT NULL CHECK (size >= 0),
      root_hash TEXT NOT NULL,
      frontier TEXT NOT NULL CHECK (json_type(frontier) = 'array'),
      checkpoint_note TEXT NOT NULL,
      cosigned_note TEXT,
      accepted_at TEXT NOT NULL,
      bundles INTEGER NOT NULL DEFAULT 1
    ) STRICT;

    CREATE TABLE imported_events (
      engineer_key TEXT NOT NULL,
      seq INTEGER NOT NULL,
      session_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      at TEXT NOT NULL,
      engineer TEXT NOT NULL,
      ticket TEXT,
      ticket_id INTEGER,
      site TEXT,
      site_id INTEGER,
      host TEXT,
      method TEXT,
      target TEXT,
      address TEXT,
      decision TEXT,
      reasons TEXT,
      outcome TEXT,
      bytes_in INTEGER,
      bytes_out INTEGER,
      detail TEXT,
      summary TEXT,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL,
      PRIMARY KEY (engineer_key, seq)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX imported_events_bySession ON imported_events (engineer_key, session_id, seq);
    CREATE TRIGGER imported_events_noUpdate BEFORE UPDATE ON imported_events BEGIN
      SELECT RAISE(ABORT, 'imported records are kept as they were signed');
    END;
    CREATE TRIGGER imported_events_noDelete BEFORE DELETE ON imported_events BEGIN
      SELECT RAISE(ABORT, 'imported records are kept as they were signed');
    END;

    CREATE TABLE imported_recordings (
      sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
      bytes INTEGER NOT NULL CHECK (bytes >= 0),
      file TEXT NOT NULL,
      imported_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE review_sessions (
      id INTEGER PRIMARY KEY,
      engineer_key TEXT NOT NULL,
      engineer TEXT NOT NULL,
      session_id TEXT NOT NULL,
      started_at TEXT NOT NULL,
      ended_at TEXT,
      ticket TEXT,
      customer TEXT,
      site TEXT,
      host TEXT,
      method TEXT,
      decision TEXT,
      outcome TEXT,
      exception INTEGER NOT NULL DEFAULT 0 CHECK (exception IN (0, 1)),
      recording_sha256 TEXT,
      state TEXT NOT NULL DEFAULT 'unreviewed' CHECK (state IN ('unreviewed', 'reviewed', 'flagged', 'signed-off')),
      state_comment TEXT,
      state_at TEXT,
      UNIQUE (engineer_key, session_id)
    ) STRICT;
    CREATE INDEX review_sessions_byStarted ON review_sessions (started_at DESC, id DESC);
    CREATE INDEX review_sessions_byEngineer ON review_sessions (engineer, started_at DESC, id DESC);
    CREATE INDEX review_sessions_byCustomer ON review_sessions (customer COLLATE NOCASE, started_at DESC, id DESC);
    CREATE INDEX review_sessions_bySite ON review_sessions (customer COLLATE NOCASE, site COLLATE NOCASE, started_at DESC, id DESC);
    CREATE INDEX review_sessions_bySiteName ON review_sessions (site COLLATE NOCASE, started_at DESC, id DESC);
    CREATE INDEX review_sessions_bySessionId ON review_sessions (session_id);
    CREATE INDEX review_sessions_byTicket ON review_sessions (ticket COLLATE NOCASE, started_at DESC, id DESC);
    CREATE INDEX review_sessions_byMethod ON review_sessions (method, started_at DESC, id DESC);
    CREATE INDEX review_sessions_byOutcome ON review_sessions (outcome, started_at DESC, id DESC);
    CREATE INDEX review_sessions_byState ON review_sessions (state, started_at DESC, id DESC);

    CREATE TABLE review_decisions (
      id INTEGER PRIMARY KEY,
      review_session_id INTEGER NOT NULL REFERENCES review_sessions (id),
      state TEXT NOT NULL CHECK (state IN ('unreviewed', 'reviewed', 'flagged', 'signed-off')),
      comment TEXT,
      decided_by TEXT NOT NULL,
      decided_at TEXT NOT NULL,
      log_seq INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX review_decisions_bySession ON review_decisions (review_session_id, id);
    CREATE TRIGGER review_decisions_noUpdate BEFORE UPDATE ON review_decisions BEGIN
      SELECT RAISE(ABORT, 'review decisions are a history; add a new one instead');
    END;
    CREATE TRIGGER review_decisions_noDelete BEFORE DELETE ON review_decisions BEGIN
      SELECT RAISE(ABORT, 'review decisions are a history; add a new one instead');
    END;
  `,
};
