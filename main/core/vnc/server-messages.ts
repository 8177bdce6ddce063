import { RfbStreamError } from './client-messages';
import { ENCODING } from './encodings';

/**
 * Server → viewer RFB messages, walked by length without decoding a pixel, so the relay can drop the
 * server's clipboard where the site does not allow it to reach the engineer. Bytes are passed on as
 * they arrive: `push` hands back the parts of each chunk to forward (views into the chunk, never copies)
 * and leaves out only the messages `drop` names — decided at a message's first byte, so nothing is held
 * back. The lengths follow noVNC 1.7's decoders (core/rfb.js, core/decoders/*.js), which is what reads
 * the stream at the other end. A message or rectangle encoding it cannot walk ends the stream with an
 * RfbStreamError rather than guessing (the relay keeps the viewer from asking for those).
 */
export const SERVER_MESSAGE = {
  framebufferUpdate: 0,
  setColourMapEntries: 1,
  bell: 2,
  serverCutText: 3,
  endOfContinuousUpdates: 150,
  serverFence: 248,
  xvp: 250,
} as const;

export type ServerMessageName = keyof typeof SERVER_MESSAGE;

const NAMES = new Map<number, ServerMessageName>(Object.entries(SERVER_MESSAGE).map(([name, type]) => [type, name as ServerMessageName]));

export interface PixelFormat {
  bitsPerPixel: number;
  depth: number;
}

/** The pixel format in a ServerInit (bytes 4–19) or a SetPixelFormat message (bytes 4–19). */
export function pixelFormatAt(message: Buffer, offset = 4): PixelFormat {
  return { bitsPerPixel: message[offset]!, depth: message[offset + 1]! };
}

export interface ServerFramerOptions {
  /** The format pixels come in until the viewer changes it: the ServerInit's. Default 32 bpp, depth 24. */
  pixelFormat?: PixelFormat;
  /** Whether to leave a message out of the stream; asked once, at its first byte. */
  drop?: (name: ServerMessageName) => boolean;
  /** Told of each message as it starts, and whether it is dropped. */
  onMessage?: (name: ServerMessageName, dropped: boolean) => void;
}

type Step = (header: Buffer) => void;
const HEADER_MAX = 12;

export class ServerMessageFramer {
  private bytesPerPixel = 4;
  /** Tight's TPIXEL: 3 bytes for 32-bit pixels of depth 24, else a whole pixel. */
  private tightPixel = 3;
  private pendingFormat: PixelFormat | null = null;

  // What comes next: `skip` bytes to pass over, then `want` bytes handed whole to `next`.
  private skip = 0;
  private want = 1;
  private next: Step;
  private readonly scratch = Buffer.alloc(HEADER_MAX);
  private have = 0;

  // The current rectangle and update.
  private rects = 0;
  private width = 0;
  private height = 0;
  private tightLength = 0;

  // The chunk being walked: where the type byte of a message sits, and what is passed on so far.
  private chunk: Buffer = Buffer.alloc(0);
  private at = 0;
  private out: Buffer[] = [];
  private passFrom = 0;
  private dropping = false;

  private readonly drop: (name: ServerMessageName) => boolean;
  private readonly onMessage: ((name: ServerMessageName, dropped: boolean) => void) | undefined;

  constructor(options: ServerFramerOptions = {}) {
    this.drop = options.drop ?? (() => false);
    this.onMessage = options.onMessage;
    this.applyFormat(options.pixelFormat ?? { bitsPerPixel: 32, depth: 24 });
    this.next = this.onType;
  }

  /**
   * The viewer sent SetPixelFormat. It takes effect at the next message the server starts: an update
   * already on its way was encoded in the old format. (RFB leaves a window where the server may still
   * start one more update in the old format; noVNC sets its format once, before its first request.)
   */
  setPixelFormat(format: PixelFormat | number): void {
    const next = typeof format === 'number' ? { bitsPerPixel: format, depth: format === 32 ? 24 : format } : format;
    if (![8, 16, 32].includes(next.bitsPerPixel)) throw new RfbStreamError(`the viewer asked for ${next.bitsPerPixel} bits per pixel; RFB allows 8, 16 or 32`);
    this.pendingFormat = next;
  }

