import net from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../contract/errors';
import { encodePng } from '../../main/core/vnc/png';
import { rfbHandshake } from '../../main/core/vnc/rfb-handshake';
import { takeSnapshot, type SnapshotOptions } from '../../main/core/vnc/snapshot';
import { readVncRecording, VncRecorder } from '../../main/core/vnc/vnc-recording';
import { decodePng, pixelAt } from '../helpers/png';
import { useTempDirs } from '../helpers/temp-dir';
import { startXvnc, type TestXvnc } from '../helpers/xvnc';

/** One full frame through the core's own RFB client, against a real Xvnc and against scripted servers (issue 10). */
const tempDir = useTempDirs('switchboard-vnc-snapshot-');

const connect = (port: number) => new Promise<net.Socket>((resolve, reject) => {
  const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
  socket.once('error', reject);
});

/** Signs in and takes a snapshot on a fresh connection, as `connect --snapshot` does. */
async function snapshotOf(port: number, password: string | null, options: Partial<SnapshotOptions> = {}) {
  const socket = await connect(port);
  try {
    const server = await rfbHandshake(socket, { password, target: 'lab' });
    const stream = (server as { stream?: Duplex }).stream ?? socket;
    return { server, frame: await takeSnapshot(stream, server, { timeoutMs: 10_000, target: 'lab', ...options }) };
  } finally {
    socket.destroy();
  }
}

function png(frame: { width: number; height: number; rgba: Uint8Array }) {
  return decodePng(encodePng(frame.width, frame.height, frame.rgba));
}

describe('a snapshot of a real Xvnc', () => {
  let xvnc: TestXvnc;
  beforeAll(async () => { xvnc = await startXvnc({ geometry: { width: 320, height: 240 } }); }, 30_000);
  afterAll(async () => { await xvnc?.stop(); });

  const points = [[0, 0], [319, 0], [0, 239], [319, 239], [160, 120], [17, 203]] as const;

  it('reads the painted root window into a PNG of the screen size', async () => {
    xvnc.x('xsetroot', ['-solid', '#3a6ea5']);
    const { frame } = await snapshotOf(xvnc.port, xvnc.password);
    const image = png(frame);
    expect([image.width, image.height]).toEqual([320, 240]);
    for (const [x, y] of points) expect(pixelAt(image, x, y), `pixel ${x},${y}`).toBe('#3a6ea5');
  });

  it('shows a repaint in the next snapshot', async () => {
    xvnc.x('xsetroot', ['-solid', '#3a6ea5']);
    expect(pixelAt(png((await snapshotOf(xvnc.port, xvnc.password)).frame), 160, 120)).toBe('#3a6ea5');
    xvnc.x('xsetroot', ['-solid', '#d9822b']);
    const image = png((await snapshotOf(xvnc.port, xvnc.password)).frame);
    for (const [x, y] of points) expect(pixelAt(image, x, y), `pixel ${x},${y}`).toBe('#d9822b');
  });

  it('hands every byte the server sent to the tap, so the session recording holds the frame', async () => {
    xvnc.x('xsetroot', ['-solid', '#123456']);
    const socket = await connect(xvnc.port);
    try {
      const server = await rfbHandshake(socket, { password: xvnc.password, target: 'lab' });
      const file = path.join(tempDir(), 'snap.vncrec');
      const recorder = VncRecorder.create({ file, sessionId: 'snap-1', width: server.width, height: server.height, name: server.name, serverInit: server.serverInit, recordInput: false });
      const seen: Buffer[] = [];
      const frame = await takeSnapshot((server as { stream?: Duplex }).stream ?? socket, server, {
        timeoutMs: 10_000, onServerBytes: (bytes) => { seen.push(Buffer.from(bytes)); recorder.output(bytes); },
      });
      const result = await recorder.close();
      expect(pixelAt(png(frame), 5, 5)).toBe('#123456');
      const recording = readVncRecording(file);
      expect(recording.header).toMatchObject({ width: 320, height: 240, serverInit: server.serverInit.toString('base64') });
      const recorded = Buffer.concat(recording.events.map((e) => e.data));
      expect(recorded.equals(Buffer.concat(seen))).toBe(true);
      expect(recorded.length).toBeGreaterThanOrEqual(320 * 240 * 4); // the whole frame, raw
      expect(result.complete).toBe(true);
    } finally {
      socket.destroy();
    }
  });
});

