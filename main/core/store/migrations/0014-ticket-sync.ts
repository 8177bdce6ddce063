import type { Migration } from './types';

/**
 * Tickets shared through the team store (issue 11). A ticket is in the store once pushed
 * (`team_pushed`); each of its events gets a uid of its own, the same on every laptop that holds it, so
 * a push is idempotent and a pulled event is recognised as one this laptop already has. `team_order` is
 * the event's place in the team store's order (its id there), known once the event came back from a
 * pull; a ticket's state is its events folded in that order, this laptop's not-yet-pushed ones last.
 * A team ticket of a customer/site this data dir does not have waits in `team_ticket_skips` and is taken,
 * with all its events, at the first sync after the site exists here.
 */
export const migration0014: Migration = {
  version: 14,
  name: 'ticket-sync',
  up: `
    ALTER TABLE tickets ADD COLUMN team_pushed INTEGER NOT NULL DEFAULT 0 CHECK (team_pushed IN (0, 1));
    ALTER TABLE ticket_events ADD COLUMN uid TEXT;
    ALTER TABLE ticket_events ADD COLUMN team_order INTEGER;
    UPDATE ticket_events SET uid = lower(hex(randomblob(16)));
    CREATE UNIQUE INDEX ticket_events_byUid ON ticket_events (uid);
    CREATE INDEX ticket_events_unpushed ON ticket_events (ticket_id) WHERE team_order IS NULL;
    CREATE INDEX tickets_unpushed ON tickets (id) WHERE team_pushed = 0;
    CREATE TABLE team_ticket_skips (
      ref TEXT PRIMARY KEY COLLATE NOCASE,
      customer TEXT NOT NULL,
      site TEXT NOT NULL,
      skipped_at TEXT NOT NULL
    ) STRICT;
    -- An event recorded on this laptop gets its uid here, whoever inserts it; a pulled one brings its own.
    CREATE TRIGGER ticket_events_uid AFTER INSERT ON ticket_events WHEN NEW.uid IS NULL BEGIN
      UPDATE ticket_events SET uid = lower(hex(randomblob(16))) WHERE id = NEW.id;
    END;
  `,
};
