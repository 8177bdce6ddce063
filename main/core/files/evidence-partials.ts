import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir } from '../private-files';
import { processAlive } from '../process-alive';
import { hashKeptStart, keptStartBytes, noteKeptStart } from './kept-start';

/**
 * The start of a file a download to a ticket's evidence did not finish (the connection was lost),
 * kept in the evidence folder so that the next download of that same remote file to that same ticket
 * takes up from there. Its name never looks like a SHA-256, and no ticket row names it, so it is
 * never taken for a kept evidence file; a day untouched, it goes like a `.incoming-` file.
 */
export const PARTIAL_PREFIX = '.partial-';
const NOTE_SUFFIX = '.resume';
const LOCK_SUFFIX = '.lock';
/** The kept bytes' name for one of its companions (the resume note, the lock). */
export const partialOf = (name: string): string => name.replace(/\.(resume|lock)$/, '');

/** Which remote file, for which ticket, the kept bytes are the start of. */
export type PartialIdentity = { ticketId: number; site: string | null; host: string | null; remotePath: string; size: number; mtime: number };

/** Where the bytes of an evidence download are staged, how many of them are already there, and their hash so far. */
export interface StagedBytes { file: string; keptBytes: number; keptHash: Hash }

/**
 * The partials downloads in this process are writing now. Across processes (the CLI beside the app on one
 * data dir) a lock file beside the partial names the process writing it. Either way a second download of
 * the same file at once starts afresh instead of sharing the bytes.
 */
const busy = new Set<string>();

export class EvidencePartial {
  readonly file: string;
  private readonly note: string;
  private readonly lock: string;

  /** One name per ticket, site, host and path: a changed remote file (new size or time) reuses it and starts over. */
  constructor(private readonly dir: string, private readonly identity: PartialIdentity) {
    const key = createHash('sha256').update(JSON.stringify([identity.ticketId, identity.site, identity.host, identity.remotePath])).digest('hex').slice(0, 32);
    this.file = path.join(dir, `${PARTIAL_PREFIX}${key}`);
    this.note = this.file + NOTE_SUFFIX;
    this.lock = this.file + LOCK_SUFFIX;
  }

  /** Claims the partial for one download; false when another one, in this process or another, is writing it now. */
  claim(): boolean {
    if (busy.has(this.file) || !this.lockForThisProcess()) return false;
    busy.add(this.file);
    return true;
  }

  release(): void {
    if (!busy.delete(this.file)) return;
    if (this.lockHolder() === process.pid) fs.rmSync(this.lock, { force: true });
  }

  /** Creates the lock naming this process; a lock left by a process no longer running is taken over. */
  private lockForThisProcess(): boolean {
    ensurePrivateDir(this.dir);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(this.lock, String(process.pid), { flag: 'wx', mode: 0o600 });
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = this.lockHolder();
      if (holder !== null && processAlive(holder)) return false;
      fs.rmSync(this.lock, { force: true });
    }
    return false;
  }

  /** The process id the lock names; null when there is no lock or it names none (a crash while it was written). */
  private lockHolder(): number | null {
    let text: string;
    try {
      text = fs.readFileSync(this.lock, 'utf8');
    } catch {
      return null;
    }
    const pid = Number(text);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  }

  /**
   * Re-hashes the bytes kept from an earlier attempt at this same remote file (same real path, size and
   * time, same ticket) and notes that the staged file now belongs to this one; without a match it starts
   * at 0 (the bytes are overwritten).
   */
  async begin(): Promise<StagedBytes> {
    ensurePrivateDir(this.dir);
    const keptBytes = keptStartBytes(this.file, this.note, this.identity);
    noteKeptStart(this.note, this.identity);
    return { file: this.file, keptBytes, keptHash: await hashKeptStart(this.file, keptBytes) };
  }

  /** Removes the kept bytes and their note (a cancel, or the file now kept under its hash). */
  discard(): void {
    fs.rmSync(this.file, { force: true });
    fs.rmSync(this.note, { force: true });
  }
}
