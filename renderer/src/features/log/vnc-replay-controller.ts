import type { VncRecordingEvent } from '../../../../contract/vnc-recording-format';
import { ReplayClock } from './replay-clock';
import { buildVncTimeline, type VncTimeline } from './vnc-replay-timeline';

/** Where a VNC replay draws: a noVNC viewer behind a ReplayChannel (vnc-replay-viewer.ts), or a test's stand-in. */
export interface VncReplaySink {
  /** Starts over with a fresh viewer: RFB decoders (zlib, Tight, ZRLE) keep state from the first byte, so going back means replaying from it. */
  reset(): void;
  /** Recorded server → viewer bytes, in order. */
  feed(data: Uint8Array): void;
  /** Resolves once what was fed so far has been handed to the viewer and the page could paint. */
  settle(): Promise<void>;
}

/** A seek feeds at most this many bytes between two yields to the page, so a long one never freezes it. */
export const SEEK_BATCH_BYTES = 4 * 1024 * 1024;

/**
 * Plays a VNC recording into a viewer on the replay clock (idle gaps capped as in SSH replays), with
 * pause, speed and seek. Pausing stops feeding; a forward seek feeds everything up to the target at
 * once; a backward seek resets the viewer and feeds everything from the start.
 */
export class VncReplayController extends ReplayClock<VncTimeline> {
  protected override readonly waitForSeekOnPlay = true;

  constructor(
    private readonly sink: VncReplaySink,
    private readonly events: readonly VncRecordingEvent[],
    maxIdleSeconds: number,
    wallClock?: () => number,
  ) {
    super(buildVncTimeline(events, maxIdleSeconds), wallClock);
    this.sink.reset();
  }

  protected resetScreen(): void {
    this.sink.reset();
  }

  protected async seekEvents(from: number, upTo: number, current: () => boolean): Promise<boolean> {
    let batch = 0;
    for (let i = from; i < upTo; i++) {
      const event = this.events[i]!;
      if (event.kind !== 'o') continue;
      this.sink.feed(event.data);
      batch += event.data.length;
      if (batch >= SEEK_BATCH_BYTES) {
        batch = 0;
        await this.sink.settle();
        if (!current()) return false;
      }
    }
    await this.sink.settle();
    return true;
  }

  protected playEvents(from: number, upTo: number): void {
    for (let i = from; i < upTo; i++) {
      const event = this.events[i]!;
      if (event.kind === 'o') this.sink.feed(event.data);
    }
  }
}
