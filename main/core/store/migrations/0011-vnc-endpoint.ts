import type { Migration } from './types';

/** host_vnc's journaled columns from this migration on (0008's list plus the new endpoint settings). */
export const HOST_VNC_JOURNAL_COLUMNS_0011 = ['host_id', 'port', 'credential', 'view_only', 'jump_host', 'clipboard', 'tls_cert_sha256'] as const;

const rowJson = (row: 'OLD' | 'NEW') => `json_object(${HOST_VNC_JOURNAL_COLUMNS_0011.map((c) => `'${c}', ${row}.${c}`).join(', ')})`;

/**
 * The embedded VNC viewer's endpoint settings (issue 10): a jump host of the same site (the relay goes
 * through SSH to it, as terminals do), the clipboard rule the relay enforces (NULL = off), and the
 * server's TLS certificate pin for VeNCrypt. They are policy, so host_vnc's journal triggers are
 * replaced to journal the new columns too.
 */
export const migration0011: Migration = {
  version: 11,
  name: 'vnc-endpoint',
  up: `
    ALTER TABLE host_vnc ADD COLUMN jump_host TEXT;
    ALTER TABLE host_vnc ADD COLUMN clipboard TEXT CHECK (clipboard IN ('off', 'to-engineer', 'both'));
    ALTER TABLE host_vnc ADD COLUMN tls_cert_sha256 TEXT;

    DROP TRIGGER host_vnc_journalInsert;
    DROP TRIGGER host_vnc_journalUpdate;
    DROP TRIGGER host_vnc_journalDelete;
    CREATE TRIGGER host_vnc_journalInsert AFTER INSERT ON host_vnc BEGIN
      INSERT INTO policy_journal (tbl, op, new_row) VALUES ('host_vnc', 'insert', ${rowJson('NEW')});
    END;
    CREATE TRIGGER host_vnc_journalUpdate AFTER UPDATE ON host_vnc WHEN ${rowJson('OLD')} IS NOT ${rowJson('NEW')} BEGIN
      INSERT INTO policy_journal (tbl, op, old_row, new_row) VALUES ('host_vnc', 'update', ${rowJson('OLD')}, ${rowJson('NEW')});
    END;
    CREATE TRIGGER host_vnc_journalDelete AFTER DELETE ON host_vnc BEGIN
      INSERT INTO policy_journal (tbl, op, old_row) VALUES ('host_vnc', 'delete', ${rowJson('OLD')});
    END;
  `,
};
