import type { Migration } from './types';

/**
 * The team's log (a lead's own records merged with every other engineer's it holds: `log list` on a
 * lead's data dir) gets what migration 0020 gave the own log (issue 13 §4). The held records had only their
 * primary key and (engineer_key, session_id, seq), so every page of the team's log sorted every held record,
 * and its outcome filter looked up each session's latest outcome row by row:
 * - (at) for the newest-first list and its pages (ties: engineer_key, seq — the primary key each index ends in);
 * - engineer, ticket, method and site: (value, at), a page read in order inside one value, a value that
 *   matches nothing one probe;
 * - outcome: imported_outcomes keeps each held session's latest outcome, by triggers, with (outcome, at).
 * The indexes and triggers are on imported_events_all, the stored rows (migration 0021); readers go through
 * the imported_events view, which leaves out a pending bundle import's rows, and so do the list's queries —
 * so a session of a pending import is not listed. Its outcome is kept from the stored rows, pending ones
 * included: a published session whose ending is in a pending import (a session cut by the bundle) matches
 * that ending's outcome until the import is published or its rows are removed (the delete trigger then
 * recomputes it from the session's rows left, through imported_events_bySession, named: without statistics
 * SQLite reads (engineer_key, session_id) through the primary key, every record of the engineer). An insert
 * takes its record's outcome as the latest, as 0020's triggers do: an engineer's records are written in seq
 * order (a pull by id, a bundle after the accepted head); recomputing on every insert tripled the cost of
 * writing held records.
 */
export const migration0022: Migration = {
  version: 22,
  name: 'team-log-indexes',
  up: `
    CREATE INDEX imported_events_byAt ON imported_events_all (at);
    CREATE INDEX imported_events_byEngineer ON imported_events_all (engineer COLLATE NOCASE, at);
    CREATE INDEX imported_events_byTicket ON imported_events_all (ticket COLLATE NOCASE, at) WHERE ticket IS NOT NULL;
    CREATE INDEX imported_events_byMethod ON imported_events_all (method COLLATE NOCASE, at) WHERE method IS NOT NULL;
    CREATE INDEX imported_events_bySite ON imported_events_all (site COLLATE NOCASE, at) WHERE site IS NOT NULL;

    CREATE TABLE imported_outcomes (
      engineer_key TEXT NOT NULL,
      session_id TEXT NOT NULL,
      attempt_seq INTEGER NOT NULL,
      at TEXT NOT NULL,
      outcome TEXT,
      PRIMARY KEY (engineer_key, session_id)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO imported_outcomes (engineer_key, session_id, attempt_seq, at, outcome)
      SELECT a.engineer_key, a.session_id, a.seq, a.at,
        (SELECT o.outcome FROM imported_events_all o INDEXED BY imported_events_bySession WHERE o.engineer_key = a.engineer_key AND o.session_id = a.session_id AND o.outcome IS NOT NULL ORDER BY o.seq DESC LIMIT 1)
      FROM imported_events_all a WHERE a.kind = 'attempt'
      ON CONFLICT (engineer_key, session_id) DO NOTHING;
    CREATE INDEX imported_outcomes_byOutcome ON imported_outcomes (outcome COLLATE NOCASE, at, engineer_key, attempt_seq) WHERE outcome IS NOT NULL;

    CREATE TRIGGER imported_outcomes_attempt AFTER INSERT ON imported_events_all WHEN new.kind = 'attempt' BEGIN
      INSERT INTO imported_outcomes (engineer_key, session_id, attempt_seq, at, outcome)
        VALUES (new.engineer_key, new.session_id, new.seq, new.at, new.outcome)
        ON CONFLICT (engineer_key, session_id) DO NOTHING;
    END;
    CREATE TRIGGER imported_outcomes_follow AFTER INSERT ON imported_events_all WHEN new.kind <> 'attempt' AND new.outcome IS NOT NULL BEGIN
      UPDATE imported_outcomes SET outcome = new.outcome
        WHERE engineer_key = new.engineer_key AND session_id = new.session_id AND attempt_seq < new.seq;
    END;
    CREATE TRIGGER imported_outcomes_removed_attempt AFTER DELETE ON imported_events_all WHEN old.kind = 'attempt' BEGIN
      DELETE FROM imported_outcomes WHERE engineer_key = old.engineer_key AND session_id = old.session_id AND attempt_seq = old.seq;
    END;
    CREATE TRIGGER imported_outcomes_removed_follow AFTER DELETE ON imported_events_all WHEN old.kind <> 'attempt' AND old.outcome IS NOT NULL BEGIN
      UPDATE imported_outcomes
        SET outcome = (SELECT o.outcome FROM imported_events_all o INDEXED BY imported_events_bySession WHERE o.engineer_key = old.engineer_key AND o.session_id = old.session_id AND o.outcome IS NOT NULL ORDER BY o.seq DESC LIMIT 1)
        WHERE engineer_key = old.engineer_key AND session_id = old.session_id;
    END;
  `,
};
