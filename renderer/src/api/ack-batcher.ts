/** Acks sent as soon as this much was written (with the 100 KiB high-water mark in the core, a few per round). */
const ACK_BATCH_BYTES = 32 * 1024;

/**
 * xterm.js calls back once per written chunk; one ack frame per callback would double the frame count.
 * Callbacks that run in the same task are summed and sent once, right after (a microtask), or at once
 * when a batch is large: the core sees every written byte within the same turn.
 */
export class AckBatcher {
  private pending = 0;
  private scheduled = false;

  constructor(private readonly sendAck: (bytes: number) => void, private readonly batchBytes = ACK_BATCH_BYTES) {}

  add(bytes: number): void {
    if (!(bytes > 0)) return;
    this.pending += bytes;
    if (this.pending >= this.batchBytes) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.pending === 0) return;
    const bytes = this.pending;
    this.pending = 0;
    this.sendAck(bytes);
  }
}
