import { ApiError } from '../../../contract/errors';

/**
 * Core side of the window↔core acknowledgement protocol. The core counts bytes forwarded to the window
 * (`sent`), the window reports bytes xterm.js has finished writing (`acknowledged`), and the SSH channel
 * is paused while the backlog is above the high-water mark, resumed once it has drained to the low one.
 * The window is not trusted to count correctly: bad acks are ignored or clamped, and counted.
 *
 * With `maxHigh` the marks adapt (a window terminal's). Each time bulk output fills the window while the
 * window still writes what it gets quickly (the last acknowledged chunk took at most `targetDelayMs` from
 * sent to written), the marks double, up to `maxHigh`: xterm.js then writes a large slice per painted
 * frame instead of waiting on an ack round trip every frame. When acks come back slower than twice the
 * target (costly output: `yes` is one line feed per two bytes), the marks halve again, so what is in
 * flight stays about `targetDelayMs` of writing whatever the output is. The moment the person types
 * (`input()`) they drop back to the base marks and, if more than that is in flight, the source is paused
 * at once: what they typed next is not queued behind megabytes of output; they grow again only once
 * nobody has typed for `quietAfterInputMs`.
 */

/** Pause the SSH channel while more than this is unacknowledged. */
export const HIGH_WATER_MARK = 100 * 1024;
/**
 * Resume when the window has caught up to this or below. Well above zero, so the next output is already
 * on its way while the window writes the rest (measured in bench/terminal-pipeline.mjs).
 */
export const LOW_WATER_MARK = 64 * 1024;
/**
 * How far a window terminal's marks may grow while output is bulk and nobody types (measured with
 * bench/terminal-peer.mjs --compare-flow; see docs/performance.md, "Terminal against WeTTY"): large enough
 * that the window always has the next output at hand while xterm.js writes (the terminal's channel is
 * read by a worker, renderer/src/api/terminal-pump.ts), while TARGET_DELAY_MS keeps what is in flight at
 * a Ctrl-C to what the window writes in a few tens of milliseconds.
 */
export const BULK_HIGH_WATER_MARK = 4 * 1024 * 1024;
/**
 * The window grows only while a chunk is written within this of being sent, and halves past twice this
 * (see the class comment). Costly output (`yes`: a line feed every two bytes) so keeps a small window.
 */
export const TARGET_DELAY_MS = 45;
/** Nobody typed for this long: only then may the window grow again (someone typing wants the echo now). */
export const QUIET_AFTER_INPUT_MS = 500;

export interface FlowSource { pause(): void; resume(): void }

export class FlowController {
  private backlog = 0;
  private isPaused = false;
  private max = 0;
  private readonly baseHigh: number;
  private readonly baseLow: number;
  private readonly maxHigh: number;
  private high: number;
  private low: number;
  private readonly targetDelayMs: number;
  private readonly quietMs: number;
  private lastInput = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;
  /** Chunks in flight: where each ends in the byte stream and when it was sent (only while adaptive). */
  private inFlight: Array<{ end: number; at: number }> = [];
  private sentTotal = 0;
  private ackedTotal = 0;
  /** Sent → acknowledged time of the last chunk the window finished writing; null until one was. */
  private delay: number | null = null;
  private readonly counts = { pauses: 0, resumes: 0, ignored: 0, clamped: 0, grown: 0, shrunk: 0 };

  constructor(private readonly source: FlowSource, options: { high?: number; low?: number; maxHigh?: number; targetDelayMs?: number; quietAfterInputMs?: number; now?: () => number } = {}) {
    this.baseHigh = this.high = options.high ?? HIGH_WATER_MARK;
    this.baseLow = this.low = options.low ?? LOW_WATER_MARK;
    this.maxHigh = options.maxHigh ?? this.baseHigh;
    this.targetDelayMs = options.targetDelayMs ?? TARGET_DELAY_MS;
    this.quietMs = options.quietAfterInputMs ?? QUIET_AFTER_INPUT_MS;
    this.now = options.now ?? (() => performance.now());
    if (!Number.isInteger(this.high) || !Number.isInteger(this.low) || this.low < 0 || this.low >= this.high) {
      throw new ApiError('INVALID_INPUT', `Flow control needs whole-byte marks with 0 ≤ low < high; got low ${this.low}, high ${this.high}.`);
    }
    if (!Number.isInteger(this.maxHigh) || this.maxHigh < this.baseHigh) {
      throw new ApiError('INVALID_INPUT', `Flow control's largest window must be a whole number of bytes ≥ the high mark ${this.baseHigh}; got ${this.maxHigh}.`);
    }
  }

