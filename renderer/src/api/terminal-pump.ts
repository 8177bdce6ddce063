/**
 * The terminal's end of its byte channel, run in a worker (terminal-worker.ts) so that the window's main
 * thread neither receives every frame (one task and one mojo message each) nor holds the output while
 * xterm.js is busy: frames arrive and are joined here while the window writes, and the window gets them
 * as one message when it has finished the last (docs/performance.md, "Terminal against WeTTY").
 *
 * What arrives is paced by an OutputPacer as before (joined, handed over at most every PACE_MS while
 * output streams, at once after a keystroke or a quiet spell), and its acks go to the core from here:
 * an ack leaves once the window says xterm.js has written the bytes (`written`), with the time they were
 * held back on purpose, so the core's flow control judges how fast the window writes.
 */
import { OutputPacer, type PacerClock } from './output-pacer';
import { AckBatcher } from './ack-batcher';

/** The largest `heldMs` an ack may carry (contract/inputs.ts `terminalControl`). */
export const MAX_HELD_MS = 60_000;

/** What the pump needs from the worker: the channel to the core and the way to the window. */
export interface PumpLinks {
  /** A frame to the core: input bytes (binary) or a JSON control message (ack, resize). */
  toCore(frame: string | Uint8Array): void;
  /** Output for xterm.js; the window calls `written()` once it is written. */
  toWindowBytes(data: Uint8Array): void;
  /** A control message from the core, handed over after the output that came before it. */
  toWindowText(text: string): void;
}

export class TerminalPump {
  private readonly pacer: OutputPacer;
  private readonly acks: AckBatcher;
  /** What to call when the window has written each handed-over chunk, oldest first. */
  private readonly writing: Array<() => void> = [];

  constructor(private readonly links: PumpLinks, clock?: PacerClock) {
    this.acks = new AckBatcher((bytes, heldMs) => {
      // Whole milliseconds within what the core accepts (contract/inputs.ts), else the core closes the stream.
      const held = Math.min(MAX_HELD_MS, Math.round(heldMs));
      links.toCore(JSON.stringify(held > 0 ? { type: 'ack', bytes, heldMs: held } : { type: 'ack', bytes }));
    });
    this.pacer = new OutputPacer(
      (data, written) => { this.writing.push(written); links.toWindowBytes(data); },
      (bytes, heldMs) => this.acks.add(bytes, heldMs),
      // A worker has no page visibility to go by, and its timers are not throttled when the page is hidden.
      { clock, visible: () => true },
    );
  }

  /** Output bytes from the core. */
  output(data: Uint8Array): void { this.pacer.push(data); }

  /** A control message from the core: the output before it goes first. */
  text(text: string): void {
    this.pacer.flush();
    this.links.toWindowText(text);
  }

  /** The window wrote the oldest chunk it was given. */
  written(): void { this.writing.shift()?.(); }

  /** A frame from the window to the core; input bytes end the pacing at once (the echo is not held back). */
  send(frame: string | Uint8Array): void {
    if (typeof frame !== 'string') this.pacer.input();
    this.links.toCore(frame);
  }

  /** The channel closed: what waits is handed over before the window hears of it. */
  ended(): void { this.pacer.flush(); }

  close(): void { this.pacer.close(); }
}
