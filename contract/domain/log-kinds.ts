/**
 * What the session log holds, as a reader filters it. The chain has sessions and records that are not
 * sessions (migration 0007); a lead asks for them by what they are about, not by the stored event kind:
 * `team` is who is who (identities, rosters), `review` is the lead's side (review decisions, viewings,
 * bundles).
 */
export const LOG_KINDS = ['session', 'policy-change', 'approval', 'team', 'review'] as const;
export type LogKind = (typeof LOG_KINDS)[number];

export const LOG_KIND_LABELS: Readonly<Record<LogKind, string>> = {
  session: 'Sessions', 'policy-change': 'Policy changes', approval: 'Approvals', team: 'Team', review: 'Reviews',
};

/** The kind of one listed record: a session, or the stored kind of a record that is not a session. */
export const LOG_RECORD_KINDS = ['session', 'policy-change', 'approval', 'identity', 'roster', 'review', 'viewing', 'bundle'] as const;
export type LogRecordKind = (typeof LOG_RECORD_KINDS)[number];

/** Which record kinds each filter value lists. Every record kind is in exactly one (a unit test holds it). */
export const LOG_KIND_RECORDS: Readonly<Record<LogKind, readonly LogRecordKind[]>> = {
  session: ['session'],
  'policy-change': ['policy-change'],
  approval: ['approval'],
  team: ['identity', 'roster'],
  review: ['review', 'viewing', 'bundle'],
};

export const LOG_RECORD_LABELS: Readonly<Record<LogRecordKind, string>> = {
  session: 'Session', 'policy-change': 'Policy change', approval: 'Approval', identity: 'Identity', roster: 'Roster',
  review: 'Review', viewing: 'Viewing', bundle: 'Bundle',
};
