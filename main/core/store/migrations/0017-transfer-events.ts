import type { Migration } from './types';

/** Every kind of record the chain holds; see session-log/types.ts EVENT_KINDS, which must match. */
const EVENT_KIND_LIST = [
  'attempt', 'started', 'ended', 'interrupted', 'summary',
  'policy-change', 'identity', 'roster', 'approval', 'review', 'viewing', 'bundle',
  'transfer',
].map((kind) => `'${kind}'`).join(', ');

/**
 * File transfers (issue 12): a file moved (or refused) over an SSH session's SFTP channel is an event
 * of that session, kind 'transfer'. session_events' CHECK lists the kinds, so the table is rebuilt as
 * 0007 did — rows copied byte for byte, so every stored hash still holds — with its indexes, its
 * append-only triggers and the open_sessions triggers put back.
 */
export const migration0017: Migration = {
  version: 17,
  name: 'transfer-events',
  up: `
    DROP TRIGGER session_events_noUpdate;
    DROP TRIGGER session_events_noDelete;
    DROP TRIGGER open_sessions_started;
    DROP TRIGGER open_sessions_closed;
    CREATE TABLE session_events_v17 (
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
    INSERT INTO session_events_v17 SELECT * FROM session_events ORDER BY seq;
    DROP TABLE session_events;
    ALTER TABLE session_events_v17 RENAME TO session_events;
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
    CREATE TRIGGER open_sessions_started AFTER INSERT ON session_events WHEN NEW.kind = 'started' BEGIN
      INSERT INTO open_sessions (session_id, engineer, started_detail) VALUES (NEW.session_id, NEW.engineer, NEW.detail)
        ON CONFLICT DO NOTHING;
    END;
    CREATE TRIGGER open_sessions_closed AFTER INSERT ON session_events WHEN NEW.kind IN ('ended', 'interrupted') BEGIN
      DELETE FROM open_sessions WHERE session_id = NEW.session_id;
    END;
  `,
};
