import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { ApiError } from '../../../contract/errors';
import type { EvidenceAdded, TicketEvidenceList, TicketEvidenceView } from '../../../contract/models';
import type { Db } from '../store/database';
import { systemClock, ticketActionsAt, type TicketClock } from '../tickets/tickets';
import { escapeName } from './transfer-policy';
import { EvidenceFiles } from './evidence-files';
import { EvidencePartial, type PartialIdentity, type StagedBytes } from './evidence-partials';

/** Where a file came from and who brought it; the name is kept exactly as given. */
export interface EvidenceMeta {
  ticketId: number;
  name: string;
  fetchedBy: string;
  site?: string | null;
  host?: string | null;
  remotePath?: string | null;
  sessionId?: string | null;
}

interface EvidenceRow {
  sha256: string; name: string; size: number; fetched_by: string; site: string | null; host: string | null;
  remote_path: string | null; session_id: string | null; added_at: string;
}

const COLUMNS = 'sha256, name, size, fetched_by, site, host, remote_path, session_id, added_at';

function toView(row: EvidenceRow): TicketEvidenceView {
  return {
    sha256: row.sha256, name: row.name, displayName: escapeName(row.name), size: row.size, fetchedBy: row.fetched_by,
    site: row.site, host: row.host, remotePath: row.remote_path,
    displayRemotePath: row.remote_path === null ? null : escapeName(row.remote_path), sessionId: row.session_id, addedAt: row.added_at,
  };
}

/**
 * A ticket's evidence: files kept once by their hash (EvidenceFiles), and a row per ticket saying under
 * which name, from where, by whom and when. Adding the first file while the ticket waits for debug data
 * says the wait can end; it ends only when the engineer confirms (`endRcaWait`), and the ticket's
 * history then names that file.
 */
export class TicketEvidence {
  readonly files: EvidenceFiles;
  private readonly actions: ReturnType<typeof ticketActionsAt>;
  /** Hash checks by file identity: a file rewritten, even to the same size and mtime, gets a new ctime. */
  private readonly checked = new Map<string, { stamp: string; matches: boolean }>();

  constructor(private readonly db: Db, dataDir: string, private readonly clock: TicketClock = systemClock) {
    this.files = new EvidenceFiles(dataDir);
    this.actions = ticketActionsAt(clock);
    this.files.restrict();
    this.files.removeStaleIncoming();
  }

  /**
   * Streams `source` into the store and puts it on the ticket (once per ticket, whatever its name).
   * `staged`: a resumed download's kept bytes (`partial`), which `source` continues.
   */
  async addFromStream(source: Readable | AsyncIterable<Uint8Array>, meta: EvidenceMeta, staged?: StagedBytes): Promise<EvidenceAdded> {
    this.ticketRef(meta.ticketId);
    if (!meta.name || meta.name.includes('\0') || meta.name.includes('/')) {
      throw new ApiError('INVALID_INPUT', `An evidence file needs a name without "/" or NUL; "${escapeName(meta.name)}" is not one.`);
    }
    const kept = await this.files.put(source, staged);
    const addedAt = this.clock().toISOString();
    const inserted = this.db.prepare(
      `INSERT INTO ticket_evidence (ticket_id, ${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ticket_id, sha256) DO NOTHING`,
    ).run(meta.ticketId, kept.sha256, meta.name, kept.size, meta.fetchedBy, meta.site ?? null, meta.host ?? null, meta.remotePath ?? null, meta.sessionId ?? null, addedAt);
    const evidence = this.row(meta.ticketId, kept.sha256)!;
    const endsWith = this.rcaWaitCanEndWith(meta.ticketId);
    return { evidence, alreadyOnTicket: inserted.changes === 0, rcaWaitCanEnd: endsWith?.sha256 === kept.sha256 };
  }

  /** Where a download of this remote file to this ticket keeps what it received, to take up from there if it is cut off. */
  partial(identity: PartialIdentity): EvidencePartial {
    return new EvidencePartial(this.files.dir, identity);
  }

