import fs from 'node:fs';
import path from 'node:path';

/** The suffix of a download still being written (kept after a failure, so the next download resumes it). */
export const PART_SUFFIX = '.part';
/** Beside the .part: which remote file, of which size and time, the kept bytes are the start of. */
export const RESUME_SUFFIX = '.part.resume';

/** "name (1).log" for the n-th alternative of "name.log"; "archive.tar (1).gz" is not what a person expects, so only the last extension moves. */
export function numberedName(name: string, n: number): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
}

const taken = (dir: string, name: string): boolean => fs.existsSync(path.join(dir, name));

/**
 * The first name in `dir` that no file has yet: `name`, else "name (1).log", "name (2).log" … A
 * download never replaces a file. The same answer each time for the same folder, so an interrupted
 * download's `.part` is found again. `busy`: names a download running now is writing (two downloads
 * of one file into one folder at once must not share a part).
 */
export function freeLocalName(dir: string, name: string, busy: (name: string) => boolean = () => false): string {
  if (!taken(dir, name) && !busy(name)) return name;
  for (let n = 1; n < 10_000; n++) {
    const candidate = numberedName(name, n);
    if (!taken(dir, candidate) && !busy(candidate)) return candidate;
  }
  throw new Error(`${dir} already has ${name} and 9,999 numbered copies of it`);
}

/**
 * A remote file name made safe as a local one: a name the server sent may hold anything but "/" and
 * NUL — control characters become "_" (a terminal or a file manager would otherwise act on them),
 * and "." / ".." / "" become "download".
 */
export function localSafeName(remoteName: string): string {
  const cleaned = remoteName.replace(/[\u0000-\u001f\u007f-\u009f\\]/g, '_');
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'download' : cleaned;
}
