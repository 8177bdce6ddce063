import { ENGINEER_ROLE, INSERT_ONLY, LEAD_ROLE, type TeamMigration } from '../migration-types';

const EVENT_KINDS = ['opened', 'first_response', 'resolved', 'closed', 'reopened', 'escalated', 'severity_override', 'cause', 'rca_wait_started', 'rca_wait_ended', 'rca_delivered'];

/**
 * One ticket list for the team. A ticket's row is its opening (the facts as reported: where, what,
 * impact, the computed severity, when it was reported), and every change after it — first response,
 * escalation, override, cause, resolution, RCA waits — is an event. Both are insert-only: nothing is
 * ever updated, so two engineers who change the same ticket offline never overwrite each other; both
 * pushes simply append. The ticket's current state is its events folded in the store's order (their
 * id), which every laptop computes the same way (tickets/ticket-fold.ts), each laptop's not-yet-pushed
 * events after the store's. A transition that no longer makes sense when it lands after another (a
 * second 'resolved' of a ticket already resolved) folds to nothing, but stays in the history.
 *
 * Each row carries the transaction that wrote it (`tx`, set by the trigger, not by the client): a pull
 * reads the rows of transactions older than every one still running (the snapshot's xmin), so a row whose
 * id was taken earlier but committed later is never skipped by a cursor past it.
 *
 * Ticket times: `reported_at` and an event's `at` are the laptop's team time (its clock corrected by
 * the skew measured at its last sync); `created_at`/`received_at` are the server's own clock. Who wrote
 * a row is the login (`opened_by`, `author`), enforced as current_user; `created_by`/`engineer` is the
 * person as the app names them (their identity's e-mail).
 */
export const migration0007: TeamMigration = {
  version: 7,
  name: 'tickets-and-their-events',
  up: `
CREATE TABLE switchboard.tickets (
  id bigserial PRIMARY KEY,
  ref text NOT NULL CHECK (ref <> ''),
  ref_key text GENERATED ALWAYS AS (lower(ref)) STORED UNIQUE,
  customer text NOT NULL,
  site text NOT NULL,
  type text NOT NULL CHECK (type IN ('incident', 'change')),
  component text NOT NULL,
  seats integer NOT NULL CHECK (seats > 0),
  calls integer CHECK (calls >= 0),
  cannot_take_calls integer NOT NULL DEFAULT 0 CHECK (cannot_take_calls >= 0),
  cannot_login integer NOT NULL DEFAULT 0 CHECK (cannot_login >= 0),
  calls_rejected integer NOT NULL DEFAULT 0 CHECK (calls_rejected >= 0),
  computed_severity text NOT NULL CHECK (computed_severity IN ('critical', 'major', 'minor')),
  level text NOT NULL CHECK (level IN ('L1', 'L2', 'L3')),
  summary text,
  reported_at timestamptz NOT NULL,
  created_by text NOT NULL,
  opened_by text NOT NULL DEFAULT current_user,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  tx xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX tickets_tx ON switchboard.tickets (tx);

CREATE TABLE switchboard.ticket_events (
  id bigserial PRIMARY KEY,
  uid text NOT NULL UNIQUE CHECK (uid ~ '^[0-9a-f]{32}$'),
  ticket_id bigint NOT NULL REFERENCES switchboard.tickets (id),
  at timestamptz NOT NULL,
  engineer text NOT NULL,
  kind text NOT NULL CHECK (kind IN (${EVENT_KINDS.map((k) => `'${k}'`).join(', ')})),
  from_value text,
  to_value text,
  reason text,
  author text NOT NULL DEFAULT current_user,
  received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  tx xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX ticket_events_ticket ON switchboard.ticket_events (ticket_id, id);
CREATE INDEX ticket_events_tx ON switchboard.ticket_events (tx);

-- Who wrote a row is the login that wrote it, and when and in which transaction is the server's to say.
CREATE FUNCTION switchboard.stamp_ticket_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'tickets' THEN
    IF NEW.opened_by IS DISTINCT FROM current_user THEN
      RAISE EXCEPTION 'a ticket opened by % cannot be inserted by %', NEW.opened_by, current_user USING ERRCODE = 'insufficient_privilege';
    END IF;
    NEW.created_at := clock_timestamp();
  ELSE
    IF NEW.author IS DISTINCT FROM current_user THEN
      RAISE EXCEPTION 'a ticket event by % cannot be inserted by %', NEW.author, current_user USING ERRCODE = 'insufficient_privilege';
    END IF;
    NEW.received_at := clock_timestamp();
  END IF;
  NEW.tx := pg_current_xact_id();
  RETURN NEW;
END $$;
CREATE TRIGGER tickets_stamp BEFORE INSERT ON switchboard.tickets FOR EACH ROW EXECUTE FUNCTION switchboard.stamp_ticket_row();
CREATE TRIGGER ticket_events_stamp BEFORE INSERT ON switchboard.ticket_events FOR EACH ROW EXECUTE FUNCTION switchboard.stamp_ticket_row();
${INSERT_ONLY('tickets')}
${INSERT_ONLY('ticket_events')}

ALTER TABLE switchboard.tickets ENABLE ROW LEVEL SECURITY;
ALTER TABLE switchboard.ticket_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON switchboard.tickets FOR SELECT USING (true);
CREATE POLICY insert_own ON switchboard.tickets FOR INSERT WITH CHECK (opened_by = current_user);
CREATE POLICY read_all ON switchboard.ticket_events FOR SELECT USING (true);
CREATE POLICY insert_own ON switchboard.ticket_events FOR INSERT WITH CHECK (author = current_user);

GRANT SELECT, INSERT ON switchboard.tickets, switchboard.ticket_events TO ${ENGINEER_ROLE}, ${LEAD_ROLE};
GRANT USAGE ON SEQUENCE switchboard.tickets_id_seq, switchboard.ticket_events_id_seq TO ${ENGINEER_ROLE}, ${LEAD_ROLE};
`,
};
