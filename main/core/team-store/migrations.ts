/**
 * The team store's schema in PostgreSQL (14 or newer), as numbered migrations like the SQLite ones:
 * forward-only, in order, each in one transaction, recorded in switchboard.schema_migrations. Never
 * edit one that has shipped; add the next.
 *
 * The database enforces the rules itself, whatever client connects:
 * - every person logs in as their own role, a member of `switchboard_engineer` or `switchboard_lead`;
 * - the session log, checkpoints and recordings are insert-only for everyone: nothing grants UPDATE,
 *   DELETE or TRUNCATE, and triggers refuse them anyway (even for the table's owner);
 * - row-level security lets a person insert only records of their own chain (`login = current_user`),
 *   and a trigger checks that each record is the next of that chain: its seq follows, its prev_hash is
 *   the hash of the chain's previous record, and its hash is the SHA-256 of its canonical form — computed
 *   here, in SQL, exactly as main/core/session-log/hash-chain.ts computes it;
 * - what only leads may do (sign an exception, decide a review, witness a checkpoint, publish a roster)
 *   is refused for anyone else by the database.
 */
import { ENGINEER_ROLE, INSERT_ONLY, LEAD_ROLE, type TeamMigration } from './migration-types';
import { migration0005 } from './migrations/0005-profiles';
import { migration0006 } from './migrations/0006-notes';
import { migration0007 } from './migrations/0007-tickets';
import { migration0008 } from './migrations/0008-approvals';
import { migration0009 } from './migrations/0009-ticket-evidence';

export { ENGINEER_ROLE, LEAD_ROLE, type TeamMigration };

/** The canonical row, byte for byte as JSON.stringify writes EVENT_COLUMNS in order (hash-chain.ts). */
const CANONICAL_ROW = `
CREATE FUNCTION switchboard.canonical_row(r switchboard.log_records) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT '{"seq":' || r.seq
    || ',"session_id":' || to_json(r.session_id)::text
    || ',"kind":' || to_json(r.kind)::text
    || ',"at":' || to_json(r.at)::text
    || ',"engineer":' || to_json(r.engineer)::text
    || ',"ticket":' || coalesce(to_json(r.ticket)::text, 'null')
    || ',"ticket_id":' || coalesce(r.ticket_id::text, 'null')
    || ',"site":' || coalesce(to_json(r.site)::text, 'null')
    || ',"site_id":' || coalesce(r.site_id::text, 'null')
    || ',"host":' || coalesce(to_json(r.host)::text, 'null')
    || ',"method":' || coalesce(to_json(r.method)::text, 'null')
    || ',"target":' || coalesce(to_json(r.target)::text, 'null')
    || ',"address":' || coalesce(to_json(r.address)::text, 'null')
    || ',"decision":' || coalesce(to_json(r.decision)::text, 'null')
    || ',"reasons":' || coalesce(to_json(r.reasons)::text, 'null')
    || ',"outcome":' || coalesce(to_json(r.outcome)::text, 'null')
    || ',"bytes_in":' || coalesce(r.bytes_in::text, 'null')
    || ',"bytes_out":' || coalesce(r.bytes_out::text, 'null')
    || ',"detail":' || coalesce(to_json(r.detail)::text, 'null')
    || ',"summary":' || coalesce(to_json(r.summary)::text, 'null')
    || ',"prev_hash":' || to_json(r.prev_hash)::text
    || '}'
$$;`;

/**
 * Folds session-log records into switchboard.review_sessions (the leads' live queue), the way the app's
 * foldSession/toRecord fold a session: the attempt gives who, when, where and the decision; later records
 * give the latest non-null outcome, the end and the recording's hash. `source` is a relation of
 * log_records rows: the insert trigger's transition table (a batch), or switchboard.log_records itself to
 * build the queue in bulk (a restore, a bulk load with triggers off). Three statements: sessions whose
 * attempt is in the batch (inserted once, already complete when their end came in the same batch),
 * sessions begun in an earlier batch (updated), and the leads' review decisions (each 'review' record,
 * which only a lead's chain may hold, sets its session's state).
 */
