/** Acks sent as soon as this much was written (with the 100 KiB high-water mark in the core, a few per round). */
const ACK_BATCH_BYTES = 32 * 1024;

/**
 * xterm.js calls back once per written chunk; one ack frame per callback would double the frame count.
 * Callbacks that run in the same task are summed and sent once, right after (a microtask), or at once
 * when a batch is large: the core sees every written byte within the same turn. `heldMs` (how long the
 * window held the newest of these bytes back on purpose, see output-pacer.ts) is the last one given.
 */
export class AckBatcher {
  private pending = 0;
  private heldMs = 0;
  private scheduled = false;

  constructor(private readonly sendAck: (bytes: number, heldMs: number) => void, private readonly batchBytes = ACK_BATCH_BYTES) {}

  add(bytes: number, heldMs = 0): void {
    if (!(bytes > 0)) return;
    this.pending += bytes;
    this.heldMs = Number.isFinite(heldMs) && heldMs > 0 ? heldMs : 0;
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
    this.sendAck(bytes, this.heldMs);
  }
}
