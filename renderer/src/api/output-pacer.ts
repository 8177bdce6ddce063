/**
 * Hands a terminal's output to xterm.js (from the terminal's worker, terminal-pump.ts, which hands it on to
 * the window and reports back when xterm.js has written it). With the DOM renderer each painted frame of streaming output
 * redraws every row, so a frame costs about the same whether it shows 10 KB or 500 KB of new output;
 * fed as it arrives (a WebSocket message at a time), xterm.js painted ~60 frames a second of bulk output
 * and the page spent most of its time painting (docs/performance.md, "Terminal against WeTTY").
 *
 * So while output streams, what arrived is handed over at most once per `paceMs`, joined into one write,
 * and only after xterm.js finished the previous write: fewer, larger writes and fewer painted frames. Output
 * after a quiet spell is written at once, and for `quietAfterInputMs` after the person typed nothing is
 * held (the echo of a key, and the prompt after a Ctrl-C, show as soon as they arrive). Run in a page, a
 * hidden page paints nothing and its timers are throttled (to once a second or less), so nothing is held
 * there either (`visible`; a worker's timers are not throttled).
 *
 * Every write is acknowledged with the time its newest bytes were held back on purpose (`heldMs`), so the
 * core's flow control (main/core/ssh/flow-control.ts) judges how fast the window writes, not the pacing.
 */

/**
 * Streaming output is handed to xterm.js at most this often (measured: docs/performance.md). 33 ms suited
 * the window reading its own socket; with the terminal's worker joining the output, 16 ms did as well or
 * better in throughput and in Ctrl-C → prompt.
 */
export const PACE_MS = 16;
/** After a keystroke, output is written as it arrives for this long (as the core's flow control does). */
export const QUIET_AFTER_INPUT_MS = 500;

export type TerminalWrite = (data: Uint8Array, written: () => void) => void;
export type TerminalAck = (bytes: number, heldMs: number) => void;

export interface PacerClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: PacerClock = {
  now: () => performance.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class OutputPacer {
  private queue: Uint8Array[] = [];
  private queued = 0;
  /** When the newest queued bytes arrived. */
  private newestAt = 0;
  private writing = false;
  /** When xterm.js finished the last write (it was free from then on). */
  private freeSince = Number.NEGATIVE_INFINITY;
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private lastInput = Number.NEGATIVE_INFINITY;
  private timer: unknown = null;
  private closed = false;

  constructor(
    private readonly write: TerminalWrite,
    private readonly ack: TerminalAck,
    private readonly options: { paceMs?: number; quietAfterInputMs?: number; clock?: PacerClock; visible?: () => boolean } = {},
  ) {}

  private get clock(): PacerClock { return this.options.clock ?? realClock; }

  /** Bytes arrived from the core. */
  push(data: Uint8Array): void {
    if (this.closed || data.length === 0) return;
    this.queue.push(data);
    this.queued += data.length;
    this.newestAt = this.clock.now();
    if (!this.writing && this.timer === null) this.schedule();
  }

  /** The person typed: whatever waits is written now, and nothing is held for a while. */
  input(): void {
    this.lastInput = this.clock.now();
    if (this.timer !== null) {
      this.clock.clearTimeout(this.timer);
      this.timer = null;
      this.drain();
    }
  }

  /**
   * Hands everything that waits to xterm.js now, even while it still writes (xterm.js keeps the order of
   * writes): before anything else is written into the terminal, such as the lines that say it ended.
   */
  flush(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.drain();
  }

  /** The terminal is gone: nothing more is written (pending bytes are dropped with it). */
  close(): void {
    this.closed = true;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.queue = [];
    this.queued = 0;
  }

  private schedule(): void {
    const now = this.clock.now();
    const paceMs = this.options.paceMs ?? PACE_MS;
    const quietMs = this.options.quietAfterInputMs ?? QUIET_AFTER_INPUT_MS;
    const streaming = now - this.lastWriteAt < paceMs;
    const visible = this.options.visible ?? (() => typeof document === 'undefined' || document.visibilityState !== 'hidden');
    if (!streaming || now - this.lastInput < quietMs || !visible()) {
      this.drain();
      return;
    }
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.drain();
    }, paceMs - (now - this.lastWriteAt));
  }

  private drain(): void {
    if (this.closed || this.queued === 0) return;
    const parts = this.queue;
    const bytes = this.queued;
    let data: Uint8Array;
    if (parts.length === 1) data = parts[0]!;
    else {
      data = new Uint8Array(bytes);
      let offset = 0;
      for (const part of parts) { data.set(part, offset); offset += part.length; }
    }
    this.queue = [];
    this.queued = 0;
    const now = this.clock.now();
    // Only the wait the pacing added counts as held: waiting for xterm.js to finish is the window's cost.
    const heldMs = Math.max(0, now - Math.max(this.newestAt, this.freeSince));
    this.writing = true;
    this.lastWriteAt = now;
    this.write(data, () => {
      this.writing = false;
      this.freeSince = this.clock.now();
      if (this.closed) return;
      this.ack(bytes, heldMs);
      if (this.queued > 0 && this.timer === null) this.schedule();
    });
  }
}