export function foldReviewSessionsSql(source: string): string {
  const sessionRecords = `SELECT login, session_id, kind, seq, at, outcome, detail FROM ${source}
      WHERE kind IN ('attempt', 'started', 'ended', 'interrupted', 'summary')`;
  const folded = (records: string) => `SELECT login, session_id,
        (array_agg(outcome ORDER BY seq DESC) FILTER (WHERE outcome IS NOT NULL))[1] AS outcome,
        (array_agg(at ORDER BY seq DESC) FILTER (WHERE kind IN ('ended', 'interrupted')))[1] AS ended_at,
        (array_agg(detail::jsonb ->> 'recordingSha256' ORDER BY seq DESC) FILTER (WHERE detail LIKE '%"recordingSha256"%'))[1] AS recording_sha256
      FROM (${records}) records GROUP BY login, session_id`;
  return `
WITH folded AS (${folded(sessionRecords)})
INSERT INTO switchboard.review_sessions (login, engineer, session_id, started_at, ended_at, ticket, customer, site, host, method, decision, outcome, exception, recording_sha256)
SELECT a.login, lower(a.engineer), a.session_id, a.at::timestamptz, f.ended_at::timestamptz, a.ticket,
  CASE WHEN coalesce(a.site, '') = '' THEN NULL ELSE split_part(a.site, '/', 1) END,
  CASE WHEN strpos(a.site, '/') > 0 THEN substr(a.site, strpos(a.site, '/') + 1) END,
  a.host, a.method, a.decision, f.outcome, coalesce(a.detail::jsonb ? 'approval', false), f.recording_sha256
FROM ${source} a JOIN folded f ON f.login = a.login AND f.session_id = a.session_id
WHERE a.kind = 'attempt'
ON CONFLICT (login, session_id) DO NOTHING;

WITH folded AS (${folded(`${sessionRecords} AND kind <> 'attempt'`)})
UPDATE switchboard.review_sessions r
SET outcome = coalesce(f.outcome, r.outcome), ended_at = coalesce(f.ended_at::timestamptz, r.ended_at),
  recording_sha256 = coalesce(f.recording_sha256, r.recording_sha256)
FROM folded f
WHERE r.login = f.login AND r.session_id = f.session_id
  AND NOT EXISTS (SELECT 1 FROM ${source} a WHERE a.login = f.login AND a.session_id = f.session_id AND a.kind = 'attempt');

UPDATE switchboard.review_sessions r
SET state = v.state, state_comment = v.comment, state_by = v.login, state_at = v.at::timestamptz
FROM (
  SELECT DISTINCT ON (lower(d ->> 'engineer'), d ->> 'session') login, at, lower(d ->> 'engineer') AS engineer, d ->> 'session' AS session_id,
    d ->> 'state' AS state, d ->> 'comment' AS comment
  FROM (SELECT id, login, at, detail::jsonb AS d FROM ${source} WHERE kind = 'review') reviews
  ORDER BY lower(d ->> 'engineer'), d ->> 'session', id DESC
) v
WHERE r.engineer = v.engineer AND r.session_id = v.session_id AND v.state IN ('unreviewed', 'reviewed', 'flagged', 'signed-off');
`;
}

