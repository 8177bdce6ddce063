import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ApiError } from '../../../contract/errors';
import type { EvidenceAdded, EvidenceExportView, Ticket, TicketEvidenceList, TicketEvidenceView } from '../../../contract/models';
import { escapeName } from '../files/transfer-policy';
import { TicketEvidence, type EvidenceMeta } from '../files/evidence';
import type { EvidencePartial, PartialIdentity, StagedBytes } from '../files/evidence-partials';
import { writeEvidenceArchive } from '../files/evidence-archive';
import type { Db } from '../store/database';
import { systemClock, type TicketClock } from '../tickets/tickets';
import type { CurrentEngineer } from '../who';
import type { TicketService } from './tickets';

/** A file for a ticket's evidence; `fetchedBy` defaults to the engineer at the keyboard. */
export type EvidenceInput = Omit<EvidenceMeta, 'fetchedBy'> & { fetchedBy?: string };

/**
 * Files on a ticket as evidence: kept by their SHA-256 in the data dir, listed with who fetched them
 * from where and when, checked on every opening, exported as one archive with a manifest; the first
 * file attached while the ticket waits for debug data may end the wait, once the engineer confirms.
 */
export interface EvidenceService {
  /** Streams `source` into the ticket's evidence (an SFTP download with toEvidence, a local file). */
  add(source: Readable | AsyncIterable<Uint8Array>, input: EvidenceInput): Promise<EvidenceAdded>;
  /** The same, with who fetched it named (what a download to evidence calls: files/file-transfers.ts's EvidenceSink). */
  addFromStream(source: Readable | AsyncIterable<Uint8Array>, meta: EvidenceMeta, staged?: StagedBytes): Promise<EvidenceAdded>;
  /** Where a download to the ticket's evidence keeps the bytes it received, so that a cut-off one can be resumed. */
  partial(identity: PartialIdentity): EvidencePartial;
  /** A file on this machine as evidence: its absolute path is recorded as where it came from. */
  attachLocalFile(ticketId: number, file: string): Promise<EvidenceAdded>;
  list(ticketId: number): Promise<TicketEvidenceList>;
  /** The file's bytes; the stream fails with EVIDENCE_MISMATCH at its end when they are not the recorded ones. */
  open(ticketId: number, sha256: string): Promise<{ evidence: TicketEvidenceView; stream: Readable }>;
  /** One tar of the ticket's evidence with its manifest; `outFile` must not exist (default: a new file in the export folder). */
  export(ticketId: number, outFile?: string): Promise<EvidenceExportView>;
  /** The engineer confirms that this file is the debug data the RCA waited for. */
  endRcaWait(ticketId: number, sha256: string): Promise<Ticket>;
}

/**
 * Where an export goes when no file is named: $SWITCHBOARD_EXPORT_DIR, else the user's Downloads folder,
 * else the data dir's exports folder.
 */
export function defaultExportDir(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.SWITCHBOARD_EXPORT_DIR && path.isAbsolute(env.SWITCHBOARD_EXPORT_DIR)) return env.SWITCHBOARD_EXPORT_DIR;
  const downloads = path.join(os.homedir(), 'Downloads');
  return fs.existsSync(downloads) ? downloads : path.join(dataDir, 'exports');
}

export class SqliteEvidence implements EvidenceService {
  private readonly evidence: TicketEvidence;

  constructor(
    db: Db,
    private readonly dataDir: string,
    private readonly engineer: CurrentEngineer,
    private readonly tickets: TicketService,
    private readonly clock: TicketClock = systemClock,
  ) {
    this.evidence = new TicketEvidence(db, dataDir, clock);
  }

  add(source: Readable | AsyncIterable<Uint8Array>, input: EvidenceInput): Promise<EvidenceAdded> {
    return this.evidence.addFromStream(source, { ...input, fetchedBy: input.fetchedBy ?? this.engineer() });
  }

  addFromStream(source: Readable | AsyncIterable<Uint8Array>, meta: EvidenceMeta, staged?: StagedBytes): Promise<EvidenceAdded> {
    return this.evidence.addFromStream(source, meta, staged);
  }

  partial(identity: PartialIdentity): EvidencePartial {
    return this.evidence.partial(identity);
  }

  async attachLocalFile(ticketId: number, file: string): Promise<EvidenceAdded> {
    const absolute = path.resolve(file);
    const stat = fs.statSync(absolute, { throwIfNoEntry: false });
    if (!stat?.isFile()) throw new ApiError('NOT_FOUND', `${absolute} is not a file; give the path of the file to attach.`);
    return this.add(fs.createReadStream(absolute), { ticketId, name: path.basename(absolute), host: os.hostname(), remotePath: absolute });
  }

  list(ticketId: number): Promise<TicketEvidenceList> {
    return this.evidence.list(ticketId);
  }

  async open(ticketId: number, sha256: string): Promise<{ evidence: TicketEvidenceView; stream: Readable }> {
    return this.evidence.open(ticketId, sha256);
  }

  async export(ticketId: number, outFile?: string): Promise<EvidenceExportView> {
    const ticket = await this.tickets.get(ticketId);
    const now = this.clock();
    const target = outFile ?? path.join(defaultExportDir(this.dataDir), `${ticket.ref.replace(/[^A-Za-z0-9._-]/g, '_')}-evidence-${now.toISOString().replace(/[:.]/g, '-')}.tar`);
    return writeEvidenceArchive(this.evidence, ticket, target, this.engineer(), now, escapeName);
  }

  async endRcaWait(ticketId: number, sha256: string): Promise<Ticket> {
    this.evidence.endRcaWait(ticketId, sha256, this.engineer());
    return this.tickets.get(ticketId);
  }
}
