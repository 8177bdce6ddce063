import type { EventKind, SessionEvent, SessionEventRow, SessionRecord } from './types';

/** A stored row as the app sees it: reasons split into lines, detail parsed. */
export function toEvent(row: SessionEventRow): SessionEvent {
  return {
    seq: row.seq,
    sessionId: row.session_id,
    kind: row.kind as EventKind, // the column's CHECK allows nothing else
    at: row.at,
    engineer: row.engineer,
    ticket: row.ticket,
    ticketId: row.ticket_id,
    site: row.site,
    siteId: row.site_id,
    host: row.host,
    method: row.method,
    target: row.target,
    address: row.address,
    decision: row.decision as SessionEvent['decision'],
    reasons: row.reasons ? row.reasons.split('\n') : [],
    outcome: row.outcome,
    bytesIn: row.bytes_in,
    bytesOut: row.bytes_out,
    detail: row.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : {},
    summary: row.summary,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * Folds a session's events (in seq order) into one record: the attempt says who, what, where and
 * why it was allowed or denied; later events add what happened. The latest non-null value wins, so
 * an 'interrupted' written at the next start overrides a 'connected' from the 'started' event.
 */
export function toRecord(events: readonly SessionEvent[]): SessionRecord | undefined {
  const attempt = events.find((e) => e.kind === 'attempt');
  if (!attempt) return events[0]?.kind === 'policy-change' ? policyChangeRecord(events[0]) : undefined;
  const record: SessionRecord = {
    kind: 'session',
    sessionId: attempt.sessionId,
    engineer: attempt.engineer,
    ticket: attempt.ticket,
    ticketId: attempt.ticketId,
    site: attempt.site,
    siteId: attempt.siteId,
    host: attempt.host,
    method: attempt.method,
    target: attempt.target,
    address: attempt.address,
    decision: attempt.decision,
    reasons: attempt.reasons,
    startedAt: attempt.at,
    endedAt: null,
    outcome: attempt.outcome,
    bytesIn: attempt.bytesIn,
    bytesOut: attempt.bytesOut,
    detail: { ...attempt.detail },
    summary: attempt.summary,
    summaryBy: attempt.summary === null ? null : attempt.engineer,
  };
  for (const event of events) {
    if (event === attempt) continue;
    if (event.kind === 'ended' || event.kind === 'interrupted') record.endedAt = event.at;
    if (event.outcome !== null) record.outcome = event.outcome;
    if (event.bytesIn !== null) record.bytesIn = event.bytesIn;
    if (event.bytesOut !== null) record.bytesOut = event.bytesOut;
    if (event.address !== null) record.address = event.address;
    if (event.summary !== null) {
      record.summary = event.summary;
      record.summaryBy = event.engineer;
    }
    Object.assign(record.detail, event.detail);
  }
  return record;
}

/** A change to the policy's data is one record of its own: who, when, the ticket, where, and its detail (before → after). */
function policyChangeRecord(change: SessionEvent): SessionRecord {
  return {
    kind: 'policy-change',
    sessionId: change.sessionId,
    engineer: change.engineer,
    ticket: change.ticket,
    ticketId: change.ticketId,
    site: change.site,
    siteId: change.siteId,
    host: change.host,
    method: null,
    target: null,
    address: null,
    decision: null,
    reasons: [],
    startedAt: change.at,
    endedAt: change.at,
    outcome: null,
    bytesIn: null,
    bytesOut: null,
    detail: { ...change.detail },
    summary: null,
    summaryBy: null,
  };
}
