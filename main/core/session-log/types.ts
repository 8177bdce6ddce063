import { z } from 'zod';
import { SESSION_OUTCOMES } from '../../../contract/domain/outcomes';
import type { SessionRecordView } from '../../../contract/models';
import { LOG_KIND_RECORDS, LOG_KINDS, type LogKind } from '../../../contract/domain/log-kinds';

/** Session events first; then records of the chain that are not sessions (migration 0007). */
export const EVENT_KINDS = [
  'attempt', 'started', 'ended', 'interrupted', 'summary',
  'policy-change', 'identity', 'roster', 'approval', 'review', 'viewing', 'bundle',
  // A step within an SSH session (migration 0017): a file transferred or refused over its connection.
  'transfer',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** The stored event kinds that begin a listed record: a session's attempt, or a record that is not a session. */
export function listedEventKinds(kind: LogKind | undefined): EventKind[] {
  const records = (kind === undefined ? LOG_KINDS : [kind]).flatMap((k) => LOG_KIND_RECORDS[k]);
  return records.map((r) => (r === 'session' ? 'attempt' : r));
}

const text = z.string().trim().min(1).max(4000);
const optionalText = text.nullish();
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).nullish();
// Reasons are stored newline-separated, so one reason may not contain a line break.
const reason = z.string().trim().min(1).max(1000).regex(/^[^\r\n]*$/, 'a reason is a single line');

/**
 * What a caller hands to SessionLog.append. Validated there: the log is evidence, so a malformed
 * event is refused rather than stored. `at` defaults to now and is normalised to UTC ISO-8601.
 */
export const newSessionEventSchema = z.object({
  sessionId: text.max(200),
  kind: z.enum(EVENT_KINDS),
  at: z.iso.datetime({ offset: true }).optional(),
  engineer: text.max(200),
  ticket: optionalText,
  ticketId: z.number().int().positive().nullish(),
  site: optionalText,
  siteId: z.number().int().positive().nullish(),
  host: optionalText,
  method: optionalText,
  target: optionalText,
  address: optionalText,
  decision: z.enum(['allow', 'deny']).nullish(),
  reasons: z.array(reason).optional(),
  outcome: z.enum(SESSION_OUTCOMES).nullish(),
  bytesIn: count,
  bytesOut: count,
  detail: z.record(z.string(), z.unknown()).optional(),
  summary: z.string().trim().min(1).max(20000).nullish(),
});
export type NewSessionEvent = z.input<typeof newSessionEventSchema>;

/** One stored event, as read back (camelCase; reasons split, detail parsed). */
export interface SessionEvent {
  seq: number;
  sessionId: string;
  kind: EventKind;
  at: string;
  engineer: string;
  ticket: string | null;
  ticketId: number | null;
  site: string | null;
  siteId: number | null;
  host: string | null;
  method: string | null;
  target: string | null;
  address: string | null;
  decision: 'allow' | 'deny' | null;
  reasons: string[];
  outcome: string | null;
  bytesIn: number | null;
  bytesOut: number | null;
  detail: Record<string, unknown>;
  summary: string | null;
  prevHash: string;
  hash: string;
}

/** One session: its attempt merged with what happened after (start, end or interruption, summary). */
export type SessionRecord = SessionRecordView;

export interface SessionLogFilter {
  /** Vendor ticket id, case-insensitive exact match. */
  ticket?: string;
  /** "Customer/site" (exact, case-insensitive) or just "Customer" (all its sites). */
  site?: string;
  method?: string;
  /** The session's latest outcome (e.g. 'denied', 'completed', 'interrupted'). */
  outcome?: string;
  /** Attempt time, inclusive lower bound (ISO; a date alone means its start, UTC). */
  from?: string;
  /** Attempt time, exclusive upper bound (ISO). */
  to?: string;
  engineer?: string;
  /** One kind of record (contract/domain/log-kinds.ts), or (absent) every record of the chain. */
  kind?: LogKind;
  limit?: number;
}

/** What verification found; the last three come from signed checkpoints (accountability/log-audit.ts). */
export type TamperKind = 'edited' | 'deleted' | 'inserted' | 'reordered' | 'truncated' | 'rewritten' | 'bad-checkpoint';

export type VerifyResult =
  | {
    ok: true; count: number; head: { seq: number; hash: string } | null;
    /** The signed checkpoints the log was held to (accountability/log-audit.ts). */
    checkpoints?: { checked: number; latest: { size: number; signedAt: string | null; source: string } | null };
  }
  | { ok: false; seq: number; problem: TamperKind; message: string };

/**
 * The hashed columns, in hash order: everything but `hash`. This list and its order are the hash
 * format; changing either invalidates every stored hash, so a new column needs a new format.
 */
export const EVENT_COLUMNS = [
  'seq', 'session_id', 'kind', 'at', 'engineer', 'ticket', 'ticket_id', 'site', 'site_id', 'host', 'method',
  'target', 'address', 'decision', 'reasons', 'outcome', 'bytes_in', 'bytes_out', 'detail', 'summary', 'prev_hash',
] as const;

/** A row of session_events exactly as SQLite holds it. */
export interface SessionEventRow {
  seq: number;
  session_id: string;
  kind: string;
  at: string;
  engineer: string;
  ticket: string | null;
  ticket_id: number | null;
  site: string | null;
  site_id: number | null;
  host: string | null;
  method: string | null;
  target: string | null;
  address: string | null;
  decision: string | null;
  reasons: string | null;
  outcome: string | null;
  bytes_in: number | null;
  bytes_out: number | null;
  detail: string | null;
  summary: string | null;
  prev_hash: string;
  hash: string;
}