/** Pixels as the snapshot asked for them: R, G, B, unused. */
const rgbx = (hex: string, count: number) => Buffer.concat(Array.from({ length: count }, () => Buffer.from(`${hex.slice(1)}00`, 'hex')));
const rect = (x: number, y: number, w: number, h: number, encoding: number, body: Buffer = Buffer.alloc(0)) => {
  const head = Buffer.alloc(12);
  [x, y, w, h].forEach((v, i) => head.writeUInt16BE(v, i * 2));
  head.writeInt32BE(encoding, 8);
  return Buffer.concat([head, body]);
};
const update = (...rects: Buffer[]) => Buffer.concat([Buffer.from([0, 0, rects.length >> 8, rects.length & 0xff]), ...rects]);
const copyFrom = (x: number, y: number) => Buffer.from([x >> 8, x & 0xff, y >> 8, y & 0xff]);

interface Scripted { port: number; sentAfterInit: Buffer[]; fromClient: () => Buffer; close: () => Promise<void> }

/**
 * An RFB 3.8 server with no authentication that greets with an 8x4 screen, then runs `script` with a
 * reader of the client's messages and a writer whose bytes are kept (the tap must see exactly them).
 */
async function scriptedServer(script: (io: { next: (bytes: number) => Promise<Buffer>; send: (bytes: Buffer) => void; socket: net.Socket }) => Promise<void>): Promise<Scripted> {
  const sentAfterInit: Buffer[] = [];
  let received = Buffer.alloc(0);
  let all = Buffer.alloc(0);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let waiter: (() => void) | null = null;
    socket.on('data', (chunk) => { received = Buffer.concat([received, chunk]); all = Buffer.concat([all, chunk]); waiter?.(); });
    socket.on('error', () => {});
    const next = async (bytes: number) => {
      while (received.length < bytes) await new Promise<void>((resolve) => { waiter = resolve; });
      const out = received.subarray(0, bytes);
      received = received.subarray(bytes);
      return out;
    };
    const send = (bytes: Buffer) => { sentAfterInit.push(bytes); socket.write(bytes); };
    void (async () => {
      socket.write('RFB 003.008\n');
      await next(12);
      socket.write(Buffer.from([1, 1]));
      await next(1);
      socket.write(Buffer.from([0, 0, 0, 0]));
      await next(1);
      const init = Buffer.from([0, 8, 0, 4, 32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0, 0, 0, 0, 4]);
      socket.write(Buffer.concat([init, Buffer.from('fake')]));
      await next(20 + 16 + 10); // SetPixelFormat, SetEncodings (3), FramebufferUpdateRequest
      await script({ next, send, socket });
    })().catch(() => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port, sentAfterInit, fromClient: () => all,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('a snapshot from servers that speak in their own ways', () => {
  let server: Scripted | null = null;
  afterEach(async () => { await server?.close(); server = null; });

  async function snapshotError(script: Parameters<typeof scriptedServer>[0], timeoutMs = 5_000): Promise<ApiError> {
    server = await scriptedServer(script);
    const error = await snapshotOf(server.port, null, { timeoutMs }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }

  it('asks for noVNC\'s 32-bit pixel format, Raw/CopyRect/DesktopSize and the whole screen; skips bell, clipboard and colour maps; asks again until every pixel came', async () => {
    server = await scriptedServer(async ({ next, send }) => {
      send(Buffer.from([2])); // Bell
      send(Buffer.concat([Buffer.from([3, 0, 0, 0, 0, 0, 0, 2]), Buffer.from('hi')])); // ServerCutText
      send(Buffer.concat([Buffer.from([3, 0, 0, 0, 0xff, 0xff, 0xff, 0xfb]), Buffer.alloc(5)])); // extended clipboard (length -5)
      send(Buffer.concat([Buffer.from([1, 0, 0, 0, 0, 2]), Buffer.alloc(12)])); // SetColourMapEntries, 2 colours
      send(update(rect(0, 0, 8, 2, 0, rgbx('#ff0000', 16)))); // top half only
      await next(10); // the client asks again
      send(update(rect(0, 2, 4, 2, 1, copyFrom(2, 0)), rect(4, 2, 4, 2, 0, rgbx('#0000ff', 8))));
    });
    const { frame } = await snapshotOf(server.port, null);
    const image = png(frame);
    expect([image.width, image.height]).toEqual([8, 4]);
    const rows = [0, 1, 2, 3].map((y) => [0, 3, 4, 7].map((x) => pixelAt(image, x, y)));
    expect(rows).toEqual([
      ['#ff0000', '#ff0000', '#ff0000', '#ff0000'],
      ['#ff0000', '#ff0000', '#ff0000', '#ff0000'],
      ['#ff0000', '#ff0000', '#0000ff', '#0000ff'],
      ['#ff0000', '#ff0000', '#0000ff', '#0000ff'],
    ]);
    const sent = server.fromClient().subarray(12 + 1 + 1);
    expect([...sent.subarray(0, 20)]).toEqual([0, 0, 0, 0, 32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 0, 8, 16, 0, 0, 0]);
    expect([sent.readInt32BE(24), sent.readInt32BE(28), sent.readInt32BE(32)]).toEqual([0, 1, -223]);
    const full = [3, 0, 0, 0, 0, 0, 0, 8, 0, 4];
    expect([...sent.subarray(36, 46)]).toEqual(full);
    expect([...sent.subarray(46, 56)]).toEqual(full); // non-incremental again: the rest of the screen
  });

  it('follows a DesktopSize change to the new screen size', async () => {
    server = await scriptedServer(async ({ send }) => {
      send(update(rect(0, 0, 8, 2, 0, rgbx('#ff0000', 16)), rect(0, 0, 3, 2, -223), rect(0, 0, 3, 2, 0, rgbx('#00ff00', 6))));
    });
    const image = png((await snapshotOf(server.port, null)).frame);
    expect([image.width, image.height]).toEqual([3, 2]);
    expect([pixelAt(image, 0, 0), pixelAt(image, 2, 1)]).toEqual(['#00ff00', '#00ff00']);
  });

  it('gives the tap exactly the bytes the server sent', async () => {
    server = await scriptedServer(async ({ send }) => {
      send(Buffer.from([2]));
      send(update(rect(0, 0, 8, 4, 0, rgbx('#abcdef', 32))));
    });
    const seen: Buffer[] = [];
    await snapshotOf(server.port, null, { onServerBytes: (bytes) => seen.push(Buffer.from(bytes)) });
    expect(Buffer.concat(seen)).toEqual(Buffer.concat(server.sentAfterInit));
  });

  it('says so when the server closes in the middle of an update', async () => {
    const error = await snapshotError(async ({ send, socket }) => {
      send(update(rect(0, 0, 8, 4, 0, rgbx('#ff0000', 32))).subarray(0, 4 + 12 + 40));
      socket.end();
    });
    expect(error).toMatchObject({
      code: 'VNC_HANDSHAKE_FAILED',
      message: 'lab closed the connection while Switchboard waited for the pixels of a screen update, before a full screen arrived.',
    });
  });

  it('gives up after its time with how much of the screen arrived', async () => {
    const error = await snapshotError(async ({ send }) => {
      send(update(rect(0, 0, 8, 1, 0, rgbx('#ff0000', 8))));
    }, 400);
    expect(error.message).toBe('lab did not send a full screen within 400 ms (25% of it arrived). The server may be busy or the link slow; try again.');
  });

  it.each([
    ['an encoding it did not ask for', update(rect(0, 0, 8, 4, 7, Buffer.alloc(64))), 'lab sent a screen update in encoding 7, which Switchboard did not ask for and cannot read. Refusing to guess at the rest of the screen.'],
    ['a rectangle outside the screen', update(rect(4, 0, 8, 4, 0, rgbx('#ff0000', 32))), 'lab sent a Raw rectangle of 8x4 at 4,0, beyond the 8x4 screen. Refusing to guess at the rest of the screen.'],
    ['a CopyRect from outside the screen', update(rect(0, 0, 2, 2, 1, copyFrom(7, 3))), 'lab sent the source of a CopyRect rectangle of 2x2 at 7,3, beyond the 8x4 screen. Refusing to guess at the rest of the screen.'],
    ['a message type it never asked for', Buffer.from([150]), 'lab sent server message type 150, which Switchboard did not ask for and cannot read. Refusing to guess at the rest of the screen.'],
  ])('refuses %s by name', async (_name, bytes, message) => {
    const error = await snapshotError(async ({ send }) => { send(bytes); });
    expect(error).toMatchObject({ code: 'VNC_HANDSHAKE_FAILED', message });
  });

  it('fails with the recording\'s error when the tap cannot record (and throws nothing from the socket)', async () => {
    server = await scriptedServer(async ({ send }) => { send(update(rect(0, 0, 8, 4, 0, rgbx('#ff0000', 32)))); });
    const failure = new ApiError('INTERNAL', 'Recording to x failed (ENOSPC: no space left on device); the session was ended rather than continue unrecorded.');
    await expect(snapshotOf(server.port, null, { onServerBytes: () => { throw failure; } })).rejects.toBe(failure);
  });
});
