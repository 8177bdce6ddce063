import { buildTimeline, eventsUpTo, stepsBetween, type ReplayEvent, type ReplayStep, type Timeline } from './replay-timeline';

/** The part of xterm's Terminal the replay drives. */
export interface ReplayTerminal {
  write(data: string, callback?: () => void): void;
  resize(cols: number, rows: number): void;
  reset(): void;
}

export interface ReplayState {
  playing: boolean;
  done: boolean;
  seeking: boolean;
  speed: number;
  /** Seeks whose screen is fully written (overtaken ones do not count); lets tests and the UI wait for one. */
  seeks: number;
}

/**
 * Plays a recording into a terminal on the replay clock, and seeks: a seek waits for the terminal to
 * finish what it was writing, resets it (unless it only moves forward) and writes every event up to
 * the new time in a few large batches, with no waiting. Seeks that are overtaken (a dragged slider)
 * stop between batches, so only the last one does the work.
 */
export class ReplayController {
  readonly timeline: Timeline;
  /** Events already handed to the terminal; -1 when a seek was cut short and the screen is unknown. */
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
    private readonly term: ReplayTerminal,
    private readonly events: readonly ReplayEvent[],
    private readonly size: { cols: number; rows: number },
    maxIdleSeconds: number,
    private readonly wallClock: () => number = () => performance.now(),
  ) {
    this.timeline = buildTimeline(events, maxIdleSeconds);
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
    if (this.state.done || this.position >= this.duration) {
      this.update({ playing: true });
      void this.seek(0);
      return;
    }
    this.update({ playing: true });
    this.resume();
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

  /** Shows the screen as it was at `time` (clamped to the recording); resolves once it is written. */
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
    // Whatever the terminal still has queued (playback writes) must land before a reset, not after.
    await this.written('');
    let from = this.applied;
    if (from < 0 || upTo < from) {
      this.term.reset();
      this.term.resize(this.size.cols, this.size.rows);
      from = 0;
    }
    this.applied = -1;
    for (const step of stepsBetween(this.events, from, upTo)) {
      if (generation !== this.generation || this.disposed) return;
      if (step.kind === 'write') await this.written(step.data);
      else this.term.resize(step.cols, step.rows);
    }
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

  /** Waits until the next event is due, applies everything due by then, and waits again. */
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
    const upTo = Math.max(eventsUpTo(this.timeline.times, now), this.applied + 1);
    this.apply(stepsBetween(this.events, this.applied, upTo));
    this.applied = Math.min(upTo, this.events.length);
    this.position = now;
    this.schedule();
  }

  /** Playback writes are queued without waiting; a resize waits its turn behind the output before it. */
  private apply(steps: ReplayStep[]): void {
    for (const step of steps) {
      if (step.kind === 'write') this.term.write(step.data);
      else this.term.write('', () => this.term.resize(step.cols, step.rows));
    }
  }

  private written(data: string): Promise<void> {
    return new Promise((resolve) => this.term.write(data, resolve));
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
