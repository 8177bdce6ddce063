/**
 * Joins the many small chunks an SSH channel delivers (often one line each) into one frame per turn of
 * the event loop, so the window gets a few large binary frames instead of thousands of tiny ones.
 * While output is bulk (`bulk()`: the flow controller's window has grown, nobody is typing) it holds
 * chunks a few milliseconds longer, into frames of up to BULK_FRAME_BYTES: the window's cost is per
 * frame as much as per byte (a task, an event, a write call and an ack each), as WeTTY's 2 ms / 512 KB
 * buffer also finds. Order is kept: `flush()` before anything else is sent to the same window.
 */

/** A frame is sent at once when this much is waiting. */
export const MAX_FRAME_BYTES = 64 * 1024;
/** The same while output is bulk. */
export const BULK_FRAME_BYTES = 256 * 1024;
/** How long bulk output is held for a fuller frame (never while someone types: then it is one turn). */
export const BULK_HOLD_MS = 4;

export class OutputBatcher {
  private chunks: Buffer[] = [];
  private size = 0;
  private scheduled: { cancel(): void } | null = null;

  constructor(
    private readonly deliver: (frame: Buffer) => void,
    private readonly maxBytes = MAX_FRAME_BYTES,
    private readonly bulk: () => boolean = () => false,
  ) {}

  push(data: Buffer): void {
    if (data.length === 0) return;
    this.chunks.push(data);
    this.size += data.length;
    const bulk = this.bulk();
    if (this.size >= (bulk ? Math.max(this.maxBytes, BULK_FRAME_BYTES) : this.maxBytes)) this.flush();
    else this.scheduled ??= bulk ? this.later() : this.nextTurn();
  }

  flush(): void {
    this.scheduled?.cancel();
    this.scheduled = null;
    if (this.size === 0) return;
    const frame = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
    this.chunks = [];
    this.size = 0;
    this.deliver(frame);
  }

  private nextTurn(): { cancel(): void } {
    const immediate = setImmediate(() => this.flush());
    return { cancel: () => clearImmediate(immediate) };
  }

  private later(): { cancel(): void } {
    const timer = setTimeout(() => this.flush(), BULK_HOLD_MS);
    return { cancel: () => clearTimeout(timer) };
  }
}