  /** The parts of `chunk` to forward, in order: views into it, all of it unless a message is dropped. */
  push(chunk: Buffer): Buffer[] {
    this.chunk = chunk;
    this.out = [];
    this.passFrom = 0;
    const end = chunk.length;
    let pos = 0;
    for (;;) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, end - pos);
        pos += n;
        this.skip -= n;
        if (this.skip > 0) break;
      }
      if (pos >= end) break;
      const want = this.want;
      if (this.have === 0 && end - pos >= want) {
        this.at = pos;
        pos += want;
        this.next(chunk.subarray(pos - want, pos));
      } else {
        const n = Math.min(want - this.have, end - pos);
        chunk.copy(this.scratch, this.have, pos, pos + n);
        this.have += n;
        pos += n;
        if (this.have === want) {
          this.have = 0;
          this.next(this.scratch.subarray(0, want));
        }
      }
    }
    if (!this.dropping && this.passFrom < end) this.out.push(this.passFrom === 0 ? chunk : chunk.subarray(this.passFrom, end));
    const out = this.out;
    this.out = [];
    this.chunk = Buffer.alloc(0);
    return out;
  }

  /** Whether the stream sits between two messages (nothing of a message is pending). */
  get atMessageBoundary(): boolean {
    return this.next === this.onType && this.skip === 0 && this.have === 0;
  }

  private applyFormat(format: PixelFormat): void {
    this.bytesPerPixel = format.bitsPerPixel / 8;
    this.tightPixel = format.bitsPerPixel === 32 && format.depth <= 24 ? 3 : this.bytesPerPixel;
  }

  private read(bytes: number, then: Step): void {
    this.want = bytes;
    this.next = then;
  }

  private endMessage(): void {
    this.read(1, this.onType);
  }

  // The type byte is always read straight from the chunk (one byte never straddles two), so `at` is its place.
  private readonly onType: Step = (header) => {
    const type = header[0]!;
    const name = NAMES.get(type);
    if (name === undefined) throw new RfbStreamError(`the server sent message type ${type}, which is not RFB as Switchboard relays it`);
    const drop = this.drop(name);
    if (drop && !this.dropping) {
      if (this.at > this.passFrom) this.out.push(this.chunk.subarray(this.passFrom, this.at));
      this.dropping = true;
    } else if (!drop && this.dropping) {
      this.passFrom = this.at;
      this.dropping = false;
    }
    this.onMessage?.(name, drop);
    switch (type) {
      case SERVER_MESSAGE.framebufferUpdate:
        if (this.pendingFormat) {
          this.applyFormat(this.pendingFormat);
          this.pendingFormat = null;
        }
        return this.read(3, this.onUpdateHeader);
      case SERVER_MESSAGE.setColourMapEntries: return this.read(5, (h) => { this.skip = 6 * h.readUInt16BE(3); this.endMessage(); });
      case SERVER_MESSAGE.bell: return this.endMessage();
      // The extended clipboard sends its length negated; its payload is as long as the absolute value.
      case SERVER_MESSAGE.serverCutText: return this.read(7, (h) => { this.skip = Math.abs(h.readInt32BE(3)); this.endMessage(); });
      case SERVER_MESSAGE.endOfContinuousUpdates: return this.endMessage();
      case SERVER_MESSAGE.serverFence: return this.read(8, (h) => { this.skip = h[7]!; this.endMessage(); });
      case SERVER_MESSAGE.xvp: return this.read(3, () => this.endMessage());
    }
  };

  private readonly onUpdateHeader: Step = (header) => {
    this.rects = header.readUInt16BE(1);
    if (this.rects === 0) this.endMessage();
    else this.read(12, this.onRectHeader);
  };

  private endRect(): void {
    this.rects -= 1;
    if (this.rects > 0) this.read(12, this.onRectHeader);
    else this.endMessage();
  }

  private readonly onRectHeader: Step = (header) => {
    const width = header.readUInt16BE(4);
    const height = header.readUInt16BE(6);
    const encoding = header.readInt32BE(8);
    this.width = width;
    this.height = height;
    switch (encoding) {
      case ENCODING.raw: this.skip = width * height * this.bytesPerPixel; return this.endRect();
      case ENCODING.copyRect: this.skip = 4; return this.endRect();
      case ENCODING.zlib:
        // noVNC reads no length for an empty Zlib rectangle.
        if (width === 0 || height === 0) return this.endRect();
        return this.read(4, this.onLengthThenRect);
      case ENCODING.zrle: return this.read(4, this.onLengthThenRect);
      case ENCODING.tight: return this.read(1, this.onTightControl);
      case ENCODING.lastRect: this.rects = 1; return this.endRect();
      case ENCODING.desktopSize:
      case ENCODING.qemuExtendedKeyEvent:
      case ENCODING.extendedMouseButtons:
        return this.endRect();
      case ENCODING.qemuLedEvent: this.skip = 1; return this.endRect();
      case ENCODING.cursor: this.skip = width * height * this.bytesPerPixel + Math.ceil(width / 8) * height; return this.endRect();
      case ENCODING.xCursor: this.skip = width * height > 0 ? 6 + 2 * Math.ceil(width / 8) * height : 0; return this.endRect();
      case ENCODING.vmwareCursor: return this.read(2, this.onVmwareCursor);
      case ENCODING.desktopName: return this.read(4, this.onLengthThenRect);
      case ENCODING.extendedDesktopSize: return this.read(4, (h) => { this.skip = 16 * h[0]!; this.endRect(); });
      default:
        throw new RfbStreamError(`the server sent a rectangle in encoding ${encoding}, which the relay did not let the viewer ask for`);
    }
  };

  private readonly onLengthThenRect: Step = (header) => {
    this.skip = header.readUInt32BE(0);
    this.endRect();
  };

  private readonly onVmwareCursor: Step = (header) => {
    const pixels = this.width * this.height;
    if (header[0] === 0) this.skip = 2 * pixels * this.bytesPerPixel;
    else if (header[0] === 1) this.skip = 4 * pixels;
    else throw new RfbStreamError(`the server sent a VMware cursor of type ${header[0]}, which has no known length`);
    this.endRect();
  };

  // Tight (noVNC core/decoders/tight.js): a compression-control byte whose high nibble says fill, JPEG or
  // basic compression; the low nibble only resets zlib streams.
  private readonly onTightControl: Step = (header) => {
    const control = header[0]! >> 4;
    if (control === 0x08) {
      this.skip = this.tightPixel;
      this.endRect();
    } else if (control === 0x09) {
      this.read(1, this.onTightLength1);
    } else if ((control & 0x08) === 0) {
      if (control & 0x04) this.read(1, this.onTightFilter);
      else this.tightData(this.width * this.height * this.tightPixel);
    } else {
      throw new RfbStreamError(`the server sent Tight compression control ${control}${control === 0x0a ? ' (PNG)' : ''}, which the relay did not let the viewer ask for`);
    }
  };

  private readonly onTightFilter: Step = (header) => {
    switch (header[0]) {
      case 0: // copy
      case 2: // gradient
        return this.tightData(this.width * this.height * this.tightPixel);
      case 1: return this.read(1, this.onTightPalette);
      default: throw new RfbStreamError(`the server sent Tight filter ${header[0]}, which does not exist`);
    }
  };

  private readonly onTightPalette: Step = (header) => {
    const colours = header[0]! + 1;
    this.skip = colours * this.tightPixel;
    const bitsPerIndex = colours <= 2 ? 1 : 8;
    this.tightData(Math.floor((this.width * bitsPerIndex + 7) / 8) * this.height);
  };

  /** Pixel data of `size` bytes before compression: under 12 bytes sent as is, else a compact length and zlib data. */
  private tightData(size: number): void {
    if (size === 0) return this.endRect();
    if (size < 12) {
      this.skip += size;
      return this.endRect();
    }
    this.read(1, this.onTightLength1);
  }

  private readonly onTightLength1: Step = (header) => {
    this.tightLength = header[0]! & 0x7f;
    if (header[0]! & 0x80) this.read(1, this.onTightLength2);
    else this.tightSkip();
  };

  private readonly onTightLength2: Step = (header) => {
    this.tightLength |= (header[0]! & 0x7f) << 7;
    if (header[0]! & 0x80) this.read(1, this.onTightLength3);
    else this.tightSkip();
  };

  private readonly onTightLength3: Step = (header) => {
    this.tightLength |= header[0]! << 14;
    this.tightSkip();
  };

  private tightSkip(): void {
    this.skip = this.tightLength;
    this.endRect();
  }
}
