import type { Migration } from './types';

/** Every kind of record the chain holds; see session-log/types.ts EVENT_KINDS, which must match. */
const EVENT_KIND_LIST = [
  'attempt', 'started', 'ended', 'interrupted', 'summary',
  'policy-change', 'identity', 'roster', 'approval', 'review', 'viewing', 'bundle',
].map((kind) => `'${kind}'`).join(', ');

/**
 * Accountability (issue 9): the chain gains records that are not sessions (policy changes, identity and
 * roster events, signed approvals, a lead's reviews and viewings), so session_events is rebuilt with the
 * wider kind list — rows are copied byte for byte, so every stored hash still holds.
 *
 * Beside it, tables that are not evidence themselves:
 * - store_meta: this data dir's own id (keychain entries are named with it, so two data dirs sharing one
 *   keychain never read each other's secrets) and the log id that checkpoints name;
 * - identity: who this data dir signs as (the private key is in the keychain only);
 * - rosters: every signed team roster imported, in order; the first one's signer is the trusted lead;
 * - checkpoints and their cosignatures: signed notes over the log's Merkle root, insert-only;
 * - merkle_nodes: a cache of the log's complete Merkle subtrees, for roots and proofs without a full scan
 *   (verify never trusts it: it recomputes every hash from the records);
 * - open_sessions: sessions started and not yet ended, kept by triggers, so recovering interrupted sessions
 *   at start-up reads a handful of rows instead of scanning the log.
 */
export const migration0007: Migration = {
  version: 7,
  name: 'accountability',
  up: `
    DROP TRIGGER session_events_noUpdate;
    DROP TRIGGER session_events_noDelete;
    CREATE TABLE session_events_v7 (
      seq INTEGER PRIMARY KEY,
      session_id TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN (${EVENT_KIND_LIST})),
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
    INSERT INTO session_events_v7 SELECT * FROM session_events ORDER BY seq;
    DROP TABLE session_events;
    ALTER TABLE session_events_v7 RENAME TO session_events;
    CREATE INDEX session_events_bySession ON session_events (session_id, seq);
    CREATE INDEX session_events_byTicket ON session_events (ticket COLLATE NOCASE, at) WHERE ticket IS NOT NULL;
    CREATE INDEX session_events_byAt ON session_events (at);
    CREATE INDEX session_events_byKind ON session_events (kind, at) WHERE kind <> 'attempt';
    CREATE TRIGGER session_events_noUpdate BEFORE UPDATE ON session_events BEGIN
      SELECT RAISE(ABORT, 'the session log is append-only');
    END;
    CREATE TRIGGER session_events_noDelete BEFORE DELETE ON session_events BEGIN
      SELECT RAISE(ABORT, 'the session log is append-only');
    END;

    CREATE TABLE open_sessions (
      session_id TEXT PRIMARY KEY,
      engineer TEXT NOT NULL,
      started_detail TEXT
    ) STRICT, WITHOUT ROWID;
    INSERT INTO open_sessions (session_id, engineer, started_detail)
      SELECT s.session_id, s.engineer, s.detail FROM session_events s
       WHERE s.kind = 'started'
         AND EXISTS (SELECT 1 FROM session_events a WHERE a.session_id = s.session_id AND a.kind = 'attempt')
         AND NOT EXISTS (SELECT 1 FROM session_events e WHERE e.session_id = s.session_id AND e.kind IN ('ended', 'interrupted'))
      ON CONFLICT DO NOTHING;
    CREATE TRIGGER open_sessions_started AFTER INSERT ON session_events WHEN NEW.kind = 'started' BEGIN
      INSERT INTO open_sessions (session_id, engineer, started_detail) VALUES (NEW.session_id, NEW.engineer, NEW.detail)
        ON CONFLICT DO NOTHING;
    END;
    CREATE TRIGGER open_sessions_closed AFTER INSERT ON session_events WHEN NEW.kind IN ('ended', 'interrupted') BEGIN
      DELETE FROM open_sessions WHERE session_id = NEW.session_id;
    END;

    CREATE TABLE store_meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;
    INSERT INTO store_meta (key, value) VALUES ('store_id', lower(hex(randomblob(16)))), ('log_id', lower(hex(randomblob(16))));

    CREATE TABLE identity (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      name TEXT NOT NULL,
      email TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('engineer', 'lead')),
      public_key TEXT NOT NULL CHECK (public_key GLOB 'ed25519:*'),
      created_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE rosters (
      id INTEGER PRIMARY KEY,
      team TEXT NOT NULL,
      signed_text TEXT NOT NULL,
      signed_by TEXT NOT NULL,
      imported_at TEXT NOT NULL,
      imported_by TEXT NOT NULL
    ) STRICT;
    CREATE TRIGGER rosters_noUpdate BEFORE UPDATE ON rosters BEGIN
      SELECT RAISE(ABORT, 'rosters are a history; import a new one instead');
    END;

    CREATE TABLE checkpoints (
      id INTEGER PRIMARY KEY,
      size INTEGER NOT NULL CHECK (size >= 0),
      root_hash TEXT NOT NULL,
      signed_at TEXT NOT NULL,
      reason TEXT NOT NULL,
      note TEXT NOT NULL
    ) STRICT;
    CREATE INDEX checkpoints_bySize ON checkpoints (size, id);
    CREATE TRIGGER checkpoints_noUpdate BEFORE UPDATE ON checkpoints BEGIN
      SELECT RAISE(ABORT, 'checkpoints are append-only');
    END;
    CREATE TRIGGER checkpoints_noDelete BEFORE DELETE ON checkpoints BEGIN
      SELECT RAISE(ABORT, 'checkpoints are append-only');
    END;

    CREATE TABLE checkpoint_cosignatures (
      checkpoint_id INTEGER NOT NULL REFERENCES checkpoints (id),
      witness TEXT NOT NULL,
      key_fingerprint TEXT NOT NULL,
      cosigned_note TEXT NOT NULL,
      cosigned_at TEXT NOT NULL,
      imported_at TEXT NOT NULL,
      PRIMARY KEY (checkpoint_id, key_fingerprint)
    ) STRICT;
    CREATE TRIGGER checkpoint_cosignatures_noUpdate BEFORE UPDATE ON checkpoint_cosignatures BEGIN
      SELECT RAISE(ABORT, 'cosignatures are append-only');
    END;

    CREATE TABLE merkle_nodes (
      level INTEGER NOT NULL,
      idx INTEGER NOT NULL,
      hash BLOB NOT NULL,
      PRIMARY KEY (level, idx)
    ) STRICT, WITHOUT ROWID;
  `,
};