  get unacknowledged(): number { return this.backlog; }
  get paused(): boolean { return this.isPaused; }
  /** The largest backlog seen, for the flood benchmark. */
  get maxUnacknowledged(): number { return this.max; }
  /** Times the source was paused / resumed. */
  get pauses(): number { return this.counts.pauses; }
  get resumes(): number { return this.counts.resumes; }
  /** The current high-water mark: the base one, or more while bulk output grew it. */
  get window(): number { return this.high; }
  /** Times the window grew (bulk output filled it) / shrank (slow acks, or input: back to the base). */
  get grown(): number { return this.counts.grown; }
  /** Sent → written time of the last chunk the window acknowledged whole (adaptive windows only). */
  get lastDelayMs(): number | null { return this.delay; }
  get shrunk(): number { return this.counts.shrunk; }
  /** Reports that were not a positive whole number of bytes (zero, negative, NaN, fractional) and were ignored. */
  get ignored(): number { return this.counts.ignored; }
  /** Acks for more than was unacknowledged, clamped to the backlog. */
  get clamped(): number { return this.counts.clamped; }

  /** A chunk of `bytes` was forwarded to the window. */
  sent(bytes: number): void {
    if (!this.valid(bytes)) return;
    this.backlog += bytes;
    this.max = Math.max(this.max, this.backlog);
    if (this.adaptive) {
      this.sentTotal += bytes;
      this.inFlight.push({ end: this.sentTotal, at: this.now() });
    }
    if (!this.isPaused && this.backlog > this.high) {
      this.pause();
      // Output fills the window faster than the window writes it: bulk. While the window keeps up, let more
      // run ahead next round.
      if (this.delay !== null && this.delay <= this.targetDelayMs && this.now() - this.lastInput >= this.quietMs) this.grow();
    }
  }

  /**
   * The person typed: back to the base marks at once, and paused right away if more than the base
   * window is in flight, so their next output is not queued behind bulk output.
   */
  input(): void {
    this.lastInput = this.now();
    if (this.high === this.baseHigh) return;
    this.high = this.baseHigh;
    this.low = this.baseLow;
    this.counts.shrunk++;
    if (!this.isPaused && this.backlog > this.high) this.pause();
  }

  /**
   * The window has written `bytes` more (an increment, not a running total). `heldMs`: how long the window
   * held the newest of them back on purpose before writing them (its output pacing); that wait is not the
   * window being slow, so it does not count in the delay the window grows and shrinks by.
   */
  acknowledged(bytes: number, heldMs = 0): void {
    if (!this.valid(bytes)) return;
    if (bytes > this.backlog) {
      this.counts.clamped++;
      bytes = this.backlog;
    }
    this.backlog -= bytes;
    if (this.adaptive) this.measure(bytes, Number.isFinite(heldMs) && heldMs > 0 ? heldMs : 0);
    this.maybeResume();
  }

  /** The window was reloaded or re-attached and its pending acks are lost: forget the backlog and resume. */
  reset(): void {
    this.backlog = 0;
    this.inFlight = [];
    this.ackedTotal = this.sentTotal;
    this.delay = null;
    // A different window (or the same one reloaded) starts from the base marks again.
    this.high = this.baseHigh;
    this.low = this.baseLow;
    this.maybeResume();
  }

  private pause(): void {
    this.source.pause();
    this.isPaused = true;
    this.counts.pauses++;
  }

  private get adaptive(): boolean { return this.maxHigh > this.baseHigh; }

  /** Times the chunks this ack completes; halves the window while the window writes too slowly. */
  private measure(bytes: number, heldMs: number): void {
    this.ackedTotal += bytes;
    let done = 0;
    while (done < this.inFlight.length && this.inFlight[done]!.end <= this.ackedTotal) done++;
    if (done === 0) return;
    this.delay = Math.max(0, this.now() - this.inFlight[done - 1]!.at - heldMs);
    this.inFlight.splice(0, done);
    if (this.delay > 2 * this.targetDelayMs && this.high > this.baseHigh) {
      this.high = Math.max(this.baseHigh, Math.floor(this.high / 2));
      this.low = this.high === this.baseHigh ? this.baseLow : Math.floor(this.high * (this.baseLow / this.baseHigh));
      this.counts.shrunk++;
    }
  }

  private grow(): void {
    if (this.high >= this.maxHigh) return;
    this.high = Math.min(this.maxHigh, this.high * 2);
    // Resume at the same share of the window as the base marks (64 of 100 KiB by default).
    this.low = Math.floor(this.high * (this.baseLow / this.baseHigh));
    this.counts.grown++;
  }

  private maybeResume(): void {
    if (this.isPaused && this.backlog <= this.low) {
      this.source.resume();
      this.isPaused = false;
      this.counts.resumes++;
    }
  }

  private valid(bytes: number): boolean {
    if (Number.isSafeInteger(bytes) && bytes > 0) return true;
    this.counts.ignored++;
    return false;
  }
}
