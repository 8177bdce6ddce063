import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../../contract/errors';
import type { EvidenceExportView, TicketEvidenceView } from '../../../contract/models';
import { PRIVATE_FILE_MODE } from '../private-files';
import type { TicketEvidence } from './evidence';
import { TarWriter } from './tar-writer';

export const MANIFEST_FORMAT = 'switchboard-evidence/1';

export interface ArchiveTicket { id: number; ref: string; customerName: string; siteName: string }

export interface ManifestFile {
  /** Where the file is in the archive, below the archive's folder. */
  path: string;
  name: string;
  size: number;
  sha256: string;
  fetchedBy: string;
  site: string | null;
  host: string | null;
  remotePath: string | null;
  sessionId: string | null;
  addedAt: string;
}

export interface EvidenceManifest {
  format: typeof MANIFEST_FORMAT;
  ticket: { ref: string; customer: string; site: string };
  createdAt: string;
  createdBy: string;
  files: ManifestFile[];
}

/** A name safe to unpack anywhere: no folders, no control characters, not too long; the hash prefix keeps two same-named files apart. */
function archiveName(evidence: TicketEvidenceView): string {
  const safe = evidence.name.replace(/[\u0000-\u001f\u007f-\u009f/\\]/g, '_').replace(/^\.+/, '_').slice(0, 180) || 'file';
  return `files/${evidence.sha256.slice(0, 12)}-${safe}`;
}

export function manifestOf(ticket: ArchiveTicket, files: TicketEvidenceView[], createdAt: string, createdBy: string): EvidenceManifest {
  return {
    format: MANIFEST_FORMAT,
    ticket: { ref: ticket.ref, customer: ticket.customerName, site: ticket.siteName },
    createdAt,
    createdBy,
    files: files.map((f) => ({
      path: archiveName(f), name: f.name, size: f.size, sha256: f.sha256, fetchedBy: f.fetchedBy,
      site: f.site, host: f.host, remotePath: f.remotePath, sessionId: f.sessionId, addedAt: f.addedAt,
    })),
  };
}

/** The manifest for a person (the customer, the RCA's reader): one paragraph per file. */
export function manifestText(manifest: EvidenceManifest, displayName: (name: string) => string): string {
  const lines = [
    `Evidence for ticket ${manifest.ticket.ref} (${manifest.ticket.customer} / ${manifest.ticket.site})`,
    `Archive created ${manifest.createdAt} by ${manifest.createdBy}; ${manifest.files.length} file${manifest.files.length === 1 ? '' : 's'}.`,
    'Each file is named by the start of its SHA-256; check them all with `sha256sum -c SHA256SUMS` in this folder.',
    '',
  ];
  for (const f of manifest.files) {
    const remotePath = f.remotePath === null ? null : displayName(f.remotePath);
    const where = [f.site, f.host && remotePath ? `${f.host}:${remotePath}` : (f.host ?? remotePath)].filter(Boolean).join(' / ');
    lines.push(
      f.path,
      `  name:     ${displayName(f.name)}`,
      `  size:     ${f.size} bytes`,
      `  sha256:   ${f.sha256}`,
      `  fetched:  ${f.addedAt} by ${f.fetchedBy}`,
      `  from:     ${where || 'not recorded'}${f.sessionId ? ` (session ${f.sessionId})` : ''}`,
      '',
    );
  }
  return lines.join('\n');
}

/**
 * Writes one tar of the ticket's evidence to `outFile` (which must not exist): a folder named after the
 * ticket with manifest.json, MANIFEST.txt, SHA256SUMS and the files. Each file is streamed from the store
 * with its hash checked as it goes; a file that no longer matches fails the export (EVIDENCE_MISMATCH)
 * and the partial archive is removed — an archive never carries a file that is not what was recorded.
 */
export async function writeEvidenceArchive(
  evidence: TicketEvidence,
  ticket: ArchiveTicket,
  outFile: string,
  createdBy: string,
  now: Date,
  displayName: (name: string) => string,
): Promise<EvidenceExportView> {
  const files = evidence.rows(ticket.id);
  if (files.length === 0) throw new ApiError('NOT_FOUND', `Ticket ${ticket.ref} has no evidence to export.`);
  const target = path.resolve(outFile);
  const createdAt = now.toISOString();
  const manifest = manifestOf(ticket, files, createdAt, createdBy);
  const folder = `${ticket.ref.replace(/[^A-Za-z0-9._-]/g, '_')}-evidence`;
  const mtime = now;

  let out: fs.WriteStream;
  try {
    await fsp.mkdir(path.dirname(target), { recursive: true });
    const handle = await fsp.open(target, 'wx', PRIVATE_FILE_MODE);
    out = handle.createWriteStream();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new ApiError('CONFLICT', `${target} already exists; choose another file name (an export never overwrites a file).`);
    throw new ApiError('INVALID_INPUT', `Cannot write the archive to ${target}: ${(error as Error).message}.`);
  }
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => {});
  const tar = new TarWriter(out);
  try {
    await Promise.race([failed, (async () => {
      await tar.addBuffer({ name: `${folder}/manifest.json`, mtime }, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
      await tar.addBuffer({ name: `${folder}/MANIFEST.txt`, mtime }, Buffer.from(manifestText(manifest, displayName)));
      await tar.addBuffer({ name: `${folder}/SHA256SUMS`, mtime }, Buffer.from(manifest.files.map((f) => `${f.sha256}  ${f.path}\n`).join('')));
      for (const file of manifest.files) {
        const { stream } = evidence.open(ticket.id, file.sha256);
        try {
          await tar.addFile({ name: `${folder}/${file.path}`, size: file.size, mtime: new Date(file.addedAt) }, stream);
        } finally {
          stream.destroy();
        }
      }
      await tar.finish();
    })()]);
  } catch (error) {
    out.destroy();
    await fsp.rm(target, { force: true });
    if (error instanceof ApiError) throw error;
    throw new ApiError('INTERNAL', `The evidence archive ${target} could not be written: ${(error as Error).message}. The partial file was removed.`);
  }
  return { file: target, bytes: tar.bytes, files: files.length, createdAt };
}
