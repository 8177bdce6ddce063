import type Database from 'better-sqlite3';
import { ApiError } from '../../../contract/errors';
import { nowIso, type Db } from '../store/database';
import { prepared } from '../store/statement-cache';
import { exportCsv, exportJson, exportSessionsCsv, exportSessionsJson } from './export';
import { canonicalJson, GENESIS_HASH, hashRow } from './hash-chain';
import { chooseDriver } from './filter-driver';
import { countQuery, listQuery, type ListCursor } from './list-query';
import { chainRecord, toEvent, toRecord } from './records';
import {
  newSessionEventSchema, type NewSessionEvent, type SessionEvent, type SessionEventRow, type SessionLogFilter,
  type SessionRecord, type VerifyResult,
} from './types';
import { ROW_COLUMNS, verifyChain } from './verify';
import { processAlive } from '../process-alive';

/** A row of listQuery: the event that begins a listed record. */
export interface ListedRow { seq: number; sessionId: string; kind: string; at: string }

/** A recording as found on disk after a crash: hashed exactly as it is, a cut-off last line included. */
export interface LeftRecording { file: string; sha256: string; bytes: number }

export interface InterruptedRecovery {
  /** When the interruption is recorded (default: now). */
  now?: string;
  /** Whether a session's owning process still runs (default: a signal-0 probe). */
  ownerAlive?: (pid: number) => boolean;
  /** The recording a session left behind, or null when it has none. */
  leftRecording?: (sessionId: string) => LeftRecording | null;
}

/**
 * The append-only session log (PRODUCT.md core rule 1): every attempt, allowed or denied, and what
 * became of it. There is deliberately no update or delete here; the table's triggers refuse both and
 * the hash chain (hash-chain.ts, verify.ts) shows it when someone goes around them.
 */
/** Who follows the log as it grows: the Merkle tree (inside the append's transaction) and the checkpoint scheduler (after it). */
export interface SessionLogListener {
  /** Runs inside the append's transaction; throwing rolls the append back. */
  linked?(row: SessionEventRow): void;
  /** Runs after the append returned; must not throw. */
  appended?(event: SessionEvent): void;
}

export class SessionLog {
  private readonly listeners: SessionLogListener[] = [];
  private readonly head: Database.Statement<[], { seq: number; hash: string }>;
  private readonly insert: Database.Statement<[SessionEventRow]>;
  private readonly bySession: Database.Statement<[string], SessionEventRow>;
  private readonly bySeq: Database.Statement<[number], SessionEventRow>;

  constructor(private readonly db: Db) {
    this.head = db.prepare('SELECT seq, hash FROM session_events ORDER BY seq DESC LIMIT 1');
    this.insert = db.prepare(`INSERT INTO session_events (${ROW_COLUMNS}) VALUES (${ROW_COLUMNS.split(', ').map((c) => `@${c}`).join(', ')})`);
    this.bySession = db.prepare(`SELECT ${ROW_COLUMNS} FROM session_events WHERE session_id = ? ORDER BY seq`);
    this.bySeq = db.prepare(`SELECT ${ROW_COLUMNS} FROM session_events WHERE seq = ?`);
  }

  /**
   * Validates the event, then reads the head, numbers, links, hashes and inserts it in one IMMEDIATE
   * transaction, so two processes appending at once queue on the write lock instead of forking the
   * chain. Returns once committed.
   */
  append(input: NewSessionEvent): SessionEvent {
    const row = toRowWithoutChain(input);
    const event = this.db.transaction(() => {
      const head = this.head.get();
      const linked = { ...row, seq: (head?.seq ?? 0) + 1, prev_hash: head?.hash ?? GENESIS_HASH };
      const stored: SessionEventRow = { ...linked, hash: hashRow(linked) };
      this.insert.run(stored);
      for (const listener of this.listeners) listener.linked?.(stored);
      return toEvent(stored);
    }).immediate();
    for (const listener of this.listeners) listener.appended?.(event);
    return event;
  }

  listen(listener: SessionLogListener): void {
    this.listeners.push(listener);
  }

  /** The newest record's number and hash (null for an empty log). */
  headRecord(): { seq: number; hash: string } | null {
    return this.head.get() ?? null;
  }

  /**
   * One record per session and one per record of the chain that is not a session (a policy change, an
   * approval step, an identity, a roster, a review decision, a viewing, a bundle), newest first; `kind`
   * narrows it to one kind (contract/domain/log-kinds.ts).
   */
  list(filter: SessionLogFilter = {}): SessionRecord[] {
    return this.page(filter).records;
  }

  /**
   * The list one page at a time (`filter.limit` records after `after`), for reading a long log without
   * holding it: `next` is where the following page starts, null when this one reached the end.
   */
  page(filter: SessionLogFilter, after?: ListCursor): { records: SessionRecord[]; next: ListCursor | null } {
    return this.db.transaction(() => {
      const { sql, params } = listQuery(filter, after, chooseDriver(this.db, filter));
      const found = prepared(this.db, sql).all(params) as ListedRow[];
      const last = found.at(-1);
      return { records: this.recordsOf(found), next: last && filter.limit !== undefined && found.length === filter.limit ? { at: last.at, seq: last.seq } : null };
    })();
  }

