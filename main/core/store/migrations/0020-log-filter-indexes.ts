import type { Migration } from './types';

/**
 * The log's filters answer as fast when nothing matches as when something does (issue 13 §4). The list
 * is newest first with a limit, so a filter without an index of its own walked session_events_byAt from
 * the newest record looking for matches — all 2.8M records when there were none (1.4–2.2 s). Each
 * filter gets an index that keeps `at` order inside one value, so a page is read in order and a value
 * that matches nothing is one probe:
 * - engineer and method: (value, at);
 * - site: (site, at); "Customer/site" is one value, "Customer" a range of them (list-query.ts);
 * - outcome: a session's latest outcome is not on its attempt row (the log is append-only), so
 *   session_outcomes keeps it per session, by triggers on the log like open_sessions, with
 *   (outcome, at) to read a page of sessions that ended one way in order.
 */
export const migration0020: Migration = {
  version: 20,
  name: 'log-filter-indexes',
  up: `
    CREATE INDEX session_events_byEngineer ON session_events (engineer COLLATE NOCASE, at);
    CREATE INDEX session_events_byMethod ON session_events (method COLLATE NOCASE, at) WHERE method IS NOT NULL;
    CREATE INDEX session_events_bySite ON session_events (site COLLATE NOCASE, at) WHERE site IS NOT NULL;

    CREATE TABLE session_outcomes (
      session_id TEXT PRIMARY KEY,
      attempt_seq INTEGER NOT NULL,
      at TEXT NOT NULL,
      outcome TEXT
    ) STRICT, WITHOUT ROWID;
    INSERT INTO session_outcomes (session_id, attempt_seq, at, outcome)
      SELECT a.session_id, a.seq, a.at,
        (SELECT o.outcome FROM session_events o WHERE o.session_id = a.session_id AND o.outcome IS NOT NULL ORDER BY o.seq DESC LIMIT 1)
      FROM session_events a WHERE a.kind = 'attempt'
      ON CONFLICT (session_id) DO NOTHING;
    CREATE INDEX session_outcomes_byOutcome ON session_outcomes (outcome COLLATE NOCASE, at, attempt_seq) WHERE outcome IS NOT NULL;

    CREATE TRIGGER session_outcomes_attempt AFTER INSERT ON session_events WHEN new.kind = 'attempt' BEGIN
      INSERT INTO session_outcomes (session_id, attempt_seq, at, outcome) VALUES (new.session_id, new.seq, new.at, new.outcome)
        ON CONFLICT (session_id) DO NOTHING;
    END;
    CREATE TRIGGER session_outcomes_follow AFTER INSERT ON session_events WHEN new.kind <> 'attempt' AND new.outcome IS NOT NULL BEGIN
      UPDATE session_outcomes SET outcome = new.outcome WHERE session_id = new.session_id;
    END;
  `,
};
