import type { Migration } from './types';

/**
 * Input recording as a per-site choice (off by default: keystrokes include whatever is typed at a
 * remote prompt, passwords too). A local setting: profile files neither carry nor change it.
 * Every change is kept with who made it and when, so a team lead can see when a site started or
 * stopped recording keystrokes; rows go with their site when it is purged from the trash.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'site-input-recording',
  up: `
    ALTER TABLE sites ADD COLUMN record_input INTEGER NOT NULL DEFAULT 0 CHECK (record_input IN (0, 1));

    CREATE TABLE site_setting_changes (
      id INTEGER PRIMARY KEY,
      site_id INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
      setting TEXT NOT NULL CHECK (setting IN ('record_input')),
      value TEXT NOT NULL,
      changed_by TEXT NOT NULL,
      changed_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX site_setting_changes_bySite ON site_setting_changes (site_id, setting, id);

    CREATE TRIGGER site_setting_changes_noUpdate BEFORE UPDATE ON site_setting_changes BEGIN
      SELECT RAISE(ABORT, 'site setting changes are a history; add a row instead');
    END;
  `,
};
