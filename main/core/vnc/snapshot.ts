import type { Duplex } from 'node:stream';
import { ApiError } from '../../../contract/errors';
import { Framebuffer } from './framebuffer';
import type { RfbServer } from './rfb-handshake';

/** RFB encodings the snapshot asks for (RFB 7.7): all a full frame needs, nothing to decompress. */
const ENCODING = { raw: 0, copyRect: 1, desktopSize: -223 } as const;
const SERVER_MESSAGE = { framebufferUpdate: 0, setColourMapEntries: 1, bell: 2, serverCutText: 3 } as const;

/**
 * SetPixelFormat: 32 bits per pixel, depth 24, little-endian, true colour, max 255 each, shifts red 0,
 * green 8, blue 16 — byte for byte what noVNC asks for, so the stream a snapshot records replays in the
 * window's noVNC player like a viewer session's.
 */
export const SNAPSHOT_PIXEL_FORMAT = Buffer.from([0, 0, 0, 0, 32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 0, 8, 16, 0, 0, 0]);

export interface SnapshotOptions {
  /** The whole snapshot, from the first request to the last pixel. */
  timeoutMs: number;
  /**
   * Every byte the server sends during the snapshot, as it arrives: for the session's recording. Not
   * `server.rest`, which came with the handshake and is the caller's to record.
   */
  onServerBytes?: (bytes: Buffer) => void;
  /** Who is connected to, for messages: "pbx1 (10.0.0.5:5901)". */
  target?: string;
}

export interface Snapshot {
  width: number;
  height: number;
  /** width*height*4 bytes, row by row, alpha always 255. */
  rgba: Buffer;
}

/**
 * One full frame of an RFB session the core has just signed in to (after rfbHandshake, on its stream):
 * asks for a pixel format and encodings it can read without a decoder, requests the whole screen, and
 * reads updates until every pixel has been painted at least once (asking again when an update covered
 * less, or the screen was resized). The stream is left open; its listeners are removed.
 */
export async function takeSnapshot(stream: Duplex, server: Pick<RfbServer, 'width' | 'height' | 'rest'>, options: SnapshotOptions): Promise<Snapshot> {
  const target = options.target ?? 'the VNC server';
  const reader = new StreamReader(stream, options.onServerBytes);
  const timer = setTimeout(() => reader.fail(new SnapshotTimeout()), options.timeoutMs);
  const framebuffer = new Framebuffer(server.width, server.height);
  try {
    if (server.rest.length > 0) reader.push(server.rest);
    stream.write(SNAPSHOT_PIXEL_FORMAT);
    stream.write(setEncodings([ENCODING.raw, ENCODING.copyRect, ENCODING.desktopSize]));
    stream.write(fullUpdateRequest(framebuffer));
    while (!framebuffer.complete) {
      const type = (await reader.read(1, 'the next server message'))[0]!;
      switch (type) {
        case SERVER_MESSAGE.framebufferUpdate:
          await readUpdate(reader, framebuffer, target);
          if (!framebuffer.complete) stream.write(fullUpdateRequest(framebuffer));
          break;
        case SERVER_MESSAGE.setColourMapEntries: {
          const head = await reader.read(5, 'a colour map');
          await reader.read(head.readUInt16BE(3) * 6, 'a colour map');
          break;
        }
        case SERVER_MESSAGE.bell:
          break;
        case SERVER_MESSAGE.serverCutText: {
          const head = await reader.read(7, 'clipboard text');
          // The extended clipboard's length is negative; either way its size is the absolute value.
          await reader.read(Math.abs(head.readInt32BE(3)), 'clipboard text');
          break;
        }
        default:
          throw protocol(`${target} sent server message type ${type}, which Switchboard did not ask for and cannot read`);
      }
    }
    return { width: framebuffer.width, height: framebuffer.height, rgba: framebuffer.rgba };
  } catch (error) {
    if (error instanceof SnapshotTimeout) throw failed(`${target} did not send a full screen within ${options.timeoutMs} ms (${percent(framebuffer)} of it arrived). The server may be busy or the link slow; try again.`);
    if (error instanceof ClosedWhileReading) throw failed(`${target} closed the connection while Switchboard waited for ${error.what}, before a full screen arrived${error.reason ? ` (${error.reason})` : ''}.`);
    if (error instanceof RangeError) throw protocol(`${target} sent ${error.message}`);
    throw error;
  } finally {
    clearTimeout(timer);
    reader.detach();
  }
}

