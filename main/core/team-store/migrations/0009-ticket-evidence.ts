import { ENGINEER_ROLE, INSERT_ONLY, LEAD_ROLE, type TeamMigration } from '../migration-types';

/**
 * Tickets' evidence through the team store (issue 12: "or, for a team, in the team store"):
 * - ticket_evidence: that a file (by SHA-256) is on a ticket, under the name it was fetched as, who
 *   fetched it from where and when — one row per ticket and file, inserted by the member who pushes it;
 * - evidence_files / evidence_chunks: the bytes, content-addressed in 1 MiB rows like recordings. A file
 *   row may be inserted only by a member who has (in the same transaction, or before) put that hash on a
 *   ticket, and a chunk only by the file row's member, within its chunk count. A laptop pushes a file's
 *   row, chunks and its ticket row in ONE transaction, so a visible file has all its chunks; every laptop
 *   that pulls checks the bytes against the hash again.
 * Everyone in the team reads all three (the ticket list is the team's); nothing is ever updated or deleted.
 */
export const migration0009: TeamMigration = {
  version: 9,
  name: 'ticket-evidence',
  up: `
CREATE TABLE switchboard.ticket_evidence (
  id bigserial PRIMARY KEY,
  ticket text NOT NULL REFERENCES switchboard.tickets (ref_key),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  name text NOT NULL CHECK (name <> '' AND position('/' in name) = 0),
  size bigint NOT NULL CHECK (size >= 0),
  fetched_by text NOT NULL,
  site text,
  host text,
  remote_path text,
  session_id text,
  added_at text NOT NULL,
  login text NOT NULL DEFAULT current_user,
  received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  UNIQUE (ticket, sha256)
);
CREATE TABLE switchboard.evidence_files (
  sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  bytes bigint NOT NULL CHECK (bytes >= 0),
  chunks integer NOT NULL CHECK (chunks >= 0),
  login text NOT NULL DEFAULT current_user,
  received_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TABLE switchboard.evidence_chunks (
  sha256 text NOT NULL REFERENCES switchboard.evidence_files (sha256),
  chunk integer NOT NULL CHECK (chunk >= 0),
  data bytea NOT NULL,
  PRIMARY KEY (sha256, chunk)
);
${INSERT_ONLY('ticket_evidence')}
${INSERT_ONLY('evidence_files')}
${INSERT_ONLY('evidence_chunks')}

CREATE FUNCTION switchboard.check_evidence_row() RETURNS trigger LANGUAGE plpgsql SECURITY INVOKER AS $$
BEGIN
  IF TG_TABLE_NAME = 'ticket_evidence' THEN
    IF NEW.login IS DISTINCT FROM current_user THEN
      RAISE EXCEPTION 'evidence pushed by % cannot be inserted by %', NEW.login, current_user USING ERRCODE = 'insufficient_privilege';
    END IF;
    NEW.received_at := clock_timestamp();
  ELSIF TG_TABLE_NAME = 'evidence_files' THEN
    IF NEW.login IS DISTINCT FROM current_user
      OR NOT EXISTS (SELECT 1 FROM switchboard.ticket_evidence WHERE sha256 = NEW.sha256 AND login = current_user) THEN
      RAISE EXCEPTION 'evidence file % is not on a ticket of %; push its ticket row first', NEW.sha256, current_user USING ERRCODE = 'insufficient_privilege';
    END IF;
    NEW.received_at := clock_timestamp();
  ELSE
    IF NOT EXISTS (SELECT 1 FROM switchboard.evidence_files WHERE sha256 = NEW.sha256 AND login = current_user AND NEW.chunk < chunks) THEN
      RAISE EXCEPTION 'chunk % of evidence file % is not one of %''s chunks', NEW.chunk, NEW.sha256, current_user USING ERRCODE = 'insufficient_privilege';
    END IF;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER ticket_evidence_check BEFORE INSERT ON switchboard.ticket_evidence FOR EACH ROW EXECUTE FUNCTION switchboard.check_evidence_row();
CREATE TRIGGER evidence_files_check BEFORE INSERT ON switchboard.evidence_files FOR EACH ROW EXECUTE FUNCTION switchboard.check_evidence_row();
CREATE TRIGGER evidence_chunks_check BEFORE INSERT ON switchboard.evidence_chunks FOR EACH ROW EXECUTE FUNCTION switchboard.check_evidence_row();

ALTER TABLE switchboard.ticket_evidence ENABLE ROW LEVEL SECURITY;
ALTER TABLE switchboard.evidence_files ENABLE ROW LEVEL SECURITY;
ALTER TABLE switchboard.evidence_chunks ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON switchboard.ticket_evidence FOR SELECT USING (true);
CREATE POLICY insert_own ON switchboard.ticket_evidence FOR INSERT WITH CHECK (login = current_user);
CREATE POLICY read_all ON switchboard.evidence_files FOR SELECT USING (true);
CREATE POLICY insert_own ON switchboard.evidence_files FOR INSERT WITH CHECK (login = current_user);
CREATE POLICY read_all ON switchboard.evidence_chunks FOR SELECT USING (true);
CREATE POLICY insert_checked ON switchboard.evidence_chunks FOR INSERT WITH CHECK (true);

GRANT SELECT, INSERT ON switchboard.ticket_evidence, switchboard.evidence_files, switchboard.evidence_chunks TO ${ENGINEER_ROLE}, ${LEAD_ROLE};
GRANT USAGE ON SEQUENCE switchboard.ticket_evidence_id_seq TO ${ENGINEER_ROLE}, ${LEAD_ROLE};
`,
};
