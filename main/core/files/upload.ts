import { createHash } from 'node:crypto';
import type { SFTPWrapper } from 'ssh2';
import { ApiError } from '../../../contract/errors';
import { escapeName } from './transfer-policy';
import { closeRemote, openRemote, unlinkRemote } from './remote-fs';
import { writeRemoteStream } from './sftp-io';
import type { TransferHooks } from './download';

export interface UploadResult { remotePath: string; size: number; sha256: string }

const SFTP_FAILURE = 4;

/**
 * Streams `source` (`size` bytes) into `remotePath`, hashing it on the way. Without `overwrite` the
 * file is created exclusively, so an existing remote file is refused by the server itself (no race
 * between a check and the open); a failed or cancelled upload removes the partial file it created.
 * Each chunk of `source` is done with (hashed, copied into a request) before the next is asked for, so a
 * source may read every chunk into the same buffer (localFileChunks does).
 */
export async function uploadToRemote(sftp: SFTPWrapper, remotePath: string, source: AsyncIterable<Buffer>, size: number, overwrite: boolean, hooks: TransferHooks): Promise<UploadResult> {
  let handle: Buffer;
  try {
    handle = await openRemote(sftp, remotePath, overwrite ? 'w' : 'wx', 0o644);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (!overwrite && code === SFTP_FAILURE) throw new ApiError('CONFLICT', `${escapeName(remotePath)} already exists on the server; upload with overwrite to replace it, or rename the file.`);
    throw error;
  }
  hooks.onStart?.(size, 0);
  const hash = createHash('sha256');
  let written: number;
  try {
    written = await writeRemoteStream(sftp, handle, source, 0, (data) => {
      hash.update(data);
      hooks.onBytes(data.length);
    }, { ...hooks.pipeline, signal: hooks.signal });
    if (written !== size) throw new Error(`${size} bytes were announced and ${written} arrived; the upload is incomplete`);
  } catch (error) {
    await closeRemote(sftp, handle);
    // Only a file this upload created is removed: an overwritten one is already changed either way.
    if (!overwrite) await unlinkRemote(sftp, remotePath);
    throw error;
  }
  await closeRemote(sftp, handle);
  return { remotePath, size: written, sha256: hash.digest('hex') };
}
