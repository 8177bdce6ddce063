import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../contract/errors';

/**
 * The data dir holds the session log, recordings of what customers' hosts printed (and perhaps what
 * was typed) and the site directory: readable by its owner only. Modes are set when a thing is
 * created and tightened again at every start, because a copy, a restore from backup or an older
 * version may have left them looser.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

// Windows has no POSIX mode bits (chmod only toggles read-only); the user profile's ACLs protect it there.
const POSIX = process.platform !== 'win32';

/** Creates `dir` (and missing parents) owner-only, and takes group and other access away from an existing one. */
export function ensurePrivateDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  } catch (error) {
    throw new ApiError('DATABASE_ERROR', `Cannot create the folder ${dir} (${describe(error)}); choose a data dir you can write to (--data-dir).`);
  }
  restrictMode(dir, PRIVATE_DIR_MODE);
}

/**
 * Creates `file` empty with mode 0600 if it is missing, so that no other user can open it in the
 * moment before its mode is set (an open file descriptor would keep reading after a chmod).
 */
export function createPrivateFile(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT, PRIVATE_FILE_MODE));
  } catch (error) {
    throw new ApiError('DATABASE_ERROR', `Cannot create ${file} (${describe(error)}); check that its folder is yours and writable.`);
  }
}

/** Makes an existing file owner-only (0600); a missing one is left missing. */
export function restrictFile(file: string): void {
  restrictMode(file, PRIVATE_FILE_MODE);
}

/** Makes an existing folder owner-only (0700) and every file directly in it 0600; a missing folder is left missing. */
export function restrictFolder(dir: string): void {
  if (!restrictMode(dir, PRIVATE_DIR_MODE)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile()) restrictFile(path.join(dir, entry.name));
  }
}

/**
 * Takes every group and other permission away (the owner's own bits are left as they are, `mode`
 * names the usual result in the advice); false when `target` does not exist.
 */
function restrictMode(target: string, mode: number): boolean {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) return false;
  if (!POSIX || (stat.mode & 0o077) === 0) return true;
  try {
    fs.chmodSync(target, stat.mode & 0o700);
  } catch (error) {
    throw new ApiError(
      'DATABASE_ERROR',
      `${target} is open to other users (mode ${(stat.mode & 0o777).toString(8)}) and could not be made private (${describe(error)}); run \`chmod ${mode.toString(8)} ${target}\` as its owner, or choose another data dir.`,
    );
  }
  return true;
}

/** "EPERM: operation not permitted" from Node's "EPERM: operation not permitted, chmod '/x'". */
function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return /^[A-Z][A-Z0-9_]+: [^,]+/.exec(message)?.[0] ?? message;
}
