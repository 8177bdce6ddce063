import fs from 'node:fs';
import { QuickDiskIo } from './quick-disk-io';
import { DEFAULT_CHUNK } from './sftp-io';

/**
 * A local file's bytes for an upload, read `chunkSize` at a time into one buffer that is reused: each
 * chunk is valid only until the next is asked for, which is how the upload consumes it (hashed, then
 * copied into an SFTP request before it asks again). A file stream allocates a fresh buffer per read; a
 * GiB of those kept V8 collecting garbage for ~40 % of the upload's CPU (bench/sftp.mjs, docs/performance.md).
 * The file is opened on the first chunk, so nothing is opened before the policy allowed the upload.
 */
export async function* localFileChunks(file: string, chunkSize = DEFAULT_CHUNK): AsyncGenerator<Buffer> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafeSlow(chunkSize);
    const disk = new QuickDiskIo(handle);
    for (;;) {
      // A short read is passed on as it is: the upload counts bytes, it does not need full chunks.
      const bytesRead = await disk.read(buffer);
      if (bytesRead === 0) return;
      yield bytesRead === chunkSize ? buffer : buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}
