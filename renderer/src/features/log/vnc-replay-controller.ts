import type { VncRecordingEvent } from '../../../../contract/vnc-recording-format';
import { eventsUpTo } from './replay-timeline';
import type { ReplayState } from './replay-controller';
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
 * once; a backward seek resets the viewer and feeds everything from the start. Seeks overtaken by a
 * newer one (a dragged slider) stop between batches, so only the last one finishes.
 */
export class VncReplayController {
  readonly timeline: VncTimeline;
  /** Events already fed (their index is the next to feed); -1 when a seek was cut short and the screen is unknown. */
  private applied = 0;
  private position = 0;
  private anchor: { wall: number; time: number } | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private generation = 0;
  private work: Promise<void> = Promise.resolve();
  private state: ReplayState = { playing: false, done: false, seeking: false, speed: 1, seeks: 0 };
  private readonly listeners = new Set<() => void>();
  private disposed = false;

  constructor(
    private readonly sink: VncReplaySink,
    private readonly events: readonly VncRecordingEvent[],
    maxIdleSeconds: number,
    private readonly wallClock: () => number = () => performance.now(),
  ) {
    this.timeline = buildVncTimeline(events, maxIdleSeconds);
    this.sink.reset();
  }

  get duration(): number { return this.timeline.duration; }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): ReplayState => this.state;

  /** Seconds on the replay clock; moves with the wall clock while playing. */
  now(): number {
    if (!this.anchor) return this.position;
    return Math.min(this.duration, this.anchor.time + ((this.wallClock() - this.anchor.wall) / 1000) * this.state.speed);
  }

  play(): void {
    if (this.state.playing) return;
    this.update({ playing: true });
    if (this.state.done || this.position >= this.duration) void this.seek(0);
    else if (this.applied < 0) void this.seek(this.position);
    else if (!this.state.seeking) this.resume();
  }

  pause(): void {
    if (!this.state.playing) return;
    this.position = this.now();
    this.anchor = null;
    this.clearTimer();
    this.update({ playing: false });
  }

  toggle(): void {
    if (this.state.playing) this.pause();
    else this.play();
  }

  setSpeed(speed: number): void {
    this.position = this.now();
    if (this.anchor) this.anchor = { wall: this.wallClock(), time: this.position };
    this.update({ speed });
    if (this.state.playing && !this.state.seeking) this.schedule();
  }

  /** Shows the screen as it was at `time` (clamped to the recording); resolves once it is fed. */
  seek(time: number): Promise<void> {
    const target = Math.min(Math.max(Number.isFinite(time) ? time : 0, 0), this.duration);
    const generation = ++this.generation;
    this.clearTimer();
    this.position = target;
    this.anchor = null;
    this.update({ seeking: true, done: false });
    this.work = this.work.then(() => this.render(generation, target)).catch(() => undefined);
    return this.work;
  }

  dispose(): void {
    this.disposed = true;
    this.generation++;
    this.clearTimer();
    this.listeners.clear();
  }

  private async render(generation: number, target: number): Promise<void> {
    if (generation !== this.generation || this.disposed) return;
    const upTo = eventsUpTo(this.timeline.times, target);
    let from = this.applied;
    if (from < 0 || upTo < from) {
      this.sink.reset();
      from = 0;
    }
    this.applied = -1;
    let batch = 0;
    for (let i = from; i < upTo; i++) {
      const event = this.events[i]!;
      if (event.kind !== 'o') continue;
      this.sink.feed(event.data);
      batch += event.data.length;
      if (batch >= SEEK_BATCH_BYTES) {
        batch = 0;
        await this.sink.settle();
        if (generation !== this.generation || this.disposed) return;
      }
    }
    await this.sink.settle();
    this.applied = upTo;
    if (generation !== this.generation || this.disposed) return;
    const done = upTo >= this.events.length && target >= this.duration;
    this.update({ seeking: false, done, playing: this.state.playing && !done, seeks: this.state.seeks + 1 });
    if (this.state.playing) this.resume();
  }

  private resume(): void {
    this.anchor = { wall: this.wallClock(), time: this.position };
    this.schedule();
  }

  /** Waits until the next event is due, feeds everything due by then, and waits again. */
  private schedule(): void {
    this.clearTimer();
    if (!this.state.playing || this.state.seeking || this.disposed) return;
    const next = this.timeline.times[this.applied];
    if (next === undefined) {
      this.position = this.duration;
      this.anchor = null;
      this.update({ playing: false, done: true });
      return;
    }
    const delay = Math.max(0, ((next - this.now()) * 1000) / this.state.speed);
    this.timer = setTimeout(() => this.tick(), delay);
  }

  private tick(): void {
    this.timer = null;
    const now = this.now();
    const upTo = Math.min(Math.max(eventsUpTo(this.timeline.times, now), this.applied + 1), this.events.length);
    for (let i = this.applied; i < upTo; i++) {
      const event = this.events[i]!;
      if (event.kind === 'o') this.sink.feed(event.data);
    }
    this.applied = upTo;
    this.position = now;
    this.schedule();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private update(change: Partial<ReplayState>): void {
    this.state = { ...this.state, ...change };
    for (const listener of this.listeners) listener();
  }
}
