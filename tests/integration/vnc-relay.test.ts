import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientMessageFramer } from '../../main/core/vnc/client-messages';
import { ENCODING } from '../../main/core/vnc/encodings';
import { relayRfb, type RelayRules, type RelayTaps } from '../../main/core/vnc/relay';
import { ServerMessageFramer } from '../../main/core/vnc/server-messages';
import { rfbHandshake } from '../../main/core/vnc/rfb-handshake';
import { greetViewer } from '../../main/core/vnc/viewer-handshake';
import { connectTestViewer } from '../helpers/rfb-test-viewer';
import { startXvnc, type TestXvnc } from '../helpers/xvnc';

/**
 * The core's RFB relay between a viewer and a real Xvnc: the viewer is offered no authentication (the core
 * signed in with the password), gets the real server's screen, and under view-only the server provably
 * receives no input — a capturing proxy in front of Xvnc records every byte the relay sends it.
 */
const connect = (port: number) => new Promise<net.Socket>((resolve, reject) => {
  const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
  socket.once('error', reject);
});
const listen = async (onConnection: (socket: net.Socket) => void) => {
  const server = net.createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, close: () => server.close() };
};
const u16 = (n: number) => { const b = Buffer.alloc(2); b.writeUInt16BE(n); return b; };
const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; };

let xvnc: TestXvnc;
beforeAll(async () => { xvnc = await startXvnc({ password: 'relay-pass', geometry: { width: 1024, height: 768 } }); }, 30_000);
afterAll(async () => { await xvnc?.stop(); });

/**
 * Relay ⇄ capturing proxy ⇄ Xvnc, signed in, waiting for one viewer on `port`. The proxy keeps every byte
 * each way after the handshake: what the relay sent Xvnc, and what Xvnc sent before the relay's rules.
 */
async function relayToXvnc(rules: RelayRules, taps?: RelayTaps) {
  const toXvnc: Buffer[] = [];
  const fromXvnc: Buffer[] = [];
  const proxy = await listen((relaySide) => {
    const upstream = net.connect(xvnc.port, '127.0.0.1');
    relaySide.on('data', (chunk: Buffer) => { toXvnc.push(Buffer.from(chunk)); upstream.write(chunk); });
    upstream.on('data', (chunk: Buffer) => { fromXvnc.push(Buffer.from(chunk)); relaySide.write(chunk); });
    relaySide.on('close', () => upstream.destroy());
    upstream.on('close', () => relaySide.destroy());
    relaySide.on('error', () => upstream.destroy());
    upstream.on('error', () => relaySide.destroy());
  });
  const serverSocket = await connect(proxy.port);
  const server = await rfbHandshake(serverSocket, { password: 'relay-pass', target: 'lab' });
  const handshakeTo = Buffer.concat(toXvnc).length;
  const handshakeFrom = Buffer.concat(fromXvnc).length - server.rest.length;
  let relayed: ReturnType<typeof relayRfb> | undefined;
  const relayEnd = await listen((viewerSocket) => {
    void greetViewer(viewerSocket, server.serverInit).then((first) => {
      relayed = relayRfb(viewerSocket, serverSocket, rules, first, server.rest, taps, server.serverInit);
    });
  });
  return {
    port: relayEnd.port, serverSocket,
    relay: async () => { await expect.poll(() => relayed).toBeDefined(); return relayed!; },
    toXvnc: () => Buffer.concat(toXvnc).subarray(handshakeTo),
    fromXvnc: () => Buffer.concat(fromXvnc).subarray(handshakeFrom),
    close: () => { serverSocket.destroy(); proxy.close(); relayEnd.close(); },
  };
}

/** Viewer ⇄ relay ⇄ capturing proxy ⇄ Xvnc. Returns the viewer's socket and what reached Xvnc. */
async function session(rules: RelayRules) {
  const relay = await relayToXvnc(rules);
  const viewer = await connect(relay.port);
  const seen = await rfbHandshake(viewer, { password: null, target: 'relay' });
  let fromServer = Buffer.alloc(0);
  viewer.on('data', (chunk: Buffer) => { fromServer = Buffer.concat([fromServer, chunk]); });
  /** Sends input, then an update request; once its answer comes, everything before it reached Xvnc. */
  const sendThenSync = async (...messages: Buffer[]) => {
    const before = fromServer.length;
    viewer.write(Buffer.concat([...messages, Buffer.from([3, 0]), u16(0), u16(0), u16(16), u16(16)]));
    await expect.poll(() => fromServer.length > before && fromServer[before] === 0, { timeout: 10_000 }).toBe(true);
  };
  const reachedXvnc = () => new ClientMessageFramer().push(relay.toXvnc()).map((m) => m.name);
  const close = () => { viewer.destroy(); relay.close(); };
  return { seen, sendThenSync, reachedXvnc, close };
}

