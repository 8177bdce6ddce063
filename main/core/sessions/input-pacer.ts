/**
 * What the window types goes to the SSH channel at once; a big paste goes in slices with a short gap
 * between them. sshd writes its buffered input to the pty in one write, and with echo off in canonical
 * mode (a password prompt, `stty -echo`) it answers each write with an SSH_MSG_IGNORE of the same size
 * ("Simulate echo" in OpenSSH's channels.c). A burst of a megabyte would come back as IGNORE packets
 * larger than any client accepts (OpenSSH's own limit is 256 KiB) and end the session. Slices keep
 * sshd's writes, and so those packets, small.
 */

/** Most bytes written at once. */
export const INPUT_SLICE_BYTES = 16 * 1024;
/** Pause after a full slice, so sshd can write it to the pty before the next arrives. */
export const INPUT_GAP_MS = 2;

export class InputPacer {
  private queue: Buffer[] = [];
  private queued = 0;
  private timer: NodeJS.Timeout | null = null;
  /** While set: keep what is pushed, up to this many bytes, and write nothing (see hold()). */
  private holdLimit: number | null = null;

  constructor(private readonly write: (data: Buffer) => void, private readonly slice = INPUT_SLICE_BYTES, private readonly gapMs = INPUT_GAP_MS) {}

  /** Bytes waiting for their turn (a paste in progress). */
  get pending(): number { return this.queued; }

  /** Keeps what is pushed instead of writing it (typing ahead of a shell that is not there yet); beyond `max` bytes it is not typing, and is dropped. */
  hold(max: number): void {
    this.holdLimit = max;
  }

  /** Writes what was held, in order, then goes on as usual. */
  release(): void {
    this.holdLimit = null;
    if (!this.timer) this.flush();
  }

  push(data: Buffer): void {
    if (data.length === 0) return;
    if (this.holdLimit !== null && this.queued + data.length > this.holdLimit) return;
    this.queue.push(data);
    this.queued += data.length;
    if (!this.timer && this.holdLimit === null) this.flush();
  }

  /** Drops what has not been sent (the session ended). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue = [];
    this.queued = 0;
  }

  private flush(): void {
    this.timer = null;
    if (this.queued === 0) return;
    const all = this.queue.length === 1 ? this.queue[0]! : Buffer.concat(this.queue, this.queued);
    const now = all.subarray(0, this.slice);
    const rest = all.subarray(now.length);
    this.queue = rest.length > 0 ? [rest] : [];
    this.queued = rest.length;
    this.write(now);
    // Keystrokes after a small write go at once; only a full slice makes the next one wait.
    if (now.length === this.slice || this.queued > 0) this.timer = setTimeout(() => this.flush(), this.gapMs);
  }
}
