import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { rfbHandshake } from '../../main/core/vnc/rfb-handshake';

/**
 * A small RFB viewer for tests that decodes pictures with noVNC's own decoders (Raw, CopyRect, Zlib, ZRLE,
 * Tight without JPEG), fed through noVNC's own receive queue: what it decodes, noVNC in the window would.
 * It signs in with no authentication (as the relay offers), sets noVNC's pixel format, asks for the
 * encodings a test names, and requests updates only when told to.
 */
export interface TestViewer {
  width: number;
  height: number;
  /** RGBX, 4 bytes a pixel, row by row: the decoded screen. */
  screen: Uint8Array;
  /** The payload of each ServerCutText: classic text, or (extended clipboard) the bytes after the negative length. */
  cutTexts: { extended: boolean; data: Buffer }[];
  /** Server messages in order of arrival ('framebufferUpdate', 'serverCutText', 'bell', …). */
  messages: string[];
  /** Rectangles seen by encoding number. */
  rects: Map<number, number>;
  /** Every byte received after the handshake. */
  received(): Buffer;
  send(bytes: Buffer): void;
  /** Stops and restarts reading from the socket: a viewer that cannot keep up. */
  pause(): void;
  resume(): void;
  /** Requests an update of the whole screen and resolves once a FramebufferUpdate has been decoded whole. */
  update(incremental?: boolean): Promise<void>;
  closed: Promise<void>;
  close(): void;
}

export interface TestViewerOptions {
  encodings: number[];
  /** noVNC's low-colour mode (8 bits a pixel, 2 bits a channel); default: its 24-bit colour in 32-bit pixels. */
  depth?: 8 | 24;
}

interface NoVncSock {
  init(): void;
  on(event: 'message', handler: () => void): void;
  _recvMessage(event: { data: ArrayBuffer }): void;
  rQlen(): number;
  rQwait(what: string, bytes: number, goback?: number): boolean;
  rQpeek8(): number;
  rQshift8(): number;
  rQshift16(): number;
  rQshift32(): number;
  rQpeekBytes(bytes: number): Uint8Array;
  rQshiftBytes(bytes: number): Uint8Array;
  rQskipBytes(bytes: number): void;
}
interface NoVncDecoder { decodeRect(x: number, y: number, w: number, h: number, sock: NoVncSock, display: Display, depth: number): boolean }
type Constructor<T> = new () => T;

// The package exports only rfb.js, so its modules are loaded by path (the decoders need no DOM).
const NOVNC = path.join(__dirname, '..', '..', 'node_modules', '@novnc', 'novnc', 'core');
const load = async <T>(file: string) => ((await import(pathToFileURL(path.join(NOVNC, file)).href)) as { default: T }).default;

const u16 = (n: number) => { const b = Buffer.alloc(2); b.writeUInt16BE(n); return b; };
const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(n >>> 0); return b; };

/** The part of noVNC's Display the decoders draw with, over a plain RGBX array. */
class Display {
  constructor(readonly width: number, readonly screen: Uint8Array) {}
  blitImage(x: number, y: number, w: number, h: number, data: Uint8Array, offset: number): void {
    for (let row = 0; row < h; row++) {
      const from = offset + row * w * 4;
      this.screen.set(data.subarray(from, from + w * 4), ((y + row) * this.width + x) * 4);
    }
  }
  fillRect(x: number, y: number, w: number, h: number, colour: ArrayLike<number>): void {
    for (let row = y; row < y + h; row++) {
      for (let col = x; col < x + w; col++) this.screen.set([colour[0]!, colour[1]!, colour[2]!, 255], (row * this.width + col) * 4);
    }
  }
  copyImage(oldX: number, oldY: number, newX: number, newY: number, w: number, h: number): void {
    const copy = new Uint8Array(w * h * 4);
    for (let row = 0; row < h; row++) copy.set(this.screen.subarray(((oldY + row) * this.width + oldX) * 4, ((oldY + row) * this.width + oldX + w) * 4), row * w * 4);
    this.blitImage(newX, newY, w, h, copy, 0);
  }
  imageRect(): void {
    throw new Error('the test viewer does not decode JPEG: ask for no quality level');
  }
}

/**
 * noVNC's logging reads `window.console`, and its Websock `WebSocket`'s ready-state numbers, once, when
 * first loaded (Node 20 has neither); they are lent for that moment only.
 */
async function loadNoVnc() {
  const global = globalThis as { window?: unknown; WebSocket?: unknown };
  const lent = { window: { console, Error }, WebSocket: { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 } };
  const missing = (Object.keys(lent) as (keyof typeof lent)[]).filter((name) => !(name in global));
  for (const name of missing) global[name] = lent[name];
  try {
    await load('util/logging.js');
    await load('websock.js');
  } finally {
    for (const name of missing) delete global[name];
  }
}

