import type { Migration } from './types';

const insertOnly = (table: string, why: string) => `
    CREATE TRIGGER ${table}_noUpdate BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, '${why}'); END;
    CREATE TRIGGER ${table}_noDelete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${why}'); END;`;

/**
 * Exception approvals signed by a lead (issue 9 §4). An exception is now a request the engineer signs
 * and a lead countersigns, not a typed name:
 * - approval_requests: the requests this data dir made, with the signed note exactly as sent;
 * - signed_approvals: the lead-signed notes imported for them, at most one per request — the only
 *   exceptions the policy honours;
 * - approval_refusals: imports that were refused, and why (the request's status shows them).
 * All three are evidence and insert-only. method_approvals (typed "approved by") stays for the record
 * but is no longer read by the policy.
 */
export const migration0009: Migration = {
  version: 9,
  name: 'signed-approvals',
  up: `
    CREATE TABLE approval_requests (
      id TEXT PRIMARY KEY CHECK (length(id) = 36),
      site_id INTEGER NOT NULL,
      site TEXT NOT NULL,
      method TEXT NOT NULL,
      host TEXT,
      ticket TEXT NOT NULL,
      reason TEXT NOT NULL,
      valid_until TEXT NOT NULL,
      requested_at TEXT NOT NULL,
      engineer TEXT NOT NULL,
      engineer_key TEXT NOT NULL,
      note TEXT NOT NULL
    ) STRICT;
    CREATE INDEX approval_requests_bySiteMethod ON approval_requests (site_id, method, valid_until);
    ${insertOnly('approval_requests', 'an exception request is kept as it was signed')}

    CREATE TABLE signed_approvals (
      request_id TEXT PRIMARY KEY REFERENCES approval_requests (id),
      lead TEXT NOT NULL,
      lead_email TEXT NOT NULL,
      lead_key TEXT NOT NULL,
      note TEXT NOT NULL,
      sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
      imported_at TEXT NOT NULL
    ) STRICT;
    ${insertOnly('signed_approvals', 'a signed approval is kept as it was imported')}

    CREATE TABLE approval_refusals (
      id INTEGER PRIMARY KEY,
      request_id TEXT,
      code TEXT NOT NULL,
      message TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      refused_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX approval_refusals_byRequest ON approval_refusals (request_id, refused_at);
    ${insertOnly('approval_refusals', 'a refused import stays on the record')}
  `,
};
