/**
 * Joins the many small chunks an SSH channel delivers (often one line each) into one frame per turn of
 * the event loop, so the window gets a few large binary frames instead of thousands of tiny ones.
 * Order is kept: `flush()` before anything else is sent to the same window.
 */

/** A frame is sent at once when this much is waiting. */
export const MAX_FRAME_BYTES = 64 * 1024;

export class OutputBatcher {
  private chunks: Buffer[] = [];
  private size = 0;
  private scheduled: NodeJS.Immediate | null = null;

  constructor(private readonly deliver: (frame: Buffer) => void, private readonly maxBytes = MAX_FRAME_BYTES) {}

  push(data: Buffer): void {
    if (data.length === 0) return;
    this.chunks.push(data);
    this.size += data.length;
    if (this.size >= this.maxBytes) this.flush();
    else this.scheduled ??= setImmediate(() => this.flush());
  }

  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
    if (this.size === 0) return;
    const frame = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
    this.chunks = [];
    this.size = 0;
    this.deliver(frame);
  }
}
