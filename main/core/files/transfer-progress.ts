/** Bytes moved, and speed and time left over a sliding window (a stall shows as slowing, not as the average). */
export class TransferProgress {
  private readonly samples: { at: number; bytes: number }[] = [];
  bytes: number;

  constructor(readonly total: number, startAt = 0, private readonly windowMs = 3000, private readonly now: () => number = Date.now) {
    this.bytes = startAt;
    this.samples.push({ at: now(), bytes: startAt });
  }

  add(count: number): void {
    this.bytes += count;
    const at = this.now();
    const last = this.samples[this.samples.length - 1]!;
    if (at - last.at >= 100) this.samples.push({ at, bytes: this.bytes });
    else last.bytes = this.bytes;
    while (this.samples.length > 2 && at - this.samples[1]!.at > this.windowMs) this.samples.shift();
  }

  /** Bytes per second over the window. */
  get speed(): number {
    const first = this.samples[0]!;
    const elapsed = (this.now() - first.at) / 1000;
    return elapsed > 0 ? Math.round((this.bytes - first.bytes) / elapsed) : 0;
  }

  /** Seconds left at the current speed, or null while there is no speed to go by. */
  get eta(): number | null {
    const speed = this.speed;
    if (this.bytes >= this.total) return 0;
    return speed > 0 ? Math.ceil((this.total - this.bytes) / speed) : null;
  }
}
