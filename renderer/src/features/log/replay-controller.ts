import { ReplayClock } from './replay-clock';
import { buildTimeline, stepsBetween, type ReplayEvent, type Timeline } from './replay-timeline';

/** The part of xterm's Terminal the replay drives. */
export interface ReplayTerminal {
  write(data: string, callback?: () => void): void;
  resize(cols: number, rows: number): void;
  reset(): void;
}

/**
 * Plays a recording into a terminal on the replay clock, and seeks: a seek waits for the terminal to
 * finish what it was writing, resets it (unless it only moves forward) and writes every event up to
 * the new time in a few large batches, with no waiting.
 */
export class ReplayController extends ReplayClock<Timeline> {
  constructor(
    private readonly term: ReplayTerminal,
    private readonly events: readonly ReplayEvent[],
    private readonly size: { cols: number; rows: number },
    maxIdleSeconds: number,
    wallClock?: () => number,
  ) {
    super(buildTimeline(events, maxIdleSeconds), wallClock);
  }

  /** Whatever the terminal still has queued (playback writes) must land before a reset, not after. */
  protected override beforeSeek(): Promise<void> {
    return this.written('');
  }

  protected resetScreen(): void {
    this.term.reset();
    this.term.resize(this.size.cols, this.size.rows);
  }

  protected async seekEvents(from: number, upTo: number, current: () => boolean): Promise<boolean> {
    for (const step of stepsBetween(this.events, from, upTo)) {
      if (!current()) return false;
      if (step.kind === 'write') await this.written(step.data);
      else this.term.resize(step.cols, step.rows);
    }
    return true;
  }

  /** Playback writes are queued without waiting; a resize waits its turn behind the output before it. */
  protected playEvents(from: number, upTo: number): void {
    for (const step of stepsBetween(this.events, from, upTo)) {
      if (step.kind === 'write') this.term.write(step.data);
      else this.term.write('', () => this.term.resize(step.cols, step.rows));
    }
  }

  private written(data: string): Promise<void> {
    return new Promise((resolve) => this.term.write(data, resolve));
  }
}