const KEY_A = Buffer.concat([Buffer.from([4, 1, 0, 0]), u32(0x61)]);
const POINTER = Buffer.concat([Buffer.from([5, 1]), u16(5), u16(5)]);
const CLIPBOARD = Buffer.concat([Buffer.from([6, 0, 0, 0]), u32(5), Buffer.from('hello')]);

describe('the RFB relay against a real Xvnc', () => {
  it('offers the viewer no authentication and hands on the real screen', async () => {
    const s = await session({ viewOnly: false, clipboardToServer: true, clipboardToViewer: true });
    try {
      expect(s.seen).toMatchObject({ security: 'None', width: xvnc.width, height: xvnc.height });
      await s.sendThenSync();
      expect(s.reachedXvnc()).toEqual(['framebufferUpdateRequest']);
    } finally {
      s.close();
    }
  });

  it('passes keys, pointer and clipboard in a full-control session', async () => {
    const s = await session({ viewOnly: false, clipboardToServer: true, clipboardToViewer: true });
    try {
      await s.sendThenSync(KEY_A, POINTER, CLIPBOARD);
      expect(s.reachedXvnc()).toEqual(['keyEvent', 'pointerEvent', 'clientCutText', 'framebufferUpdateRequest']);
    } finally {
      s.close();
    }
  });

  it('view-only: the server receives no input at all, only the viewer\'s requests for pictures', async () => {
    const s = await session({ viewOnly: true, clipboardToServer: true, clipboardToViewer: true });
    try {
      await s.sendThenSync(KEY_A, POINTER, CLIPBOARD, KEY_A);
      expect(s.reachedXvnc()).toEqual(['framebufferUpdateRequest']);
    } finally {
      s.close();
    }
  });

  it('keeps the engineer\'s clipboard from the server when the site says so, and passes keys', async () => {
    const s = await session({ viewOnly: false, clipboardToServer: false, clipboardToViewer: true });
    try {
      await s.sendThenSync(CLIPBOARD, KEY_A);
      expect(s.reachedXvnc()).toEqual(['keyEvent', 'framebufferUpdateRequest']);
    } finally {
      s.close();
    }
  });
});

/** Names of the server messages in a stream Xvnc sent, walked by an independent framer. */
const serverMessages = (bytes: Buffer) => {
  const names: string[] = [];
  new ServerMessageFramer({ onMessage: (name) => names.push(name) }).push(bytes);
  return names;
};
const FULL: RelayRules = { viewOnly: false, clipboardToServer: true, clipboardToViewer: true };
const pixel = (screen: Uint8Array, width: number, x: number, y: number) => [...screen.subarray((y * width + x) * 4, (y * width + x) * 4 + 3)];

/** Waits until two whole screens in a row are the same (the xterm has drawn its text). */
async function screenSettled() {
  const relay = await relayToXvnc(FULL);
  const viewer = await connectTestViewer(relay.port, { encodings: [ENCODING.raw] });
  try {
    let last = Buffer.alloc(0);
    await expect.poll(async () => {
      await viewer.update();
      const now = Buffer.from(viewer.screen);
      const same = now.equals(last);
      last = now;
      return same;
    }, { timeout: 10_000, interval: 200 }).toBe(true);
  } finally {
    viewer.close();
    relay.close();
  }
}