  /** The ticket's files, oldest first, each read and hashed now (unless unchanged on disk since the last check). */
  async list(ticketId: number): Promise<TicketEvidenceList> {
    const ref = this.ticketRef(ticketId);
    const rows = this.rows(ticketId);
    const files = [];
    for (const row of rows) files.push({ ...row, sha256Matches: await this.matches(row.sha256) });
    return { ticketId, ref, files, rcaWaitCanEndWith: this.rcaWaitCanEndWith(ticketId) };
  }

  /** The rows alone, without reading the files. */
  rows(ticketId: number): TicketEvidenceView[] {
    return (this.db.prepare(`SELECT ${COLUMNS} FROM ticket_evidence WHERE ticket_id = ? ORDER BY added_at, id`).all(ticketId) as EvidenceRow[]).map(toView);
  }

  row(ticketId: number, sha256: string): TicketEvidenceView | null {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM ticket_evidence WHERE ticket_id = ? AND sha256 = ?`).get(ticketId, sha256) as EvidenceRow | undefined;
    return row ? toView(row) : null;
  }

  /** One of the ticket's files as a stream that fails with EVIDENCE_MISMATCH at its end if the bytes are not the recorded ones. */
  open(ticketId: number, sha256: string): { evidence: TicketEvidenceView; stream: Readable } {
    const evidence = this.row(ticketId, sha256);
    if (!evidence) throw new ApiError('NOT_FOUND', `Ticket ${this.ticketRef(ticketId)} has no evidence file with SHA-256 ${sha256}.`);
    return { evidence, stream: this.files.open(sha256, evidence.displayName) };
  }

  /**
   * The first file attached since the ticket began waiting for debug data, while it still waits; null
   * when it does not wait or nothing came since.
   */
  rcaWaitCanEndWith(ticketId: number): TicketEvidenceView | null {
    const row = this.db.prepare(
      `SELECT ${COLUMNS.split(', ').map((c) => `e.${c}`).join(', ')} FROM rca_waits w JOIN ticket_evidence e ON e.ticket_id = w.ticket_id AND e.added_at >= w.started_at
        WHERE w.ticket_id = ? AND w.ended_at IS NULL ORDER BY e.added_at, e.id LIMIT 1`,
    ).get(ticketId) as EvidenceRow | undefined;
    return row ? toView(row) : null;
  }

  /**
   * The engineer's confirmation that this file is the debug data the RCA waited for: the wait ends and the
   * ticket's history says which file ended it.
   */
  endRcaWait(ticketId: number, sha256: string, engineer: string): void {
    const ref = this.ticketRef(ticketId);
    const waiting = this.db.prepare('SELECT started_at FROM rca_waits WHERE ticket_id = ? AND ended_at IS NULL').get(ticketId) as { started_at: string } | undefined;
    if (!waiting) throw new ApiError('CONFLICT', `Ticket ${ref} is not waiting for debug data.`);
    const evidence = this.row(ticketId, sha256);
    if (!evidence) throw new ApiError('NOT_FOUND', `Ticket ${ref} has no evidence file with SHA-256 ${sha256}.`);
    if (evidence.addedAt < waiting.started_at) {
      throw new ApiError('CONFLICT', `"${evidence.displayName}" was attached to ${ref} before it began waiting for debug data (${waiting.started_at}); only a file that came since can end the wait.`);
    }
    this.actions.rcaWait(this.db, ticketId, engineer, false, `debug data received: ${evidence.displayName} (sha256 ${sha256})`);
  }

  private async matches(sha256: string): Promise<boolean | null> {
    const stat = fs.statSync(this.files.fileOf(sha256), { throwIfNoEntry: false, bigint: true });
    if (!stat) return null;
    const stamp = `${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
    const known = this.checked.get(sha256);
    if (known?.stamp === stamp) return known.matches;
    const matches = await this.files.matches(sha256);
    if (matches === null) return null;
    this.checked.set(sha256, { stamp, matches });
    return matches;
  }

  private ticketRef(ticketId: number): string {
    const ticket = this.db.prepare('SELECT ref FROM tickets WHERE id = ?').get(ticketId) as { ref: string } | undefined;
    if (!ticket) throw new ApiError('NOT_FOUND', `No ticket with id ${ticketId}.`);
    return ticket.ref;
  }
}
