import fs from 'node:fs';
import { performance } from 'node:perf_hooks';

/**
 * A transfer's local file reads and writes, made on the core's thread while they are quick and through
 * libuv's thread pool once one is not.
 *
 * A chunk (255 KiB) read from or written to the page cache takes about a tenth of a millisecond. Sent
 * to the pool it costs two thread hand-offs and a promise besides: bench/sftp.mjs measured ~15 % more
 * CPU per GiB that way, on a machine where the transfer is CPU-bound. But a disk that is slow or
 * throttled (dirty pages waiting for a USB stick, a network mount) can hold a call for much longer, and
 * the core's thread serves every terminal and request: the first call slower than SLOW_CALL_MS moves
 * this file to the pool for good.
 */
export class QuickDiskIo {
  static readonly SLOW_CALL_MS = 4;
  private onThread = true;

  constructor(private readonly file: fs.promises.FileHandle, private readonly now: () => number = () => performance.now()) {}

  /** Whether calls still run on the core's thread (for tests). */
  get synchronous(): boolean { return this.onThread; }

  /** Writes all of `data` at `position`. */
  async write(data: Buffer, position: number): Promise<void> {
    for (let done = 0; done < data.length;) {
      done += this.onThread
        ? this.timed(() => fs.writeSync(this.file.fd, data, done, data.length - done, position + done))
        : (await this.file.write(data, done, data.length - done, position + done)).bytesWritten;
    }
  }

  /** Reads up to `buffer.length` bytes from the current position; 0 at the end of the file. */
  async read(buffer: Buffer): Promise<number> {
    return this.onThread
      ? this.timed(() => fs.readSync(this.file.fd, buffer, 0, buffer.length, null))
      : (await this.file.read(buffer, 0, buffer.length, null)).bytesRead;
  }

  private timed(call: () => number): number {
    const started = this.now();
    const result = call();
    if (this.now() - started > QuickDiskIo.SLOW_CALL_MS) this.onThread = false;
    return result;
  }
}
