import type { Migration } from './types';

/**
 * The append-only, hash-chained session log (PRODUCT.md core rule 1). One row per event of a
 * session; a session is the events sharing a session_id. `seq` is the chain position (1, 2, 3… with
 * no gaps) and every hash covers the row's columns plus the previous row's hash
 * (main/core/session-log/hash-chain.ts). ticket_id and site_id carry no foreign keys on purpose: a
 * cascade would try to delete log rows, and a purged site must not take its history with it.
 * The triggers make the file itself refuse edits; the hash chain detects whoever drops them.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'session-log',
  up: `
    CREATE TABLE session_events (
      seq INTEGER PRIMARY KEY,
      session_id TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('attempt', 'started', 'ended', 'interrupted', 'summary')),
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
      decision TEXT CHECK (decision IN ('allow', 'deny')),
      reasons TEXT,
      outcome TEXT,
      bytes_in INTEGER CHECK (bytes_in >= 0),
      bytes_out INTEGER CHECK (bytes_out >= 0),
      detail TEXT CHECK (detail IS NULL OR json_type(detail) = 'object'),
      summary TEXT,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL
    ) STRICT;
    CREATE INDEX session_events_bySession ON session_events (session_id, seq);
    CREATE INDEX session_events_byTicket ON session_events (ticket COLLATE NOCASE, at) WHERE ticket IS NOT NULL;
    CREATE INDEX session_events_byAt ON session_events (at);

    CREATE TRIGGER session_events_noUpdate BEFORE UPDATE ON session_events BEGIN
      SELECT RAISE(ABORT, 'the session log is append-only');
    END;
    CREATE TRIGGER session_events_noDelete BEFORE DELETE ON session_events BEGIN
      SELECT RAISE(ABORT, 'the session log is append-only');
    END;
  `,
};
