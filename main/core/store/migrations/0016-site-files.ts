import { POLICY_JOURNAL_COLUMNS_0008 } from './0008-policy-journal';
import type { Migration } from './types';

/** sites' journaled columns from this migration on (0008's list plus the file-transfer setting). */
export const SITES_JOURNAL_COLUMNS_0016 = [...POLICY_JOURNAL_COLUMNS_0008.sites!, 'file_transfer'] as const;
/** The folders a site's file transfer is limited to, one row each, in the order written. */
export const SITE_FILE_FOLDERS_JOURNAL_COLUMNS_0016 = ['site_id', 'position', 'folder'] as const;

const rowJson = (columns: readonly string[], row: 'OLD' | 'NEW') => `json_object(${columns.map((c) => `'${c}', ${row}.${c}`).join(', ')})`;

function journalTriggers(table: string, columns: readonly string[]): string {
  return `
    CREATE TRIGGER ${table}_journalInsert AFTER INSERT ON ${table} BEGIN
      INSERT INTO policy_journal (tbl, op, new_row) VALUES ('${table}', 'insert', ${rowJson(columns, 'NEW')});
    END;
    CREATE TRIGGER ${table}_journalUpdate AFTER UPDATE ON ${table} WHEN ${rowJson(columns, 'OLD')} IS NOT ${rowJson(columns, 'NEW')} BEGIN
      INSERT INTO policy_journal (tbl, op, old_row, new_row) VALUES ('${table}', 'update', ${rowJson(columns, 'OLD')}, ${rowJson(columns, 'NEW')});
    END;
    CREATE TRIGGER ${table}_journalDelete AFTER DELETE ON ${table} BEGIN
      INSERT INTO policy_journal (tbl, op, old_row) VALUES ('${table}', 'delete', ${rowJson(columns, 'OLD')});
    END;`;
}

/**
 * File transfer over SFTP per site (issue 12): off (every existing site, and a new one unless the
 * customer approved it), download only, or both ways; optionally limited to some remote folders. It is
 * policy, so sites' journal triggers are replaced to journal the new column, and the folder list is
 * journaled like the approved methods — a change comes out as a 'policy-change' record.
 */
export const migration0016: Migration = {
  version: 16,
  name: 'site-files',
  up: `
    ALTER TABLE sites ADD COLUMN file_transfer TEXT NOT NULL DEFAULT 'off' CHECK (file_transfer IN ('off', 'download', 'both'));

    CREATE TABLE site_file_folders (
      site_id INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      folder TEXT NOT NULL CHECK (substr(folder, 1, 1) = '/'),
      PRIMARY KEY (site_id, folder)
    ) STRICT;

    DROP TRIGGER sites_journalInsert;
    DROP TRIGGER sites_journalUpdate;
    DROP TRIGGER sites_journalDelete;
    ${journalTriggers('sites', SITES_JOURNAL_COLUMNS_0016)}
    ${journalTriggers('site_file_folders', SITE_FILE_FOLDERS_JOURNAL_COLUMNS_0016)}
  `,
};
