import type { Migration } from './types';

/**
 * Exception approvals through the team store (issue 11):
 * - team_approval_inbox: a lead's copy of the team's open requests, pulled from the store (shown by
 *   `approvals inbox`, signed with `approvals sign ID --from-store`);
 * - lead_signed_approvals: every approval this data dir's lead signed, kept so a linked data dir
 *   publishes it at its next sync (pushed_at: when the store took it);
 * - team_approval_pulls: the lead-signed approvals an engineer's sync fetched and tried to import, and
 *   how it went — so a refused one is tried (and recorded as refused) once, not at every sync.
 */
export const migration0015: Migration = {
  version: 15,
  name: 'team-approvals',
  up: `
    CREATE TABLE team_approval_inbox (
      request_id TEXT PRIMARY KEY,
      note TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      engineer TEXT NOT NULL,
      site TEXT NOT NULL,
      method TEXT NOT NULL,
      valid_until TEXT NOT NULL,
      requested_by TEXT NOT NULL,
      received_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE lead_signed_approvals (
      sha256 TEXT PRIMARY KEY,
      request_id TEXT NOT NULL,
      note TEXT NOT NULL,
      valid_until TEXT NOT NULL,
      signed_at TEXT NOT NULL,
      pushed_at TEXT
    ) STRICT;
    CREATE INDEX lead_signed_approvals_unpushed ON lead_signed_approvals (valid_until) WHERE pushed_at IS NULL;
    CREATE TABLE team_approval_pulls (
      sha256 TEXT PRIMARY KEY,
      request_id TEXT NOT NULL,
      outcome TEXT NOT NULL CHECK (outcome IN ('imported', 'refused')),
      message TEXT,
      at TEXT NOT NULL
    ) STRICT;
  `,
};
