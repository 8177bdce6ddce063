import { ENGINEER_ROLE, INSERT_ONLY, LEAD_ROLE, type TeamMigration } from '../migration-types';

/**
 * Exception approvals through the team store (issue 11: "leads approve"). Both tables hold signed notes
 * exactly as signed; the laptops check every signature again (a lead's approval is imported only if a lead
 * of the roster trusted there signed it). The database adds what it can know itself:
 * - approval_requests: a member's own signed request — requested_by is the login that inserted it and the
 *   request's engineer is that login's e-mail (no request in someone else's name); a lead reads all, an
 *   engineer only their own;
 * - approvals: the lead-signed note — only a lead inserts one (is_lead()), in their own name, and never for
 *   their own request (four eyes); a lead reads all, an engineer the approvals of their own requests.
 * Both are insert-only for everyone. Caller checks are in a SECURITY INVOKER trigger, so current_user is
 * the caller.
 */
export const migration0008: TeamMigration = {
  version: 8,
  name: 'exception-approvals',
  up: `
CREATE TABLE switchboard.approval_requests (
  id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'),
  signed_text text NOT NULL,
  sha256 text NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  engineer text NOT NULL,
  valid_until timestamptz NOT NULL,
  requested_by text NOT NULL DEFAULT current_user,
  received_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX approval_requests_open ON switchboard.approval_requests (valid_until);

CREATE TABLE switchboard.approvals (
  id bigserial PRIMARY KEY,
  request_id text NOT NULL REFERENCES switchboard.approval_requests (id),
  signed_text text NOT NULL,
  sha256 text NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  signed_by text NOT NULL DEFAULT current_user,
  received_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX approvals_request ON switchboard.approvals (request_id, id);

CREATE FUNCTION switchboard.check_approval_row() RETURNS trigger LANGUAGE plpgsql SECURITY INVOKER AS $$
DECLARE
  requester text;
BEGIN
  IF TG_TABLE_NAME = 'approval_requests' THEN
    IF NEW.requested_by IS DISTINCT FROM current_user THEN
      RAISE EXCEPTION 'a request by % cannot be inserted by %', NEW.requested_by, current_user USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM switchboard.members WHERE login = current_user AND lower(email) = lower(NEW.engineer)) THEN
      RAISE EXCEPTION 'a request in the name of % cannot be inserted by %', NEW.engineer, current_user USING ERRCODE = 'insufficient_privilege';
    END IF;
  ELSE
    IF NEW.signed_by IS DISTINCT FROM current_user OR NOT switchboard.is_lead() THEN
      RAISE EXCEPTION 'only a lead, in their own name, publishes an approval (% is not one)', current_user USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT requested_by INTO requester FROM switchboard.approval_requests WHERE id = NEW.request_id;
    IF requester = current_user THEN
      RAISE EXCEPTION 'a lead does not approve their own request; another lead must' USING ERRCODE = 'insufficient_privilege';
    END IF;
  END IF;
  NEW.received_at := clock_timestamp();
  RETURN NEW;
END $$;
CREATE TRIGGER approval_requests_check BEFORE INSERT ON switchboard.approval_requests FOR EACH ROW EXECUTE FUNCTION switchboard.check_approval_row();
CREATE TRIGGER approvals_check BEFORE INSERT ON switchboard.approvals FOR EACH ROW EXECUTE FUNCTION switchboard.check_approval_row();
${INSERT_ONLY('approval_requests')}
${INSERT_ONLY('approvals')}

ALTER TABLE switchboard.approval_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE switchboard.approvals ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_own_or_lead ON switchboard.approval_requests FOR SELECT USING (requested_by = current_user OR switchboard.is_lead());
CREATE POLICY insert_own ON switchboard.approval_requests FOR INSERT WITH CHECK (requested_by = current_user);
CREATE POLICY read_own_or_lead ON switchboard.approvals FOR SELECT USING (
  switchboard.is_lead() OR EXISTS (SELECT 1 FROM switchboard.approval_requests r WHERE r.id = request_id AND r.requested_by = current_user));
CREATE POLICY leads_approve ON switchboard.approvals FOR INSERT WITH CHECK (signed_by = current_user AND switchboard.is_lead());

GRANT SELECT, INSERT ON switchboard.approval_requests TO ${ENGINEER_ROLE}, ${LEAD_ROLE};
GRANT SELECT ON switchboard.approvals TO ${ENGINEER_ROLE}, ${LEAD_ROLE};
GRANT INSERT ON switchboard.approvals TO ${LEAD_ROLE};
GRANT USAGE ON SEQUENCE switchboard.approvals_id_seq TO ${LEAD_ROLE};
`,
};
