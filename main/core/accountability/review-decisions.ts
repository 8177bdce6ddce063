import { ApiError } from '../../../contract/errors';
import type { ReviewSessionView, ReviewState } from '../../../contract/review';
import type { SessionLog } from '../session-log/session-log';
import { nowIso, type Db } from '../store/database';
import type { Identities, Identity } from './identity';
import { toSessionView, type ReviewQueue, type ReviewSessionRow } from './review-queue';
import type { TeamRoster } from './team-roster';

export interface ReviewParts { db: Db; log: SessionLog; identities: Identities; roster: TeamRoster; queue: ReviewQueue }

/**
 * The identity of this data dir, if it is a lead of the current roster; NOT_A_LEAD otherwise. The
 * roster decides, not the role a person gave themself at `identity init`.
 */
export function requireLead(identities: Identities, roster: TeamRoster, doing: string): Identity {
  const me = identities.require();
  if (!roster.leads().some((lead) => lead.fingerprint === me.fingerprint)) {
    const current = roster.current();
    const why = !current
      ? 'this data dir has no team roster yet'
      : roster.member(me.fingerprint) ? `the roster of ${current.roster.team} lists them as an engineer` : `their key is not in the roster of ${current.roster.team}`;
    throw new ApiError('NOT_A_LEAD', `${me.name} <${me.email}> (${me.fingerprint}) cannot ${doing}: ${why}. Only a lead of the current team roster may.`);
  }
  return me;
}

/**
 * A lead's review decisions. Each is a signed record: a 'review' record in the lead's own hash chain
 * (which the checkpoint scheduler then signs), naming the engineer, their key, the session and the
 * hashes of the engineer's records it covers, and a row of review_decisions pointing at it — both in
 * one transaction, so the queue's state never says more than the chain does.
 */
export class ReviewDecisions {
  constructor(private readonly parts: ReviewParts) {}

  mark(id: number, state: ReviewState, comment?: string): ReviewSessionView {
    const { db, log, identities, roster, queue } = this.parts;
    const lead = requireLead(identities, roster, 'review sessions');
    const text = comment?.trim() || null;
    if (state === 'flagged' && !text) {
      throw new ApiError('INVALID_INPUT', 'A flagged session needs a comment saying what is wrong, so the engineer and the next reviewer know.', [{ path: 'comment', message: 'say why the session is flagged' }]);
    }
    return db.transaction(() => {
      const row: ReviewSessionRow = queue.row(id);
      const covers = queue.recordHashes(row);
      const at = nowIso();
      const record = log.append({
        sessionId: `review-${row.session_id}`,
        kind: 'review',
        at,
        engineer: lead.email,
        ticket: row.ticket,
        site: row.customer && row.site ? `${row.customer}/${row.site}` : row.site ?? row.customer,
        host: row.host,
        method: row.method,
        summary: `${STATE_WORDS[state]}: ${row.engineer}'s session ${row.session_id}${text ? ` — ${text}` : ''}`,
        detail: {
          engineer: row.engineer, engineerKey: row.engineer_key, session: row.session_id, state, previousState: row.state,
          ...(text ? { comment: text } : {}),
          reviewer: { name: lead.name, email: lead.email, fingerprint: lead.fingerprint },
          records: covers.map((r) => r.hash), firstSeq: covers[0]?.seq ?? null, lastSeq: covers.at(-1)?.seq ?? null,
        },
      });
      db.prepare('INSERT INTO review_decisions (review_session_id, state, comment, decided_by, decided_at, log_seq) VALUES (?, ?, ?, ?, ?, ?)')
        .run(row.id, state, text, lead.email, at, record.seq);
      db.prepare('UPDATE review_sessions_all SET state = ?, state_comment = ?, state_at = ? WHERE id = ?').run(state, text, at, row.id);
      return toSessionView(queue.row(id));
    }).immediate();
  }
}

const STATE_WORDS: Record<ReviewState, string> = {
  unreviewed: 'Back to unreviewed',
  reviewed: 'Reviewed',
  flagged: 'Flagged',
  'signed-off': 'Signed off',
};
