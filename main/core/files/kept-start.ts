import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import { PRIVATE_FILE_MODE } from '../private-files';

/**
 * The start of a file an interrupted download kept, and the note beside it that says which remote file
 * it is the start of (download.ts for a download to a folder, evidence-partials.ts for one to a ticket's
 * evidence). The next download of that same file takes up from there.
 */
export interface KeptFileIdentity { size: number; [field: string]: string | number | null }

/** How many bytes of `identity`'s file are kept in `file`, or 0 when its note names another file (or is missing). */
export function keptStartBytes(file: string, noteFile: string, identity: KeptFileIdentity): number {
  let note: Record<string, unknown>;
  try {
    note = JSON.parse(fs.readFileSync(noteFile, 'utf8')) as Record<string, unknown>;
  } catch {
    return 0;
  }
  if (typeof note !== 'object' || note === null || Object.entries(identity).some(([field, value]) => note[field] !== value)) return 0;
  const size = fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  return size <= identity.size ? size : 0;
}

/** Notes that the bytes in the kept file now belong to `identity`'s file. */
export function noteKeptStart(noteFile: string, identity: KeptFileIdentity): void {
  fs.writeFileSync(noteFile, JSON.stringify(identity), { mode: PRIVATE_FILE_MODE });
}

/** SHA-256 of the first `length` bytes of `file`, to go on hashing from where the kept bytes end. */
export async function hashKeptStart(file: string, length: number): Promise<Hash> {
  const hash = createHash('sha256');
  if (length > 0) for await (const chunk of fs.createReadStream(file, { start: 0, end: length - 1 })) hash.update(chunk as Buffer);
  return hash;
}
