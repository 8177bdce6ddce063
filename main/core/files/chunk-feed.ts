import { ApiError } from '../../../contract/errors';

/**
 * An upload's bytes as they arrive from the window, one call per chunk (contract `files.uploadChunk`),
 * read by the transfer as a stream. A chunk is taken only at the offset reached so far, and the call
 * returns once the transfer has taken it: a window that sends faster simply waits, so at most one
 * chunk is held here. A window that stops sending for `idleMs` fails the upload instead of holding
 * the remote file open for ever.
 */
export class ChunkFeed implements AsyncIterable<Buffer> {
  received = 0;
  private queued: { data: Buffer; taken: () => void; refused: (error: Error) => void } | null = null;
  private wake: (() => void) | null = null;
  private failure: Error | null = null;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(readonly size: number, private readonly idleMs: number, private readonly onIdle: () => void) {
    this.armIdle();
  }

  push(offset: number, data: Buffer): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (offset !== this.received) return Promise.reject(new ApiError('CONFLICT', `This upload has ${this.received} bytes so far; a chunk at ${offset} is out of order (send the chunk at ${this.received}).`));
    if (this.queued) return Promise.reject(new ApiError('CONFLICT', 'The previous chunk is still being written; send one chunk at a time.'));
    if (this.received + data.length > this.size) return Promise.reject(new ApiError('INVALID_INPUT', `This upload was announced as ${this.size} bytes; this chunk would make it ${this.received + data.length}.`));
    this.received += data.length;
    this.armIdle();
    return new Promise((taken, refused) => {
      this.queued = { data, taken, refused };
      this.wake?.();
    });
  }

  /** Ends the feed with `error`: the reader throws it, a waiting chunk is refused with it. */
  fail(error: Error): void {
    this.failure ??= error;
    this.stopIdle();
    this.queued?.refused(this.failure);
    this.queued = null;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    let taken = 0;
    while (taken < this.size) {
      if (this.failure) throw this.failure;
      const queued = this.queued;
      if (!queued) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
        continue;
      }
      this.queued = null;
      taken += queued.data.length;
      queued.taken();
      yield queued.data;
    }
    this.stopIdle();
  }

  private armIdle(): void {
    this.stopIdle();
    if (this.received >= this.size) return;
    this.idleTimer = setTimeout(() => this.onIdle(), this.idleMs);
    this.idleTimer.unref();
  }

  private stopIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}
