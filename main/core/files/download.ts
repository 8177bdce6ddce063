import fs from 'node:fs';
import path from 'node:path';
import type { SFTPWrapper } from 'ssh2';
import { closeRemote, openRemote } from './remote-fs';
import { hashKeptStart, keptStartBytes, noteKeptStart } from './kept-start';
import { freeLocalName, PART_SUFFIX, RESUME_SUFFIX } from './local-names';
import { QuickDiskIo } from './quick-disk-io';
import { CANCELLED, readRemoteRange, type PipelineOptions } from './sftp-io';

/** The remote file as stat'ed after the policy allowed it: its real path (symlinks resolved), size and time. */
export interface RemoteSource { path: string; size: number; mtime: number }

export interface TransferHooks {
  signal: AbortSignal;
  /** Called once the total is known (and, for a resumed download, where it takes up). */
  onStart?(total: number, resumedFrom: number): void;
  onBytes(count: number): void;
  pipeline?: Omit<PipelineOptions, 'signal'>;
}

export interface DownloadResult { localPath: string; localName: string; size: number; sha256: string; resumedFrom: number | null }

/** Moves the finished part to its name without ever replacing a file that appeared meanwhile (link fails on an existing name). */
function publish(dir: string, part: string, wanted: string): string {
  for (let name = wanted; ; name = freeLocalName(dir, wanted)) {
    try {
      fs.linkSync(part, path.join(dir, name));
      fs.unlinkSync(part);
      return name;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

async function openRead(sftp: SFTPWrapper, source: RemoteSource): Promise<Buffer> {
  return openRemote(sftp, source.path, 'r');
}

/**
 * Streams a remote file into `dir` as `<name>.part` (hashing it on the way), then gives it its name —
 * the first free one: an existing file is never replaced. A failure keeps the part and a note of the
 * remote file it belongs to, so the next download of that file into that folder re-hashes the kept
 * bytes and takes up from there; a cancel removes them.
 */
export async function downloadToFile(sftp: SFTPWrapper, source: RemoteSource, dir: string, name: string, hooks: TransferHooks): Promise<DownloadResult> {
  const localName = freeLocalName(dir, name, (candidate) => partsWritten.has(path.join(dir, candidate + PART_SUFFIX)));
  const part = path.join(dir, localName + PART_SUFFIX);
  partsWritten.add(part);
  try {
    return await downloadInto(sftp, source, dir, localName, part, hooks);
  } finally {
    partsWritten.delete(part);
  }
}

/** The parts downloads in this process are writing now. */
const partsWritten = new Set<string>();

async function downloadInto(sftp: SFTPWrapper, source: RemoteSource, dir: string, localName: string, part: string, hooks: TransferHooks): Promise<DownloadResult> {
  const noteFile = path.join(dir, localName + RESUME_SUFFIX);
  // The same remote file: same real path, size and time.
  const identity = { remotePath: source.path, size: source.size, mtime: source.mtime };
  const offset = keptStartBytes(part, noteFile, identity);
  noteKeptStart(noteFile, identity);
  const hash = await hashKeptStart(part, offset);
  hooks.onStart?.(source.size, offset);
  const handle = await openRead(sftp, source);
  const out = await fs.promises.open(part, offset > 0 ? 'r+' : 'w', 0o600);
  let received = 0;
  const disk = new QuickDiskIo(out);
  try {
    // Each chunk is written (awaited) before the next is asked for, so the reader may reuse its buffers.
    for await (const data of readRemoteRange(sftp, handle, offset, source.size, { ...hooks.pipeline, signal: hooks.signal, reuseBuffers: true })) {
      hash.update(data);
      await disk.write(data, offset + received);
      received += data.length;
      hooks.onBytes(data.length);
    }
    if (offset + received !== source.size) throw new Error(`the file was ${source.size} bytes when the download began and ended after ${offset + received}; it changed meanwhile — download it again`);
    // Not fsynced: a download to a folder is the engineer's copy, kept as `sftp get` and `scp` keep theirs
    // (the kernel writes it back within about half a minute). What must survive a power cut is the record of it, with
    // its SHA-256, which the session log commits; a ticket's evidence is fsynced too (EvidenceFiles.put).
    // Fsyncs cost a 1 GiB download a fifth of its speed here (docs/performance.md, "File transfers").
    await out.close();
  } catch (error) {
    await out.close().catch(() => undefined);
    // A cancel is deliberate: nothing is kept. A lost connection keeps the part to resume.
    if (hooks.signal.aborted && hooks.signal.reason === CANCELLED) {
      fs.rmSync(part, { force: true });
      fs.rmSync(noteFile, { force: true });
    }
    throw error;
  } finally {
    await closeRemote(sftp, handle);
  }
  const finalName = publish(dir, part, localName);
  fs.rmSync(noteFile, { force: true });
  return { localPath: path.join(dir, finalName), localName: finalName, size: source.size, sha256: hash.digest('hex'), resumedFrom: offset > 0 ? offset : null };
}


/**
 * The remote file's bytes from `from` on, for a consumer that keeps them elsewhere and hashes them itself
 * (the ticket's evidence store). The chunks are read into a few buffers that are reused: each is valid
 * only until the next is asked for, so the consumer writes a chunk before it takes the next (as
 * EvidenceFiles.put does). `done` settles once the file was read to its end (or failed).
 */
export async function remoteChunks(sftp: SFTPWrapper, source: RemoteSource, hooks: TransferHooks, from = 0): Promise<{ chunks: AsyncGenerator<Buffer>; received(): number; done: Promise<void> }> {
  const handle = await openRead(sftp, source);
  let received = 0;
  let ended = false;
  hooks.onStart?.(source.size, from);
  let finished!: () => void;
  let failed!: (error: unknown) => void;
  const done = new Promise<void>((resolve, reject) => { finished = resolve; failed = reject; });
  done.catch(() => undefined);
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      for await (const data of readRemoteRange(sftp, handle, from, source.size, { ...hooks.pipeline, signal: hooks.signal, reuseBuffers: true })) {
        received += data.length;
        hooks.onBytes(data.length);
        yield data;
      }
      if (from + received !== source.size) throw new Error(`the file was ${source.size} bytes when the download began and ended after ${from + received}; it changed meanwhile — download it again`);
      ended = true;
      finished();
    } catch (error) {
      failed(error);
      throw error;
    } finally {
      // A consumer that stops reading early ends the generator here, with neither outcome yet.
      if (!ended) failed(new Error('the download was not read to its end'));
      await closeRemote(sftp, handle);
    }
  }
  return { chunks: chunks(), received: () => received, done };
}
