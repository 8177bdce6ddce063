import type { Migration } from './types';

/**
 * Tickets (the vendor's ticket id, impact, computed and effective severity, SLA times), their
 * history (escalations, overrides, cause, RCA waits) and recorded exception approvals for methods
 * a site has not approved.
 */
export const migration0002: Migration = {
  version: 2,
  name: 'tickets',
  up: `
    CREATE TABLE tickets (
      id INTEGER PRIMARY KEY,
      ref TEXT NOT NULL,
      site_id INTEGER NOT NULL REFERENCES sites (id),
      type TEXT NOT NULL CHECK (type IN ('incident', 'change')),
      component TEXT NOT NULL,
      seats INTEGER NOT NULL CHECK (seats > 0),
      calls INTEGER CHECK (calls >= 0),
      cannot_take_calls INTEGER NOT NULL DEFAULT 0 CHECK (cannot_take_calls >= 0),
      cannot_login INTEGER NOT NULL DEFAULT 0 CHECK (cannot_login >= 0),
      calls_rejected INTEGER NOT NULL DEFAULT 0 CHECK (calls_rejected >= 0),
      computed_severity TEXT NOT NULL CHECK (computed_severity IN ('critical', 'major', 'minor')),
      severity TEXT NOT NULL CHECK (severity IN ('critical', 'major', 'minor')),
      severity_reason TEXT,
      status TEXT NOT NULL CHECK (status IN ('open', 'resolved', 'closed')),
      level TEXT NOT NULL CHECK (level IN ('L1', 'L2', 'L3')),
      cause TEXT NOT NULL DEFAULT 'unknown' CHECK (cause IN ('unknown', 'software', 'client_hardware_connectivity', 'third_party')),
      summary TEXT,
      reported_at TEXT NOT NULL,
      first_response_at TEXT,
      resolved_at TEXT,
      rca_delivered_at TEXT,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX tickets_byRef ON tickets (ref COLLATE NOCASE);
    CREATE INDEX tickets_bySiteStatus ON tickets (site_id, status);

    CREATE TABLE ticket_events (
      id INTEGER PRIMARY KEY,
      ticket_id INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
      at TEXT NOT NULL,
      engineer TEXT NOT NULL,
      kind TEXT NOT NULL,
      from_value TEXT,
      to_value TEXT,
      reason TEXT
    ) STRICT;
    CREATE INDEX ticket_events_byTicket ON ticket_events (ticket_id, id);

    CREATE TABLE rca_waits (
      id INTEGER PRIMARY KEY,
      ticket_id INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
      started_at TEXT NOT NULL,
      ended_at TEXT,
      reason TEXT NOT NULL
    ) STRICT;
    CREATE INDEX rca_waits_byTicket ON rca_waits (ticket_id);

    CREATE TABLE method_approvals (
      id INTEGER PRIMARY KEY,
      site_id INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
      method TEXT NOT NULL,
      approved_by TEXT NOT NULL,
      reason TEXT NOT NULL,
      valid_until TEXT NOT NULL,
      recorded_by TEXT NOT NULL,
      recorded_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX method_approvals_bySiteMethod ON method_approvals (site_id, method, valid_until);
  `,
};
