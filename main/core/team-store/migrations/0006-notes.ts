import { ENGINEER_ROLE, INSERT_ONLY, LEAD_ROLE, type TeamMigration } from '../migration-types';

/**
 * Site notes, every revision from every laptop (issue 11): insert-only, so an edit made offline on two
 * laptops at once keeps both — each revision names the one it was written on (parent_uid), and two with
 * the same parent were concurrent. A note is its uid plus the customer/site (and host) names it belongs to,
 * the same on every laptop (each revision says them as its laptop did: a site renamed on one laptop
 * does not block its edits); deleting it is a revision marked deleted. The store says who wrote a revision
 * (its login, checked against current_user) and when it received it (its own clock); a note's current text
 * is the revision it received last (switchboard.notes).
 *
 * Inserts of note revisions take a transaction-scoped advisory lock and draw their id under it, so ids
 * become visible in the order they were given: a laptop pulling by "id > cursor" can never pass over a
 * revision whose transaction was still open when it read. Notes are small and rare; the wait is nothing.
 */
export const migration0006: TeamMigration = {
  version: 6,
  name: 'notes',
  up: `
CREATE TABLE switchboard.note_revisions (
  id bigserial PRIMARY KEY,
  uid text NOT NULL UNIQUE CHECK (uid ~ '^[0-9a-f]{32}$'),
  note_uid text NOT NULL CHECK (note_uid ~ '^[0-9a-f]{32}$'),
  parent_uid text REFERENCES switchboard.note_revisions (uid),
  customer text NOT NULL,
  site text NOT NULL,
  host text,
  title text NOT NULL,
  body text NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
  author text NOT NULL DEFAULT current_user,
  written_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX note_revisions_by_note ON switchboard.note_revisions (note_uid, id);
-- A note begins once.
CREATE UNIQUE INDEX note_revisions_one_first ON switchboard.note_revisions (note_uid) WHERE parent_uid IS NULL;

CREATE FUNCTION switchboard.check_note_revision() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  parent switchboard.note_revisions;
BEGIN
  IF NEW.author IS DISTINCT FROM current_user THEN
    RAISE EXCEPTION 'a note revision by % cannot be inserted by %: everyone writes notes only in their own name', NEW.author, current_user
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.parent_uid IS NOT NULL THEN
    SELECT * INTO parent FROM switchboard.note_revisions WHERE uid = NEW.parent_uid;
    IF parent.uid IS NULL THEN
      RAISE EXCEPTION 'note revision % is written on revision %, which is not in the team store; push that one first', NEW.uid, NEW.parent_uid
        USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF parent.note_uid <> NEW.note_uid THEN
      RAISE EXCEPTION 'note revision % is not of the same note as the revision it is written on', NEW.uid
        USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  PERFORM pg_advisory_xact_lock(1852797812); -- 'note' in ASCII: one writer of note revisions at a time
  NEW.id := nextval(pg_get_serial_sequence('switchboard.note_revisions', 'id'));
  NEW.received_at := clock_timestamp();
  RETURN NEW;
END $$;
CREATE TRIGGER note_revisions_check BEFORE INSERT ON switchboard.note_revisions FOR EACH ROW EXECUTE FUNCTION switchboard.check_note_revision();
${INSERT_ONLY('note_revisions')}

-- Each note as it reads now: the revision the store received last (a deleted note reads deleted).
CREATE VIEW switchboard.notes WITH (security_invoker = true) AS
  SELECT DISTINCT ON (note_uid) note_uid, customer, site, host, title, body, deleted, author, received_at, uid AS revision_uid
  FROM switchboard.note_revisions ORDER BY note_uid, id DESC;

ALTER TABLE switchboard.note_revisions ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON switchboard.note_revisions FOR SELECT USING (true);
CREATE POLICY insert_own ON switchboard.note_revisions FOR INSERT WITH CHECK (author = current_user);
GRANT SELECT, INSERT ON switchboard.note_revisions TO ${ENGINEER_ROLE}, ${LEAD_ROLE};
GRANT SELECT ON switchboard.notes TO ${ENGINEER_ROLE}, ${LEAD_ROLE};
GRANT USAGE ON SEQUENCE switchboard.note_revisions_id_seq TO ${ENGINEER_ROLE}, ${LEAD_ROLE};
`,
};
