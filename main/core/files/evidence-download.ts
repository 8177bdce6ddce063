import type { SFTPWrapper } from 'ssh2';
import { remoteChunks, type RemoteSource, type TransferHooks } from './download';
import type { EvidencePartial, PartialIdentity, StagedBytes } from './evidence-partials';
import { CANCELLED } from './sftp-io';

/** Who fetched the file from where, for its row on the ticket. */
export interface EvidenceDownloadMeta { ticketId: number; name: string; fetchedBy: string; site: string | null; host: string | null; remotePath: string; sessionId: string }

/** The ticket's evidence store, as far as a download needs it (files/evidence.ts TicketEvidence). */
export interface EvidenceSink {
  /** Writes each chunk before it takes the next (the download reuses its buffers), hashing what it writes. */
  addFromStream(source: AsyncIterable<Uint8Array>, meta: EvidenceDownloadMeta, staged?: StagedBytes): Promise<{ evidence: { sha256: string; size: number }; rcaWaitCanEnd: boolean }>;
  partial(identity: PartialIdentity): EvidencePartial;
}

export interface EvidenceDownload { sha256: string; size: number; resumedFrom: number | null; rcaWaitCanEnd: boolean }

/**
 * Streams a remote file into a ticket's evidence. The bytes go to a partial in the evidence folder,
 * which becomes the evidence file once whole: a download cut off keeps them, and the next download of
 * that same remote file (same site, host, real path, size and time) to that same ticket re-hashes them
 * and fetches only the rest. A cancel keeps nothing. Two downloads of one file to one ticket at once:
 * the second one does not share the partial, it goes through a temp file of its own (not resumable).
 */
export async function downloadToEvidence(sftp: SFTPWrapper, source: RemoteSource, sink: EvidenceSink, meta: EvidenceDownloadMeta, hooks: TransferHooks): Promise<EvidenceDownload> {
  const partial = sink.partial({ ticketId: meta.ticketId, site: meta.site, host: meta.host, remotePath: source.path, size: source.size, mtime: source.mtime });
  if (!partial.claim()) return keep(sftp, source, sink, meta, hooks, null);
  try {
    return await keep(sftp, source, sink, meta, hooks, partial);
  } finally {
    partial.release();
  }
}

async function keep(sftp: SFTPWrapper, source: RemoteSource, sink: EvidenceSink, meta: EvidenceDownloadMeta, hooks: TransferHooks, partial: EvidencePartial | null): Promise<EvidenceDownload> {
  const staged = partial ? await partial.begin() : undefined;
  // The store hashes what it writes, on from the kept start's hash: that is the file's SHA-256.
  const remote = await remoteChunks(sftp, source, hooks, staged?.keptBytes ?? 0);
  let added: Awaited<ReturnType<EvidenceSink['addFromStream']>>;
  try {
    added = await sink.addFromStream(remote.chunks, meta, staged);
    await remote.done;
  } catch (error) {
    if (hooks.signal.aborted && hooks.signal.reason === CANCELLED) partial?.discard();
    throw error;
  }
  // The staged bytes are the evidence file now (renamed to their hash); only the note is left to remove.
  partial?.discard();
  return { sha256: added.evidence.sha256, size: source.size, resumedFrom: staged && staged.keptBytes > 0 ? staged.keptBytes : null, rcaWaitCanEnd: added.rcaWaitCanEnd };
}
