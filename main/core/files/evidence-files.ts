import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { ApiError } from '../../../contract/errors';
import { ensurePrivateDir, PRIVATE_FILE_MODE, restrictFolder } from '../private-files';
import { PARTIAL_PREFIX, partialOf, type StagedBytes } from './evidence-partials';
import { BackgroundFlush } from './background-flush';
import { QuickDiskIo } from './quick-disk-io';

export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The folder of evidence files in a data dir, each named by its SHA-256 (owner-only, like the data dir). */
export function evidenceDir(dataDir: string): string {
  return path.join(dataDir, 'evidence');
}

export interface KeptFile { sha256: string; size: number; file: string; alreadyKept: boolean }

/**
 * Content-addressed files: written by streaming (never a whole file in memory, so a 2 GB log works),
 * hashed on the way in and checked on every way out.
 */
export class EvidenceFiles {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = evidenceDir(dataDir);
  }

  /** Tightens the folder's and files' modes again (a restore from backup may have loosened them). */
  restrict(): void {
    restrictFolder(this.dir);
  }

  /**
   * Removes temp files a crash left behind (a 2 GB download cut short is 2 GB of nothing), and the kept
   * starts of evidence downloads never resumed (evidence-partials.ts). Only those untouched for a day:
   * another process on this data dir (the CLI beside the app) may be writing one now. A partial and its
   * note (and the lock of a process that crashed writing it) go by the newest of them, so a long
   * download's note is not taken from under it.
   */
  removeStaleIncoming(maxAgeMs = 24 * 3_600_000, now = Date.now()): string[] {
    const removed: string[] = [];
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return removed;
    }
    const touched = (name: string): number => fs.statSync(path.join(this.dir, name), { throwIfNoEntry: false })?.mtimeMs ?? 0;
    for (const name of names.filter((n) => n.startsWith('.incoming-') || n.startsWith(PARTIAL_PREFIX))) {
      const file = path.join(this.dir, name);
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      const last = name.startsWith(PARTIAL_PREFIX) ? Math.max(...['', '.resume', '.lock'].map((suffix) => touched(partialOf(name) + suffix))) : stat?.mtimeMs ?? 0;
      if (stat && now - last > maxAgeMs) {
        fs.rmSync(file, { force: true });
        removed.push(file);
      }
    }
    return removed;
  }

  fileOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new ApiError('INVALID_INPUT', `"${sha256}" is not a SHA-256 (64 lowercase hex digits).`);
    return path.join(this.dir, sha256);
  }

  /**
   * Streams `source` to a temp file in the same folder while hashing it, fsyncs it and renames it to its
   * hash — so a file under its hash is always whole. A second copy of the same bytes replaces the first
   * with identical bytes (and so repairs one altered on disk); it is kept once.
   *
   * `staged`: a resumed download's partial (evidence-partials.ts) is the temp file instead — `source` is
   * the rest, written after its kept bytes and hashed on from their hash — and a failure keeps it to
   * resume again (the download removes it on a cancel).
   */
  async put(source: Readable | AsyncIterable<Uint8Array>, staged?: StagedBytes): Promise<KeptFile> {
    ensurePrivateDir(this.dir);
    const temp = staged?.file ?? path.join(this.dir, `.incoming-${randomUUID()}`);
    const hash = staged?.keptHash ?? createHash('sha256');
    let size = staged?.keptBytes ?? 0;
    const handle = await fsp.open(temp, staged ? (size > 0 ? 'r+' : 'w') : 'wx', PRIVATE_FILE_MODE);
    const disk = new QuickDiskIo(handle);
    const flush = new BackgroundFlush(handle);
    try {
      try {
        // Each chunk is written before the next is asked for: a source may reuse its buffers (a download does).
        for await (const chunk of source) {
          const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
          hash.update(bytes);
          await disk.write(bytes, size);
          size += bytes.length;
          flush.wrote(bytes.length);
        }
        await flush.finish();
      } catch (error) {
        // The kept bytes are what the next attempt re-hashes and builds on: on disk before they count.
        if (staged) await handle.sync().catch(() => undefined);
        throw error;
      } finally {
        await handle.close();
      }
      const sha256 = hash.digest('hex');
      const file = path.join(this.dir, sha256);
      const alreadyKept = fs.existsSync(file);
      await fsp.rename(temp, file);
      await syncFolder(this.dir);
      return { sha256, size, file, alreadyKept };
    } catch (error) {
      if (!staged) await fsp.rm(temp, { force: true });
      if (error instanceof ApiError) throw error;
      throw new ApiError('INTERNAL', `Could not keep the evidence file in ${this.dir}: ${(error as Error).message}. ${staged ? 'The bytes received are kept; the same download again takes up from there.' : 'Nothing was kept.'}`);
    }
  }

  /** Size on disk, or null when the file is missing. */
  sizeOf(sha256: string): number | null {
    return fs.statSync(this.fileOf(sha256), { throwIfNoEntry: false })?.size ?? null;
  }

  /**
   * The file's bytes as a stream, hashed while read: at the end a mismatch fails the stream with
   * EVIDENCE_MISMATCH naming the file and both hashes (so a reader that reaches the end knows the bytes
   * it got were the ones recorded). `name` is what a person knows the file by.
   */
  open(sha256: string, name: string): Readable {
    const file = this.fileOf(sha256);
    if (!fs.existsSync(file)) throw new ApiError('NOT_FOUND', `The evidence file "${name}" (SHA-256 ${sha256}) is missing from ${this.dir}.`);
    const hash = createHash('sha256');
    const check = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        done(null, chunk);
      },
      flush(done) {
        const actual = hash.digest('hex');
        done(actual === sha256 ? null : mismatch(name, file, sha256, actual));
      },
    });
    const source = fs.createReadStream(file);
    source.on('error', (error) => check.destroy(error));
    return source.pipe(check);
  }

  /** Reads the whole file once and says whether it still has its hash (null: missing). */
  async matches(sha256: string): Promise<boolean | null> {
    const file = this.fileOf(sha256);
    const hash = createHash('sha256');
    try {
      for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return hash.digest('hex') === sha256;
  }
}

export function mismatch(name: string, file: string, recorded: string, actual: string): ApiError {
  return new ApiError(
    'EVIDENCE_MISMATCH',
    `The evidence file "${name}" (${file}) has changed since it was kept: its SHA-256 is now ${actual}, recorded ${recorded}. Do not use it as evidence; fetch it again.`,
  );
}

/** A rename is durable only once the folder's entry is on disk too (POSIX; Windows cannot open a folder). */
async function syncFolder(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