/** One FramebufferUpdate, after its type byte. */
async function readUpdate(reader: StreamReader, framebuffer: Framebuffer, target: string): Promise<void> {
  const rectangles = (await reader.read(3, 'a screen update')).readUInt16BE(1);
  for (let i = 0; i < rectangles; i++) {
    const head = await reader.read(12, 'a screen update');
    const x = head.readUInt16BE(0);
    const y = head.readUInt16BE(2);
    const w = head.readUInt16BE(4);
    const h = head.readUInt16BE(6);
    const encoding = head.readInt32BE(8);
    switch (encoding) {
      case ENCODING.raw:
        framebuffer.putRaw(x, y, w, h, await reader.read(w * h * 4, 'the pixels of a screen update'));
        break;
      case ENCODING.copyRect: {
        const source = await reader.read(4, 'a screen update');
        framebuffer.copyRect(x, y, w, h, source.readUInt16BE(0), source.readUInt16BE(2));
        break;
      }
      case ENCODING.desktopSize:
        if (w === 0 || h === 0) throw protocol(`${target} resized its screen to ${w}x${h}`);
        framebuffer.resize(w, h);
        break;
      default:
        throw protocol(`${target} sent a screen update in encoding ${encoding}, which Switchboard did not ask for and cannot read`);
    }
  }
}

function setEncodings(encodings: number[]): Buffer {
  const message = Buffer.alloc(4 + 4 * encodings.length);
  message[0] = 2;
  message.writeUInt16BE(encodings.length, 2);
  encodings.forEach((encoding, i) => message.writeInt32BE(encoding, 4 + 4 * i));
  return message;
}

/** Non-incremental: the whole screen, whether it changed or not. */
function fullUpdateRequest(framebuffer: Framebuffer): Buffer {
  const message = Buffer.alloc(10);
  message[0] = 3;
  message.writeUInt16BE(framebuffer.width, 6);
  message.writeUInt16BE(framebuffer.height, 8);
  return message;
}

function percent(framebuffer: Framebuffer): string {
  return `${Math.floor(framebuffer.progress * 100)}%`;
}

/** VNC_HANDSHAKE_FAILED: the snapshot is the last step of signing in and looking, and fails the same way to a person. */
function failed(message: string): ApiError {
  return new ApiError('VNC_HANDSHAKE_FAILED', message);
}

function protocol(message: string): ApiError {
  return failed(`${message}. Refusing to guess at the rest of the screen.`);
}

class SnapshotTimeout extends Error {}

class ClosedWhileReading extends Error {
  constructor(readonly what: string, readonly reason: string) {
    super(`closed while reading ${what}`);
  }
}

/**
 * Exact reads over a stream of chunks, linear in the bytes read: a multi-megabyte Raw rectangle is
 * gathered once from the chunks that hold it, not re-concatenated per chunk.
 */
class StreamReader {
  private parts: Buffer[] = [];
  private buffered = 0;
  private waiting: { bytes: number; what: string; resolve: (data: Buffer) => void; reject: (error: Error) => void } | null = null;
  private ended: Error | null = null;
  private readonly onData = (chunk: Buffer) => {
    try {
      this.tap?.(chunk);
    } catch (error) {
      // The tap is the session's recording: when it cannot write, the snapshot fails with its error.
      this.fail(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    this.push(chunk);
  };
  private readonly onEnd = () => this.fail(new ClosedWhileReading('', ''));
  private readonly onError = (error: Error) => this.fail(new ClosedWhileReading('', error.message));

  constructor(private readonly stream: Duplex, private readonly tap?: (bytes: Buffer) => void) {
    stream.on('data', this.onData);
    stream.on('end', this.onEnd);
    stream.on('close', this.onEnd);
    stream.on('error', this.onError);
  }

  push(chunk: Buffer): void {
    this.parts.push(chunk);
    this.buffered += chunk.length;
    this.pump();
  }

  read(bytes: number, what: string): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.waiting = { bytes, what, resolve, reject };
      this.pump();
    });
  }

  fail(error: Error): void {
    this.ended ??= error;
    this.pump();
  }

  detach(): void {
    this.stream.off('data', this.onData);
    this.stream.off('end', this.onEnd);
    this.stream.off('close', this.onEnd);
    this.stream.off('error', this.onError);
  }

  private pump(): void {
    const waiting = this.waiting;
    if (!waiting) return;
    if (this.buffered >= waiting.bytes) {
      this.waiting = null;
      waiting.resolve(this.take(waiting.bytes));
    } else if (this.ended) {
      this.waiting = null;
      const ended = this.ended;
      waiting.reject(ended instanceof ClosedWhileReading ? new ClosedWhileReading(waiting.what, ended.reason) : ended);
    }
  }

  private take(bytes: number): Buffer {
    const first = this.parts[0];
    if (first && first.length >= bytes) {
      if (first.length === bytes) this.parts.shift();
      else this.parts[0] = first.subarray(bytes);
      this.buffered -= bytes;
      return first.subarray(0, bytes);
    }
    const out = Buffer.allocUnsafe(bytes);
    let filled = 0;
    while (filled < bytes) {
      const part = this.parts[0]!;
      const n = Math.min(part.length, bytes - filled);
      part.copy(out, filled, 0, n);
      filled += n;
      if (n === part.length) this.parts.shift();
      else this.parts[0] = part.subarray(n);
    }
    this.buffered -= bytes;
    return out;
  }
}