export const TEAM_MIGRATIONS: readonly TeamMigration[] = [
  {
    version: 1,
    name: 'members-and-the-log',
    up: `
CREATE SCHEMA IF NOT EXISTS switchboard;
DO $roles$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${ENGINEER_ROLE}') THEN CREATE ROLE ${ENGINEER_ROLE} NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${LEAD_ROLE}') THEN CREATE ROLE ${LEAD_ROLE} NOLOGIN; END IF;
END $roles$;

CREATE FUNCTION switchboard.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'switchboard.%: rows are never changed or removed (% refused)', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;

-- Who is who: one login role per person, with the role the roster gives them.
CREATE TABLE switchboard.members (
  login text PRIMARY KEY,
  name text NOT NULL,
  email text NOT NULL UNIQUE,
  role text NOT NULL CHECK (role IN ('engineer', 'lead')),
  fingerprint text,
  added_by text NOT NULL DEFAULT current_user,
  added_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION switchboard.is_lead() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM switchboard.members WHERE login = current_user AND role = 'lead')
$$;

-- A lead adds a person: their login role (in the group of their role) and their row, in one step. It runs
-- with the rights of the role that ran 'team init' (allowed to create roles), so no lead ever needs that
-- role's URL; the password comes as a SCRAM verifier, never in clear.
CREATE FUNCTION switchboard.add_member(p_login text, p_name text, p_email text, p_role text, p_verifier text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM switchboard.members WHERE login = session_user AND role = 'lead') THEN
    RAISE EXCEPTION '% is not a lead of this team: only a lead adds members', session_user USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_role NOT IN ('engineer', 'lead') THEN RAISE EXCEPTION 'a member is an engineer or a lead, not %', p_role; END IF;
  IF p_verifier NOT LIKE 'SCRAM-SHA-256$%' THEN RAISE EXCEPTION 'the password must come as a SCRAM-SHA-256 verifier'; END IF;
  EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE %I', p_login, p_verifier, CASE p_role WHEN 'lead' THEN '${LEAD_ROLE}' ELSE '${ENGINEER_ROLE}' END);
  INSERT INTO switchboard.members (login, name, email, role, added_by) VALUES (p_login, p_name, p_email, p_role, session_user);
END $$;
REVOKE ALL ON FUNCTION switchboard.add_member(text, text, text, text, text) FROM PUBLIC;

-- Team settings, e.g. who may edit profiles ('leads' or 'everyone').
CREATE TABLE switchboard.settings (key text PRIMARY KEY, value text NOT NULL);
INSERT INTO switchboard.settings (key, value) VALUES ('profile_editors', 'leads');

-- Every person's hash chain, pushed from their laptop's SQLite log (same columns, same hashes).
CREATE TABLE switchboard.log_records (
  id bigserial PRIMARY KEY,
  login text NOT NULL DEFAULT current_user,
  seq bigint NOT NULL CHECK (seq >= 1),
  session_id text NOT NULL,
  kind text NOT NULL,
  at text NOT NULL,
  engineer text NOT NULL,
  ticket text, ticket_id bigint, site text, site_id bigint, host text, method text, target text, address text,
  decision text, reasons text, outcome text, bytes_in bigint, bytes_out bigint, detail text, summary text,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (login, seq),
  UNIQUE (login, hash)
);
CREATE INDEX log_records_session ON switchboard.log_records (session_id);
CREATE INDEX log_records_kind ON switchboard.log_records (kind, id);
${CANONICAL_ROW}

CREATE FUNCTION switchboard.check_log_record() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  previous text;
  computed text;
BEGIN
  IF NEW.login IS DISTINCT FROM current_user THEN
    RAISE EXCEPTION 'a record of % cannot be inserted by %: everyone inserts only their own chain', NEW.login, current_user
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT hash INTO previous FROM switchboard.log_records WHERE login = NEW.login AND seq = NEW.seq - 1;
  IF NEW.seq > 1 AND previous IS NULL THEN
    RAISE EXCEPTION 'record % of % does not follow its chain: record % is not in the team store', NEW.seq, NEW.login, NEW.seq - 1
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.prev_hash IS DISTINCT FROM coalesce(previous, repeat('0', 64)) THEN
    RAISE EXCEPTION 'record % of % does not link to the previous record''s hash', NEW.seq, NEW.login
      USING ERRCODE = 'check_violation';
  END IF;
  computed := encode(sha256(convert_to(switchboard.canonical_row(NEW), 'UTF8')), 'hex');
  IF NEW.hash IS DISTINCT FROM computed THEN
    RAISE EXCEPTION 'record % of %: its hash is not the SHA-256 of its contents', NEW.seq, NEW.login
      USING ERRCODE = 'check_violation';
  END IF;
  -- What only a lead does, only a lead's chain may hold.
  IF (NEW.kind IN ('review', 'viewing') OR (NEW.kind = 'approval' AND NEW.detail::jsonb ->> 'step' = 'signed')) AND NOT switchboard.is_lead() THEN
    RAISE EXCEPTION 'a % record can only come from a lead of the team; % is not one', NEW.kind, current_user
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  NEW.received_at := now();
  RETURN NEW;
END $$;
CREATE TRIGGER log_records_check BEFORE INSERT ON switchboard.log_records FOR EACH ROW EXECUTE FUNCTION switchboard.check_log_record();
${INSERT_ONLY('log_records')}

-- Signed checkpoints of each chain, and the leads' cosignatures (witnessing).
CREATE TABLE switchboard.checkpoints (
  login text NOT NULL DEFAULT current_user,
  size bigint NOT NULL CHECK (size >= 1),
  root_hash text NOT NULL,
  signed_note text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (login, size)
);
${INSERT_ONLY('checkpoints')}
CREATE TABLE switchboard.checkpoint_cosignatures (
  login text NOT NULL,
  size bigint NOT NULL,
  lead_login text NOT NULL DEFAULT current_user,
  cosignature text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (login, size, lead_login),
  FOREIGN KEY (login, size) REFERENCES switchboard.checkpoints (login, size)
);
${INSERT_ONLY('checkpoint_cosignatures')}

-- Recordings, content-addressed and chunked; verified on read by the client.
CREATE TABLE switchboard.recordings (
  sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  bytes bigint NOT NULL CHECK (bytes >= 0),
  chunks integer NOT NULL CHECK (chunks >= 0),
  login text NOT NULL DEFAULT current_user,
  received_at timestamptz NOT NULL DEFAULT now()
);
${INSERT_ONLY('recordings')}
CREATE TABLE switchboard.recording_chunks (
  sha256 text NOT NULL REFERENCES switchboard.recordings (sha256),
  chunk integer NOT NULL CHECK (chunk >= 0),
  data bytea NOT NULL,
  PRIMARY KEY (sha256, chunk)
);
${INSERT_ONLY('recording_chunks')}

-- The roster as the leads signed it; only a lead publishes one.
CREATE TABLE switchboard.rosters (
  id bigserial PRIMARY KEY,
  signed_text text NOT NULL,
  sha256 text NOT NULL UNIQUE,
  published_by text NOT NULL DEFAULT current_user,
  published_at timestamptz NOT NULL DEFAULT now()
);
${INSERT_ONLY('rosters')}

-- Row-level security: read the team's, insert only your own (and lead-only tables only as a lead).
ALTER TABLE switchboard.log_records ENABLE ROW LEVEL SECURITY;
ALTER TABLE switchboard.checkpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE switchboard.checkpoint_cosignatures ENABLE ROW LEVEL SECURITY;
ALTER TABLE switchboard.recordings ENABLE ROW LEVEL SECURITY;
ALTER TABLE switchboard.rosters ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON switchboard.log_records FOR SELECT USING (true);
CREATE POLICY insert_own ON switchboard.log_records FOR INSERT WITH CHECK (login = current_user);
CREATE POLICY read_all ON switchboard.checkpoints FOR SELECT USING (true);
CREATE POLICY insert_own ON switchboard.checkpoints FOR INSERT WITH CHECK (login = current_user);
CREATE POLICY read_all ON switchboard.checkpoint_cosignatures FOR SELECT USING (true);
CREATE POLICY leads_witness ON switchboard.checkpoint_cosignatures FOR INSERT WITH CHECK (lead_login = current_user AND switchboard.is_lead());
CREATE POLICY read_all ON switchboard.recordings FOR SELECT USING (true);
CREATE POLICY insert_own ON switchboard.recordings FOR INSERT WITH CHECK (login = current_user);
CREATE POLICY read_all ON switchboard.rosters FOR SELECT USING (true);
CREATE POLICY leads_publish ON switchboard.rosters FOR INSERT WITH CHECK (published_by = current_user AND switchboard.is_lead());

GRANT USAGE ON SCHEMA switchboard TO ${ENGINEER_ROLE}, ${LEAD_ROLE};
GRANT SELECT ON ALL TABLES IN SCHEMA switchboard TO ${ENGINEER_ROLE}, ${LEAD_ROLE};
GRANT INSERT ON switchboard.log_records, switchboard.checkpoints, switchboard.recordings, switchboard.recording_chunks TO ${ENGINEER_ROLE}, ${LEAD_ROLE};
GRANT INSERT ON switchboard.checkpoint_cosignatures, switchboard.rosters TO ${LEAD_ROLE};
GRANT EXECUTE ON FUNCTION switchboard.add_member(text, text, text, text, text) TO ${LEAD_ROLE};
GRANT USAGE ON ALL SEQUENCES IN SCHEMA switchboard TO ${ENGINEER_ROLE}, ${LEAD_ROLE};
`,
  },
  {
    // The check trigger looked the previous record up by (login, seq = NEW.seq - 1). With two unique
    // indexes starting with login, a plan made while the table was small (a new team store, or a member's
    // first sync, cached for the whole connection) took (login, hash) and filtered on seq: every row then
    // scanned its whole chain, and a push of n records cost O(n²) — 100k records would take most of an
    // hour (bench/team-sync.mjs). Asked as "the newest record before this one", only the (login, seq)
    // index gives the order, so the lookup is one probe whatever the planner knows. Same checks, same errors.
    version: 2,
    name: 'chain-check-reads-the-head',
    up: `
CREATE OR REPLACE FUNCTION switchboard.check_log_record() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  previous_seq bigint;
  previous text;
  computed text;
BEGIN
  IF NEW.login IS DISTINCT FROM current_user THEN
    RAISE EXCEPTION 'a record of % cannot be inserted by %: everyone inserts only their own chain', NEW.login, current_user
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT seq, hash INTO previous_seq, previous FROM switchboard.log_records
    WHERE login = NEW.login AND seq < NEW.seq ORDER BY seq DESC LIMIT 1;
  IF previous_seq IS DISTINCT FROM NEW.seq - 1 THEN previous := NULL; END IF;
  IF NEW.seq > 1 AND previous IS NULL THEN
    RAISE EXCEPTION 'record % of % does not follow its chain: record % is not in the team store', NEW.seq, NEW.login, NEW.seq - 1
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.prev_hash IS DISTINCT FROM coalesce(previous, repeat('0', 64)) THEN
    RAISE EXCEPTION 'record % of % does not link to the previous record''s hash', NEW.seq, NEW.login
      USING ERRCODE = 'check_violation';
  END IF;
  computed := encode(sha256(convert_to(switchboard.canonical_row(NEW), 'UTF8')), 'hex');
  IF NEW.hash IS DISTINCT FROM computed THEN
    RAISE EXCEPTION 'record % of %: its hash is not the SHA-256 of its contents', NEW.seq, NEW.login
      USING ERRCODE = 'check_violation';
  END IF;
  -- What only a lead does, only a lead's chain may hold.
  IF (NEW.kind IN ('review', 'viewing') OR (NEW.kind = 'approval' AND NEW.detail::jsonb ->> 'step' = 'signed')) AND NOT switchboard.is_lead() THEN
    RAISE EXCEPTION 'a % record can only come from a lead of the team; % is not one', NEW.kind, current_user
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  NEW.received_at := now();
  RETURN NEW;
END $$;
`,
  },
  {
    // The leads' live review queue in the team store: one row per session of every engineer, kept by a
    // statement-level trigger as records arrive (a batch of 2000 costs three set-based statements, not
    // one per record), with an index per filter of the app's queue (review-queue.ts): each filter is an
    // equality prefix followed by (started_at DESC, id DESC), so a page of 50 is read straight off one
    // index and continues from the last row seen (keyset), never by offset. Names are matched without
    // case (the *_key columns), as the SQLite queue's NOCASE does. It is derived data: no one writes it but the
    // trigger (SECURITY DEFINER); a lead reads every row, an engineer their own.
    version: 3,
    name: 'review-sessions',
    up: `
CREATE TABLE switchboard.review_sessions (
  id bigserial PRIMARY KEY,
  login text NOT NULL,
  engineer text NOT NULL,
  session_id text NOT NULL,
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  ticket text, customer text, site text, host text, method text, decision text, outcome text,
  -- The names as the filters match them (without case). Plain columns, not lower() in the index: under
  -- row-level security a filter through a function that is not LEAKPROOF (lower) is applied only after
  -- the policy, so it could never be an index condition — every such page was a scan of the table.
  customer_key text GENERATED ALWAYS AS (lower(customer)) STORED,
  site_key text GENERATED ALWAYS AS (lower(site)) STORED,
  ticket_key text GENERATED ALWAYS AS (lower(ticket)) STORED,
  exception boolean NOT NULL DEFAULT false,
  recording_sha256 text,
  state text NOT NULL DEFAULT 'unreviewed' CHECK (state IN ('unreviewed', 'reviewed', 'flagged', 'signed-off')),
  state_comment text,
  state_by text,
  state_at timestamptz,
  UNIQUE (login, session_id)
);
CREATE INDEX review_sessions_by_started ON switchboard.review_sessions (started_at DESC, id DESC);
CREATE INDEX review_sessions_by_engineer ON switchboard.review_sessions (engineer, started_at DESC, id DESC);
CREATE INDEX review_sessions_by_customer ON switchboard.review_sessions (customer_key, started_at DESC, id DESC);
CREATE INDEX review_sessions_by_site ON switchboard.review_sessions (customer_key, site_key, started_at DESC, id DESC);
CREATE INDEX review_sessions_by_site_name ON switchboard.review_sessions (site_key, started_at DESC, id DESC);
CREATE INDEX review_sessions_by_ticket ON switchboard.review_sessions (ticket_key, started_at DESC, id DESC);
CREATE INDEX review_sessions_by_method ON switchboard.review_sessions (method, started_at DESC, id DESC);
CREATE INDEX review_sessions_by_outcome ON switchboard.review_sessions (outcome, started_at DESC, id DESC);
CREATE INDEX review_sessions_by_state ON switchboard.review_sessions (state, started_at DESC, id DESC);
CREATE INDEX review_sessions_by_session_id ON switchboard.review_sessions (session_id);

CREATE FUNCTION switchboard.fold_review_sessions() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fold$
BEGIN
${foldReviewSessionsSql('new_records')}
  RETURN NULL;
END $fold$;
CREATE TRIGGER log_records_fold_review AFTER INSERT ON switchboard.log_records
  REFERENCING NEW TABLE AS new_records FOR EACH STATEMENT EXECUTE FUNCTION switchboard.fold_review_sessions();

ALTER TABLE switchboard.review_sessions ENABLE ROW LEVEL SECURITY;
CREATE POLICY leads_read_all ON switchboard.review_sessions FOR SELECT TO ${LEAD_ROLE} USING (true);
CREATE POLICY engineers_read_own ON switchboard.review_sessions FOR SELECT TO ${ENGINEER_ROLE} USING (login = current_user);
GRANT SELECT ON switchboard.review_sessions TO ${ENGINEER_ROLE}, ${LEAD_ROLE};
`,
  },
  {
    // A recording's hash is public (every 'ended' record names one), so without this another login could
    // claim it first with wrong bytes and block the real one forever. Now only the login whose own ended
    // session names the hash may store it, and only its own recording's chunks, within its chunk count.
    version: 4,
    name: 'recordings-belong-to-their-session',
    up: `
CREATE INDEX log_records_login_kind ON switchboard.log_records (login, kind);

CREATE FUNCTION switchboard.check_recording() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.login IS DISTINCT FROM current_user THEN
    RAISE EXCEPTION 'a recording of % cannot be stored by %', NEW.login, current_user USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NOT EXISTS (
    SELECT 1 FROM switchboard.log_records
    WHERE login = current_user AND kind = 'ended' AND detail IS NOT NULL AND detail::jsonb ->> 'recordingSha256' = NEW.sha256
  ) THEN
    RAISE EXCEPTION 'recording % is not named by an ended session of %; push the session''s records first', NEW.sha256, current_user
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER recordings_belong_to_their_session BEFORE INSERT ON switchboard.recordings
  FOR EACH ROW EXECUTE FUNCTION switchboard.check_recording();

CREATE FUNCTION switchboard.check_recording_chunk() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM switchboard.recordings WHERE sha256 = NEW.sha256 AND login = current_user AND NEW.chunk < chunks) THEN
    RAISE EXCEPTION 'chunk % of recording % is not one of %''s recordings'' chunks', NEW.chunk, NEW.sha256, current_user
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER recording_chunks_belong_to_their_recording BEFORE INSERT ON switchboard.recording_chunks
  FOR EACH ROW EXECUTE FUNCTION switchboard.check_recording_chunk();
`,
  },
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
];
