import type { Migration } from './types';

/**
 * The team store's site profiles on this laptop (issue 11). `team_profiles` is, per customer, the version
 * of the store this data dir last agreed with and the document it agreed on: a local edit is the
 * difference between that document and the customer as it is now. `team_profile_conflicts` keeps each
 * local edit the store could not take — a newer version came first, or the team's setting does not let
 * this person edit profiles — until the engineer redoes it on the store's version or drops it.
 */
export const migration0012: Migration = {
  version: 12,
  name: 'team-profiles',
  up: `
    CREATE TABLE team_profiles (
      customer TEXT PRIMARY KEY COLLATE NOCASE,
      version INTEGER NOT NULL CHECK (version > 0),
      document TEXT,
      updated_by TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE team_profile_conflicts (
      id INTEGER PRIMARY KEY,
      customer TEXT NOT NULL,
      mine TEXT,
      reason TEXT NOT NULL CHECK (reason IN ('newer', 'not-allowed')),
      theirs_version INTEGER,
      theirs_by TEXT,
      message TEXT NOT NULL,
      found_at TEXT NOT NULL,
      resolution TEXT CHECK (resolution IN ('redone', 'dropped')),
      resolved_at TEXT
    ) STRICT;
    CREATE INDEX team_profile_conflicts_open ON team_profile_conflicts (resolution, id);
  `,
};
