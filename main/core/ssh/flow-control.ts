import { ApiError } from '../../../contract/errors';

/**
 * Core side of the window↔core acknowledgement protocol. The core counts bytes forwarded to the window
 * (`sent`), the window reports bytes xterm.js has finished writing (`acknowledged`), and the SSH channel
 * is paused while the backlog is above the high-water mark, resumed once it has drained to the low one.
 * The window is not trusted to count correctly: bad acks are ignored or clamped, and counted.
 */

/** Pause the SSH channel while more than this is unacknowledged. */
export const HIGH_WATER_MARK = 100 * 1024;
/**
 * Resume when the window has caught up to this or below. Well above zero, so the next output is already
 * on its way while the window writes the rest (measured in bench/terminal-pipeline.mjs).
 */
export const LOW_WATER_MARK = 64 * 1024;

export interface FlowSource { pause(): void; resume(): void }

export class FlowController {
  private backlog = 0;
  private isPaused = false;
  private max = 0;
  private readonly high: number;
  private readonly low: number;
  private readonly counts = { pauses: 0, resumes: 0, ignored: 0, clamped: 0 };

  constructor(private readonly source: FlowSource, options: { high?: number; low?: number } = {}) {
    this.high = options.high ?? HIGH_WATER_MARK;
    this.low = options.low ?? LOW_WATER_MARK;
    if (!Number.isInteger(this.high) || !Number.isInteger(this.low) || this.low < 0 || this.low >= this.high) {
      throw new ApiError('INVALID_INPUT', `Flow control needs whole-byte marks with 0 ≤ low < high; got low ${this.low}, high ${this.high}.`);
    }
  }

  get unacknowledged(): number { return this.backlog; }
  get paused(): boolean { return this.isPaused; }
  /** The largest backlog seen, for the flood benchmark. */
  get maxUnacknowledged(): number { return this.max; }
  /** Times the source was paused / resumed. */
  get pauses(): number { return this.counts.pauses; }
  get resumes(): number { return this.counts.resumes; }
  /** Reports that were not a positive whole number of bytes (zero, negative, NaN, fractional) and were ignored. */
  get ignored(): number { return this.counts.ignored; }
  /** Acks for more than was unacknowledged, clamped to the backlog. */
  get clamped(): number { return this.counts.clamped; }

  /** A chunk of `bytes` was forwarded to the window. */
  sent(bytes: number): void {
    if (!this.valid(bytes)) return;
    this.backlog += bytes;
    this.max = Math.max(this.max, this.backlog);
    if (!this.isPaused && this.backlog > this.high) {
      this.source.pause();
      this.isPaused = true;
      this.counts.pauses++;
    }
  }

  /** The window has written `bytes` more (an increment, not a running total). */
  acknowledged(bytes: number): void {
    if (!this.valid(bytes)) return;
    if (bytes > this.backlog) {
      this.counts.clamped++;
      bytes = this.backlog;
    }
    this.backlog -= bytes;
    this.maybeResume();
  }

  /** The window was reloaded or re-attached and its pending acks are lost: forget the backlog and resume. */
  reset(): void {
    this.backlog = 0;
    this.maybeResume();
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