describe('the server\'s side of the relay against a real Xvnc', () => {
  beforeAll(() => {
    xvnc.x('xsetroot', ['-solid', '#3366cc']);
    // Text on the screen, so Tight and ZRLE use their palette, run-length and gradient paths, not only fills.
    xvnc.launch('xterm', ['-title', 'relay-test', '-geometry', '100x30+40+40', '-e', 'sh', '-c', 'while :; do ls -l /usr/bin | head -40; sleep 60; done']);
  });

  // TigerVNC does not speak Zlib (it answers with Raw); the unit tests walk it.
  it('walks a whole 1024x768 screen in each encoding, and the viewer decodes the same picture from each', async () => {
    await expect.poll(() => { try { xvnc.x('xwininfo', ['-name', 'relay-test']); return true; } catch { return false; } }, { timeout: 10_000 }).toBe(true);
    await screenSettled();
    const screens: Uint8Array[] = [];
    for (const [encoding, depth] of [[ENCODING.raw, 24], [ENCODING.zrle, 24], [ENCODING.tight, 24], [ENCODING.raw, 8]] as const) {
      const relay = await relayToXvnc(FULL);
      const viewer = await connectTestViewer(relay.port, { encodings: [encoding], depth });
      try {
        await viewer.update();
        expect(viewer.rects.has(encoding), `encoding ${encoding}: ${JSON.stringify([...viewer.rects])} ${viewer.messages.join()}`).toBe(true);
        expect(viewer.received().equals(relay.fromXvnc()), `encoding ${encoding}: the viewer got what Xvnc sent`).toBe(true);
        expect(pixel(viewer.screen, viewer.width, 2, 2)).toEqual(depth === 24 ? [0x33, 0x66, 0xcc] : [0x55, 0x55, 0xaa]);
        expect(pixel(viewer.screen, viewer.width, 100, 100), 'the xterm is on the screen').not.toEqual(pixel(viewer.screen, viewer.width, 2, 2));
        if (depth === 24) screens.push(Uint8Array.from(viewer.screen));
      } finally {
        viewer.close();
        relay.close();
      }
    }
    for (const screen of screens.slice(1)) expect(Buffer.from(screen).equals(Buffer.from(screens[0]!))).toBe(true);
  }, 60_000);

  it('passes the server\'s clipboard to the engineer when the site allows it', async () => {
    const relay = await relayToXvnc({ viewOnly: true, clipboardToServer: false, clipboardToViewer: true });
    const viewer = await connectTestViewer(relay.port, { encodings: [ENCODING.zrle, ENCODING.extendedClipboard] });
    try {
      await viewer.update();
      xvnc.x('xclip', ['-selection', 'clipboard'], 'from the server, allowed');
      await expect.poll(() => viewer.cutTexts.map((t) => t.data.toString()), { timeout: 10_000 }).toContain('from the server, allowed');
      // One direction only: the extended clipboard was kept from the server, so the text came classic.
      expect(viewer.cutTexts.every((t) => !t.extended)).toBe(true);
    } finally {
      viewer.close();
      relay.close();
    }
  });

  it('passes the extended clipboard when the clipboard flows both ways', async () => {
    const relay = await relayToXvnc(FULL);
    const viewer = await connectTestViewer(relay.port, { encodings: [ENCODING.zrle, ENCODING.extendedClipboard] });
    try {
      await viewer.update();
      await expect.poll(() => viewer.cutTexts.some((t) => t.extended), { timeout: 10_000 }).toBe(true); // the server's capabilities
    } finally {
      viewer.close();
      relay.close();
    }
  });

  it('keeps the server\'s clipboard from the engineer when the site says so, while pictures still arrive and decode', async () => {
    const relay = await relayToXvnc({ viewOnly: false, clipboardToServer: true, clipboardToViewer: false });
    const viewer = await connectTestViewer(relay.port, { encodings: [ENCODING.tight, ENCODING.extendedClipboard] });
    try {
      await viewer.update();
      xvnc.x('xclip', ['-selection', 'clipboard'], 'from the server, not allowed');
      // Xvnc did send it (seen at the proxy, before the relay)…
      await expect.poll(() => serverMessages(relay.fromXvnc()), { timeout: 10_000 }).toContain('serverCutText');
      xvnc.x('xsetroot', ['-solid', '#cc6633']);
      await viewer.update();
      // …and the viewer got the update after it, decoded, and no clipboard.
      expect(viewer.cutTexts).toEqual([]);
      expect(viewer.messages).not.toContain('serverCutText');
      expect(pixel(viewer.screen, viewer.width, 2, 2)).toEqual([0xcc, 0x66, 0x33]);
      expect((await relay.relay()).counters.dropped.serverCutText).toBeGreaterThan(0);
    } finally {
      xvnc.x('xsetroot', ['-solid', '#3366cc']);
      viewer.close();
      relay.close();
    }
  });

  it('sends Xvnc only the encodings the relay can walk, in the viewer\'s order', async () => {
    const relay = await relayToXvnc({ viewOnly: false, clipboardToServer: false, clipboardToViewer: true });
    const asked = [ENCODING.copyRect, ENCODING.tight, ENCODING.tightPng, ENCODING.zrle, ENCODING.jpeg, ENCODING.hextile, ENCODING.rre, ENCODING.zlib,
      ENCODING.raw, ENCODING.h264, ENCODING.desktopSize, ENCODING.lastRect, ENCODING.extendedClipboard, ENCODING.extendedMouseButtons, 4242];
    const viewer = await connectTestViewer(relay.port, { encodings: asked });
    try {
      await viewer.update();
      const setEncodings = new ClientMessageFramer().push(relay.toXvnc()).find((m) => m.name === 'setEncodings')!;
      const sent = [...Array(setEncodings.bytes.readUInt16BE(2)).keys()].map((i) => setEncodings.bytes.readInt32BE(4 + 4 * i));
      expect(sent).toEqual([ENCODING.copyRect, ENCODING.tight, ENCODING.zrle, ENCODING.zlib, ENCODING.raw, ENCODING.desktopSize, ENCODING.lastRect]);
    } finally {
      viewer.close();
      relay.close();
    }
  });

  it('shows taps exactly what is written, before it is written', async () => {
    const toViewer: Buffer[] = [];
    const toServer: string[] = [];
    const relay = await relayToXvnc(FULL, { toViewer: (bytes) => toViewer.push(Buffer.from(bytes)), toServer: (_bytes, name) => toServer.push(name) });
    const viewer = await connectTestViewer(relay.port, { encodings: [ENCODING.tight] });
    try {
      await viewer.update();
      expect(Buffer.concat(toViewer).equals(viewer.received())).toBe(true);
      expect(toServer).toEqual(new ClientMessageFramer().push(relay.toXvnc()).map((m) => m.name));
      expect(toServer).toEqual(['setPixelFormat', 'setEncodings', 'framebufferUpdateRequest']);
    } finally {
      viewer.close();
      relay.close();
    }
  });

  it.each([
    ['toViewer', { toViewer: () => { throw new Error('recording: disk full'); } }],
    ['toServer', { toServer: (_bytes: Buffer, name: string) => { if (name === 'framebufferUpdateRequest') throw new Error('recording: disk full'); } }],
  ])('ends the session at once when the %s tap throws (a recording that cannot be written)', async (which, taps: RelayTaps) => {
    const relay = await relayToXvnc(FULL, taps);
    const viewer = await connectTestViewer(relay.port, { encodings: [ENCODING.raw] });
    try {
      void viewer.update().catch(() => undefined);
      expect(await (await relay.relay()).done).toBe('recording: disk full');
      await viewer.closed;
      expect(viewer.received()).toHaveLength(0);
      const reachedXvnc = new ClientMessageFramer().push(relay.toXvnc()).map((m) => m.name);
      // The server tap refused the request, so Xvnc never got it; the viewer tap refused the answer.
      expect(reachedXvnc).toEqual(which === 'toServer' ? ['setPixelFormat', 'setEncodings'] : ['setPixelFormat', 'setEncodings', 'framebufferUpdateRequest']);
      expect(relay.serverSocket.destroyed).toBe(true);
    } finally {
      viewer.close();
      relay.close();
    }
  });

  it('stops reading from the server while the viewer cannot take more, and loses nothing', async () => {
    const relay = await relayToXvnc(FULL);
    const viewer = await connectTestViewer(relay.port, { encodings: [ENCODING.raw] });
    try {
      await viewer.update();
      viewer.pause();
      // Whole Raw screens (3 MB each) pile up in front of a viewer that reads nothing, until the relay waits for it.
      for (let asked = 0; asked < 12 && !relay.serverSocket.isPaused(); asked++) {
        const before = relay.fromXvnc().length;
        void viewer.update();
        await expect.poll(() => relay.serverSocket.isPaused() || relay.fromXvnc().length >= before + 1024 * 768 * 4, { timeout: 10_000 }).toBe(true);
      }
      expect(relay.serverSocket.isPaused()).toBe(true);
      viewer.resume();
      await expect.poll(() => !relay.serverSocket.isPaused() && viewer.received().length === relay.fromXvnc().length, { timeout: 20_000 }).toBe(true);
      const sent = serverMessages(relay.fromXvnc()).filter((name) => name === 'framebufferUpdate').length;
      expect(sent).toBeGreaterThan(1);
      expect(viewer.messages.filter((name) => name === 'framebufferUpdate')).toHaveLength(sent);
      expect(viewer.received().equals(relay.fromXvnc())).toBe(true);
    } finally {
      viewer.close();
      relay.close();
    }
  }, 60_000);
});
