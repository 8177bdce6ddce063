import { eventsUpTo } from './replay-timeline';

export interface ReplayState {
  playing: boolean;
  done: boolean;
  seeking: boolean;
  speed: number;
  /** Seeks whose screen is fully shown (overtaken ones do not count); lets tests and the UI wait for one. */
  seeks: number;
}

/** What the clock needs of a recording's timeline: one time per event (idle gaps capped, never decreasing) and the total. */
export interface ClockTimeline {
  times: number[];
  duration: number;
}

/**
 * The replay clock shared by SSH and VNC replays: play, pause, speed and seek over a recording's
 * events, whatever shows them. Playing hands over each event when it is due; a seek brings the screen
 * to the target (starting it over when it would go back), and a seek overtaken by a newer one (a
 * dragged slider) stops between batches, so only the last one does the work. A subclass says how its
 * screen starts over and how events reach it, during play and during a seek.
 */
export abstract class ReplayClock<T extends ClockTimeline> {
  /** Events already handed over (the index of the next one); -1 when a seek was cut short and the screen is unknown. */
  private applied = 0;
  private position = 0;
  private anchor: { wall: number; time: number } | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private generation = 0;
  private work: Promise<void> = Promise.resolve();
  private state: ReplayState = { playing: false, done: false, seeking: false, speed: 1, seeks: 0 };
  private readonly listeners = new Set<() => void>();
  private disposed = false;

  /**
   * What play() does while a seek is unfinished: false starts the clock at once (the seek re-anchors
   * it when done); true leaves the start to the seek, and seeks again where one was cut short.
   */
  protected readonly waitForSeekOnPlay: boolean = false;

  constructor(
    readonly timeline: T,
    private readonly wallClock: () => number = () => performance.now(),
  ) {}

  /** Brings the screen back to the recording's start. */
  protected abstract resetScreen(): void;
  /** Hands events [from, upTo) over during play, without waiting. */
  protected abstract playEvents(from: number, upTo: number): void;
  /**
   * Hands events [from, upTo) over for a seek and resolves once they are shown; between batches it
   * checks `current` and resolves false as soon as the seek has been overtaken.
   */
  protected abstract seekEvents(from: number, upTo: number, current: () => boolean): Promise<boolean>;
  /** Awaited at the start of each seek, before it decides whether to start the screen over. */
  protected beforeSeek?(): Promise<void>;

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
    else if (!this.waitForSeekOnPlay) this.resume();
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

  /** Shows the screen as it was at `time` (clamped to the recording); resolves once it is shown. */
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
    const current = () => generation === this.generation && !this.disposed;
    if (!current()) return;
    const upTo = eventsUpTo(this.timeline.times, target);
    if (this.beforeSeek) await this.beforeSeek();
    let from = this.applied;
    if (from < 0 || upTo < from) {
      this.resetScreen();
      from = 0;
    }
    this.applied = -1;
    if (!(await this.seekEvents(from, upTo, current))) return;
    this.applied = upTo;
    if (!current()) return;
    const done = upTo >= this.timeline.times.length && target >= this.duration;
    this.update({ seeking: false, done, playing: this.state.playing && !done, seeks: this.state.seeks + 1 });
    if (this.state.playing) this.resume();
  }

  private resume(): void {
    this.anchor = { wall: this.wallClock(), time: this.position };
    this.schedule();
  }

  /** Waits until the next event is due, hands over everything due by then, and waits again. */
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
    const upTo = Math.min(Math.max(eventsUpTo(this.timeline.times, now), this.applied + 1), this.timeline.times.length);
    this.playEvents(this.applied, upTo);
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
