import { LOG_RECORD_KINDS, LOG_RECORD_LABELS, type LogRecordKind } from '../../../contract/domain/log-kinds';
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
  if (!attempt) return events[0] && isChainRecord(events[0].kind) ? chainRecord(events[0]) : undefined;
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
    // A file moved within the session is a line of its own, not a change to the session's outcome or counters.
    if (event.kind === 'transfer') {
      const transfers = (record.detail.transfers ??= []) as unknown[];
      transfers.push({ at: event.at, ...event.detail, ...(event.decision === 'deny' ? { refused: event.reasons.join(' ') } : {}) });
      continue;
    }
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

/**
 * A record of the chain that is not a session — a change to the policy, an approval step, an identity,
 * a roster, a review decision, a viewing, a bundle — is one row of its own: who, when, the ticket and
 * place it names, its detail, and one line saying what it is.
 */
export function chainRecord(event: SessionEvent): SessionRecord {
  const kind = event.kind as Exclude<LogRecordKind, 'session'>; // callers hand only LISTED kinds other than 'attempt'
  return {
    kind,
    seq: event.seq,
    description: describeRecord(event),
    sessionId: event.sessionId,
    engineer: event.engineer,
    ticket: event.ticket,
    ticketId: event.ticketId,
    site: event.site,
    siteId: event.siteId,
    host: event.host,
    method: event.method,
    target: event.target,
    address: event.address,
    decision: event.decision,
    reasons: event.reasons,
    startedAt: event.at,
    endedAt: event.at,
    outcome: event.outcome,
    bytesIn: event.bytesIn,
    bytesOut: event.bytesOut,
    detail: { ...event.detail },
    summary: event.summary,
    summaryBy: event.summary === null ? null : event.engineer,
  };
}

/** A kind whose event is a record of its own rather than a step of a session ('session' is no event kind). */
export const isChainRecord = (kind: EventKind): boolean => (LOG_RECORD_KINDS as readonly string[]).includes(kind);

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/** The record's own words when it has them (a policy change's description, a summary), else what its detail says. */
export function describeRecord(event: SessionEvent): string {
  const { detail } = event;
  const own = text(detail.description) ?? text(event.summary);
  if (own) return own.split('\n')[0]!;
  if (event.kind === 'identity') {
    return `Identity ${text(detail.name) ?? event.engineer}${text(detail.email) ? ` <${text(detail.email)}>` : ''} created as ${text(detail.role) ?? 'engineer'}${text(detail.fingerprint) ? `, key ${text(detail.fingerprint)}` : ''}`;
  }
  const step = text(detail.step)?.replace(/-/g, ' ');
  return `${LOG_RECORD_LABELS[event.kind as LogRecordKind] ?? event.kind}${step ? ` ${step}` : ''}`;
}
