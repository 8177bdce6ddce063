import type nodeFs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../contract/errors';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './private-files';

/** The start and end of a session recording's file, the same for SSH (asciicast) and VNC recordings. */

/** "ENOSPC: no space left on device" from Node's "ENOSPC: no space left on device, write". */
export function describeFsError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return /^[A-Z][A-Z0-9_]+: [^,]+/.exec(message)?.[0] ?? message;
}

/**
 * Creates a new recording file owner-only (its folder too) and returns its descriptor; an existing
 * file is never overwritten (CONFLICT), any other failure names the cause (INTERNAL).
 */
export function openNewRecordingFile(fs: Pick<typeof nodeFs, 'mkdirSync' | 'openSync'>, file: string): number {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
    return fs.openSync(file, 'wx', PRIVATE_FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new ApiError('CONFLICT', `A recording already exists at ${file}; it was left untouched.`);
    throw new ApiError('INTERNAL', `Could not start recording to ${file} (${describeFsError(error)}); check that the recordings folder is writable.`);
  }
}

/** For a recording whose header could not be written: closes and removes the file (an empty one would only block a retry with CONFLICT). */
export function abandonRecordingFile(fs: Pick<typeof nodeFs, 'closeSync' | 'unlinkSync'>, fd: number, file: string, cause: unknown): ApiError {
  fs.closeSync(fd);
  fs.unlinkSync(file);
  return new ApiError('INTERNAL', `Could not start recording to ${file} (${describeFsError(cause)}); the session was not opened.`);
}

/** The error a session ends with when its recording can no longer be written. */
export function recordingWriteFailure(file: string, cause: unknown): ApiError {
  const failure = new ApiError('INTERNAL', `Recording to ${file} failed (${describeFsError(cause)}); the session was ended rather than continue unrecorded.`);
  failure.cause = cause;
  return failure;
}
