/**
 * The last stretch of a terminal's output, kept in the core so a window that attaches later (after a
 * reload, or from another window) can redraw the screen: enough for a full screen of a busy program
 * plus some scrollback, and never more, however long the session runs or however much it prints.
 */

/** 256 KiB: a 300×100 screen of colourful output is a few tens of KiB; the rest is scrollback. */
export const RECENT_OUTPUT_BYTES = 256 * 1024;

/** A cut redraw starts after the first line break within this much, so it does not begin inside an escape sequence or a character. */
const LINE_SEARCH_BYTES = 4096;

export class RecentOutput {
  private chunks: Buffer[] = [];
  private size = 0;
  /** Output was dropped and what is kept does not start at a line's beginning. */
  private cutMidLine = false;

  constructor(private readonly limit = RECENT_OUTPUT_BYTES) {}

  get bytes(): number { return this.size; }

  push(data: Buffer): void {
    if (data.length === 0) return;
    this.chunks.push(data);
    this.size += data.length;
    while (this.size > this.limit) {
      const first = this.chunks[0]!;
      const excess = this.size - this.limit;
      const dropped = Math.min(first.length, excess);
      this.cutMidLine = first[dropped - 1] !== 0x0a;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
      } else {
        // A copy, so the dropped part of a large frame is not held alive by the view.
        this.chunks[0] = Buffer.from(first.subarray(excess));
        this.size -= excess;
      }
    }
  }

  /** What is kept, as one buffer; when output was dropped mid-line, from the next line on. */
  snapshot(): Buffer {
    const all = Buffer.concat(this.chunks, this.size);
    if (!this.cutMidLine) return all;
    const newline = all.subarray(0, LINE_SEARCH_BYTES).indexOf(0x0a);
    return newline >= 0 ? all.subarray(newline + 1) : all;
  }
}
