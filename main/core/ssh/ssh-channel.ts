import type { ClientChannel } from 'ssh2';
import { ReceiveWindow } from './receive-window';

export interface ChannelExit {
  /** The remote exit status, or null when the process died of a signal or the channel closed without one. */
  code: number | null;
  /** Signal name without `SIG` (`TERM`, `KILL`) when the process was killed. */
  signal: string | null;
}

export type ChannelSource = 'stdout' | 'stderr';

/** Payload bytes through a connection's channels, both ways (not counting SSH framing). */
export interface ByteCounters { bytesIn: number; bytesOut: number }

/**
 * A session channel (exec or shell). Output is held by the stream until the first `onData` listener,
 * so nothing is lost between opening and subscribing. `pause()` stops reading: ssh2 then stops
 * granting window once its own buffer is full (2 MiB); with `limitReceiveWindow` the server gets no
 * more credit at once, which is the back-pressure a slow terminal needs.
 */
export class SshChannel {
  readonly exit: Promise<ChannelExit>;
  private readonly listeners = new Set<(data: Buffer, source: ChannelSource) => void>();
  private subscribed = false;
  private exitInfo: ChannelExit = { code: null, signal: null };
  private window: ReceiveWindow | null = null;

  constructor(private readonly stream: ClientChannel, private readonly counters: ByteCounters, readonly pty: boolean) {
    stream.on('exit', (code: number | null, signal?: string) => {
      this.exitInfo = { code: typeof code === 'number' ? code : null, signal: typeof signal === 'string' ? signal : null };
    });
    this.exit = new Promise((resolve) => {
      stream.once('close', () => resolve(this.exitInfo));
    });
    // A channel error (the connection dropped) ends in 'close' too; the connection reports why.
    stream.on('error', () => {});
  }

  /** Subscribes to output; returns the unsubscribe function. */
  onData(listener: (data: Buffer, source: ChannelSource) => void): () => void {
    this.listeners.add(listener);
    if (!this.subscribed) {
      this.subscribed = true;
      const dispatch = (source: ChannelSource) => (chunk: Buffer | string) => {
        const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        this.counters.bytesIn += data.length;
        this.window?.delivered(data.length);
        for (const l of this.listeners) l(data, source);
      };
      this.stream.on('data', dispatch('stdout'));
      this.stream.stderr.on('data', dispatch('stderr'));
    }
    return () => this.listeners.delete(listener);
  }

  /** Returns false when the caller should wait for `drained()` before writing more. */
  write(data: string | Buffer): boolean {
    const buffer = typeof data === 'string' ? Buffer.from(data) : data;
    this.counters.bytesOut += buffer.length;
    return this.stream.write(buffer);
  }

  drained(): Promise<void> {
    return this.stream.writableNeedDrain ? new Promise((resolve) => this.stream.once('drain', () => resolve())) : Promise.resolve();
  }

  /** Sends EOF: the remote command sees the end of its input. */
  endInput(): void {
    this.stream.end();
  }

  /** Tells the remote PTY the terminal's new size (no-op for an exec without a PTY). */
  resize(cols: number, rows: number): void {
    if (this.pty) this.stream.setWindow(rows, cols, 0, 0);
  }

  /**
   * For interactive terminals: never grant the server more than `limit` bytes of credit (see
   * ReceiveWindow), so little is queued upstream when the window lags and a Ctrl-C takes effect quickly.
   */
  limitReceiveWindow(limit?: number): void {
    this.window ??= new ReceiveWindow(this.stream, limit);
  }

  pause(): void {
    this.stream.pause();
    this.stream.stderr.pause();
  }

  resume(): void {
    this.stream.resume();
    this.stream.stderr.resume();
  }

  /** Bytes ssh2 has received but the channel has not delivered yet (what a pause holds back). */
  get heldBytes(): number {
    return this.stream.readableLength + this.stream.stderr.readableLength;
  }

  isPaused(): boolean {
    return this.stream.isPaused();
  }

  /** Sends a signal to the remote process (servers may ignore it; OpenSSH honours it from 7.9 on). */
  signal(name: 'INT' | 'TERM' | 'KILL' | 'HUP'): void {
    this.stream.signal(name);
  }

  close(): void {
    this.stream.close();
  }
}

export type ExecChannel = SshChannel;
export type ShellChannel = SshChannel;
