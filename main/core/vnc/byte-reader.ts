import type { Duplex } from 'node:stream';

/**
 * Exact reads from a socket during a protocol handshake: `read(n)` resolves with exactly n bytes, or
 * rejects when the peer closes first (naming what was awaited) or the deadline passes. Whatever arrived
 * beyond the handshake stays in `rest()` for whoever relays the stream next.
 */
export class ByteReader {
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: { bytes: number; what: string; resolve: (data: Buffer) => void; reject: (error: Error) => void } | null = null;
  private ended: Error | null = null;
  private readonly onData = (chunk: Buffer) => { this.buffered = Buffer.concat([this.buffered, chunk]); this.pump(); };
  private readonly onEnd = () => this.fail(new Error('closed'));
  private readonly onError = (error: Error) => this.fail(error);

  constructor(private readonly socket: Duplex) {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
  }

  read(bytes: number, what: string): Promise<Buffer> {
    if (this.waiting) throw new Error('one read at a time');
    return new Promise((resolve, reject) => {
      this.waiting = { bytes, what, resolve, reject };
      this.pump();
    });
  }

  /** Stops listening and hands back what arrived after the last read. */
  detach(): Buffer {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.off('error', this.onError);
    const rest = this.buffered;
    this.buffered = Buffer.alloc(0);
    return rest;
  }

  private pump(): void {
    const waiting = this.waiting;
    if (!waiting) return;
    if (this.buffered.length >= waiting.bytes) {
      const data = this.buffered.subarray(0, waiting.bytes);
      this.buffered = this.buffered.subarray(waiting.bytes);
      this.waiting = null;
      waiting.resolve(Buffer.from(data));
    } else if (this.ended) {
      this.waiting = null;
      waiting.reject(new ClosedDuring(waiting.what, this.ended));
    }
  }

  private fail(error: Error): void {
    this.ended ??= error;
    this.pump();
  }
}

/** The peer went away (or the socket failed) while a step of the handshake was awaited. */
export class ClosedDuring extends Error {
  constructor(readonly what: string, override readonly cause: Error) {
    super(`the connection closed while waiting for ${what}${cause.message !== 'closed' ? ` (${cause.message})` : ''}`);
  }
}
