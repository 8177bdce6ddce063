import type { Migration } from './types';

/**
 * The columns of each policy table that a change is about, as this migration journals them. Bookkeeping
 * (created_at, updated_at, pinned_at, recorded_at) is left out, so a save that changes nothing else
 * leaves no trace. tests/integration/policy-record.test.ts holds this list against the tables' own
 * columns: a later migration that adds a column must journal it too (drop and create the triggers).
 */
export const POLICY_JOURNAL_COLUMNS_0008: Readonly<Record<string, readonly string[]>> = {
  customers: ['id', 'name', 'package', 'timezone', 'workdays_mask', 'deleted_at'],
  sites: ['id', 'customer_id', 'name', 'seats', 'peak_calls', 'product_version', 'ameyodb_days', 'reportsdb_days', 'record_input', 'deleted_at'],
  site_methods: ['site_id', 'position', 'method'],
  vpn_profiles: ['site_id', 'client', 'profile_path', 'gateway_host', 'profile_sha256'],
  hosts: ['id', 'site_id', 'position', 'name', 'address', 'role', 'anydesk_id', 'teamviewer_id', 'deleted_at'],
  host_allow: ['host_id', 'position', 'cidr'],
  host_ssh: ['host_id', 'port', 'user', 'credential', 'agent', 'jump_host'],
  host_https: ['host_id', 'port', 'path', 'cert_sha256'],
  host_vnc: ['host_id', 'port', 'credential', 'view_only'],
  host_key_pins: ['host_id', 'fingerprint'],
  method_approvals: ['id', 'site_id', 'method', 'approved_by', 'reason', 'valid_until', 'recorded_by'],
};

function rowJson(table: string, row: 'OLD' | 'NEW'): string {
  return `json_object(${POLICY_JOURNAL_COLUMNS_0008[table]!.map((c) => `'${c}', ${row}.${c}`).join(', ')})`;
}

function journalTriggers(table: string): string {
  return `
    CREATE TRIGGER ${table}_journalInsert AFTER INSERT ON ${table} BEGIN
      INSERT INTO policy_journal (tbl, op, new_row) VALUES ('${table}', 'insert', ${rowJson(table, 'NEW')});
    END;
    CREATE TRIGGER ${table}_journalUpdate AFTER UPDATE ON ${table} WHEN ${rowJson(table, 'OLD')} IS NOT ${rowJson(table, 'NEW')} BEGIN
      INSERT INTO policy_journal (tbl, op, old_row, new_row) VALUES ('${table}', 'update', ${rowJson(table, 'OLD')}, ${rowJson(table, 'NEW')});
    END;
    CREATE TRIGGER ${table}_journalDelete AFTER DELETE ON ${table} BEGIN
      INSERT INTO policy_journal (tbl, op, old_row) VALUES ('${table}', 'delete', ${rowJson(table, 'OLD')});
    END;`;
}

/**
 * Changes to the policy are on the record (issue 9 §3): every insert, update and delete of the policy's
 * own data — customers, sites, approved methods, hosts, addresses, allow-lists, endpoints, pins, VPN
 * profiles, input recording, approvals — leaves its row before and after in policy_journal, whatever
 * wrote it (a form, an import, the CLI, raw SQL). The journal is not evidence: the core turns it into
 * hash-chained 'policy-change' records in the same transaction as the change (policy-record/), and at
 * its next start for a change nobody recorded, then empties it.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'policy-journal',
  up: `
    CREATE TABLE policy_journal (
      id INTEGER PRIMARY KEY,
      tbl TEXT NOT NULL,
      op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
      old_row TEXT CHECK (old_row IS NULL OR json_type(old_row) = 'object'),
      new_row TEXT CHECK (new_row IS NULL OR json_type(new_row) = 'object')
    ) STRICT;
    ${Object.keys(POLICY_JOURNAL_COLUMNS_0008).map(journalTriggers).join('\n')}
  `,
};