export async function connectTestViewer(port: number, options: TestViewerOptions): Promise<TestViewer> {
  await loadNoVnc();
  const Websock = await load<Constructor<NoVncSock>>('websock.js');
  const decoders = new Map<number, NoVncDecoder>();
  for (const [encoding, file] of [[0, 'raw'], [1, 'copyrect'], [6, 'zlib'], [7, 'tight'], [16, 'zrle']] as const) {
    decoders.set(encoding, new (await load<Constructor<NoVncDecoder>>(`decoders/${file}.js`))());
  }
  const depth = options.depth ?? 24;

  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  let onClose = () => {};
  const closed = new Promise<void>((resolve) => socket.once('close', () => { onClose(); resolve(); }));
  const server = await rfbHandshake(socket, { password: null, target: 'relay' });
  const { width, height } = server;
  const screen = new Uint8Array(width * height * 4);
  const display = new Display(width, screen);
  const sock = new Websock();
  sock.init();

  const received: Buffer[] = [];
  const cutTexts: TestViewer['cutTexts'] = [];
  const messages: string[] = [];
  const rects = new Map<number, number>();
  let waiters: (() => void)[] = [];
  let failure: Error | null = null;

  let rectsLeft = 0;
  let rect: { x: number; y: number; w: number; h: number; encoding: number } | null = null;
  /** One step of noVNC's _normalMsg; false: wait for more bytes. */
  const step = (): boolean => {
    if (rectsLeft === 0) {
      const type = sock.rQpeek8();
      switch (type) {
        case 0:
          if (sock.rQwait('update', 4)) return false;
          sock.rQskipBytes(2);
          rectsLeft = sock.rQshift16();
          if (rectsLeft === 0) return finishUpdate();
          break;
        case 2: sock.rQskipBytes(1); messages.push('bell'); return true;
        case 3: {
          if (sock.rQwait('cut text', 8)) return false;
          const length = Buffer.from(sock.rQpeekBytes(8)).readInt32BE(4);
          if (sock.rQwait('cut text', 8 + Math.abs(length))) return false;
          sock.rQskipBytes(8);
          cutTexts.push({ extended: length < 0, data: Buffer.from(sock.rQshiftBytes(Math.abs(length))) });
          messages.push('serverCutText');
          return true;
        }
        case 150: sock.rQskipBytes(1); messages.push('endOfContinuousUpdates'); return true;
        case 248: {
          if (sock.rQwait('fence', 9)) return false;
          const length = sock.rQpeekBytes(9)[8]!;
          if (sock.rQwait('fence', 9 + length)) return false;
          sock.rQskipBytes(9 + length);
          messages.push('serverFence');
          return true;
        }
        default: throw new Error(`the test viewer got server message type ${type}`);
      }
    }
    while (rectsLeft > 0) {
      if (rect === null) {
        if (sock.rQwait('rect header', 12)) return false;
        rect = { x: sock.rQshift16(), y: sock.rQshift16(), w: sock.rQshift16(), h: sock.rQshift16(), encoding: sock.rQshift32() | 0 };
        rects.set(rect.encoding, (rects.get(rect.encoding) ?? 0) + 1);
      }
      if (rect.encoding === -224) rectsLeft = 1; // LastRect
      else if (rect.encoding === -223 || rect.encoding === -258 || rect.encoding === -307 || rect.encoding === -308 || rect.encoding === -239) {
        throw new Error(`the test viewer asks for no pseudo-encoding ${rect.encoding}`);
      } else {
        const decoder = decoders.get(rect.encoding);
        if (!decoder) throw new Error(`the test viewer got encoding ${rect.encoding}`);
        if (!decoder.decodeRect(rect.x, rect.y, rect.w, rect.h, sock, display, depth)) return false;
      }
      rect = null;
      rectsLeft -= 1;
    }
    return finishUpdate();
  };
  const finishUpdate = () => {
    messages.push('framebufferUpdate');
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
    return true;
  };
  onClose = () => {
    failure ??= new Error('the relay closed the connection');
    for (const wake of waiters) wake();
    waiters = [];
  };
  sock.on('message', () => {
    try {
      while (sock.rQlen() > 0 && step());
    } catch (error) {
      failure = error as Error;
      for (const wake of waiters) wake();
      socket.destroy();
    }
  });
  const receive = (chunk: Buffer) => {
    received.push(chunk);
    // noVNC's queue takes its own copy; a fresh ArrayBuffer of exactly the chunk's bytes.
    sock._recvMessage({ data: chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.length) as ArrayBuffer });
  };
  if (server.rest.length > 0) receive(server.rest);
  socket.on('data', receive);

  const bits = Math.floor(depth / 3);
  const max = (1 << bits) - 1;
  socket.write(Buffer.concat([
    Buffer.from([0, 0, 0, 0, depth === 24 ? 32 : 8, depth, 0, 1]), u16(max), u16(max), u16(max), Buffer.from([0, bits, bits * 2, 0, 0, 0]),
    Buffer.from([2, 0]), u16(options.encodings.length), ...options.encodings.map(u32),
  ]));

  return {
    width, height, screen, cutTexts, messages, rects, closed,
    received: () => Buffer.concat(received),
    send: (bytes) => socket.write(bytes),
    pause: () => socket.pause(),
    resume: () => socket.resume(),
    update: (incremental = false) => new Promise<void>((resolve, reject) => {
      waiters.push(() => (failure ? reject(failure) : resolve()));
      socket.write(Buffer.concat([Buffer.from([3, incremental ? 1 : 0]), u16(0), u16(0), u16(width), u16(height)]));
    }),
    close: () => socket.destroy(),
  };
}