  /** The records that rows of listQuery begin: a session assembled from its events, any other record as it is. */
  recordsOf(found: readonly ListedRow[]): SessionRecord[] {
    return found.flatMap(({ seq, sessionId, kind }) => {
      if (kind === 'attempt') return toRecord(this.events(sessionId)) ?? [];
      const row = this.bySeq.get(seq);
      return row ? [chainRecord(toEvent(row))] : [];
    });
  }

  /** How many records the filter matches (no limit). */
  count(filter: SessionLogFilter): number {
    const { sql, params } = countQuery(filter, chooseDriver(this.db, filter));
    return this.db.prepare(sql).pluck().get(params) as number;
  }

  get(sessionId: string): { record: SessionRecord; events: SessionEvent[] } {
    const events = this.events(sessionId);
    const record = toRecord(events);
    if (!record) throw new ApiError('NOT_FOUND', `No session ${sessionId} in the session log.`);
    return { record, events };
  }

  /** See verifyChain: `expectedHead` (from an exported copy) is what catches a cut-off tail. */
  verify(expectedHead?: { seq: number; hash: string }): VerifyResult {
    return verifyChain(this.db, expectedHead);
  }

  /**
   * Closes every session that started but never ended — the app was killed, crashed or lost power —
   * by appending an 'interrupted' event; nothing is edited and a second call finds nothing to do.
   * A session whose 'started' event names an owner process that is still alive is skipped, so a CLI
   * call next to a running app does not mark the app's live sessions as interrupted. A recording the
   * session left behind is hashed as it is and named in that event, so it is never left unhashed.
   */
  recoverInterrupted(options: InterruptedRecovery = {}): number {
    const { now = nowIso(), ownerAlive = processAlive, leftRecording = () => null } = options;
    return this.db.transaction(() => {
      // open_sessions is kept by triggers on the log (migration 0007): a few rows, however long the log.
      const open = this.db
        .prepare('SELECT session_id AS sessionId, engineer, started_detail AS startedDetail FROM open_sessions')
        .all() as { sessionId: string; engineer: string; startedDetail: string | null }[];
      // A session whose owning process still runs (another window or CLI on this data dir) is live, not interrupted.
      const dead = open.filter(({ startedDetail }) => {
        const owner = startedDetail ? (JSON.parse(startedDetail) as { ownerPid?: unknown }).ownerPid : undefined;
        return !(typeof owner === 'number' && owner !== process.pid && ownerAlive(owner));
      });
      for (const { sessionId, engineer } of dead) {
        const recording = leftRecording(sessionId);
        this.append({
          sessionId, engineer, kind: 'interrupted', at: now, outcome: 'interrupted',
          detail: {
            interruption: 'Switchboard stopped before the session ended; recorded at its next start.',
            ...(recording ? { recording: recording.file, recordingSha256: recording.sha256, recordingBytes: recording.bytes, recordingInterrupted: true } : {}),
          },
        });
      }
      return dead.length;
    }).immediate();
  }

  exportCsv(): string {
    return exportCsv(this.db);
  }

  /** One row per session, oldest first, read in one transaction with the head it reflects. */
  exportSessions(format: 'csv' | 'json', exportedAt: string = nowIso()): string {
    return this.db.transaction(() => {
      const records = this.list({ kind: 'session' }).reverse();
      if (format === 'csv') return exportSessionsCsv(records);
      return exportSessionsJson(records, this.head.get() ?? null, exportedAt);
    })();
  }

  /** Everyone who has attempted a session, for the log's engineer filter. */
  engineers(): string[] {
    return this.db.prepare("SELECT DISTINCT engineer FROM session_events WHERE kind = 'attempt' ORDER BY engineer COLLATE NOCASE").pluck().all() as string[];
  }

  exportJson(exportedAt: string = nowIso()): string {
    return exportJson(this.db, exportedAt);
  }

  private events(sessionId: string): SessionEvent[] {
    return this.bySession.all(sessionId).map(toEvent);
  }
}

function toRowWithoutChain(input: NewSessionEvent): Omit<SessionEventRow, 'seq' | 'prev_hash' | 'hash'> {
  const parsed = newSessionEventSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ApiError('INVALID_INPUT', `Session event ${issue.path.join('.') || '(event)'}: ${issue.message}`);
  }
  const e = parsed.data;
  let detail: string | null = null;
  if (e.detail && Object.keys(e.detail).length > 0) {
    try {
      detail = canonicalJson(e.detail);
    } catch (error) {
      throw new ApiError('INVALID_INPUT', `Session event detail: ${(error as Error).message}`);
    }
  }
  return {
    session_id: e.sessionId,
    kind: e.kind,
    at: e.at === undefined ? nowIso() : new Date(e.at).toISOString(),
    engineer: e.engineer,
    ticket: e.ticket ?? null,
    ticket_id: e.ticketId ?? null,
    site: e.site ?? null,
    site_id: e.siteId ?? null,
    host: e.host ?? null,
    method: e.method ?? null,
    target: e.target ?? null,
    address: e.address ?? null,
    decision: e.decision ?? null,
    reasons: e.reasons && e.reasons.length > 0 ? e.reasons.join('\n') : null,
    outcome: e.outcome ?? null,
    bytes_in: e.bytesIn ?? null,
    bytes_out: e.bytesOut ?? null,
    detail,
    summary: e.summary ?? null,
  };
}
