import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientMessageFramer } from '../../main/core/vnc/client-messages';
import { relayRfb, type RelayRules } from '../../main/core/vnc/relay';
import { rfbHandshake } from '../../main/core/vnc/rfb-handshake';
import { greetViewer } from '../../main/core/vnc/viewer-handshake';
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
beforeAll(async () => { xvnc = await startXvnc({ password: 'relay-pass' }); }, 30_000);
afterAll(async () => { await xvnc?.stop(); });

/** Viewer ⇄ relay ⇄ capturing proxy ⇄ Xvnc. Returns the viewer's socket and what reached Xvnc. */
async function session(rules: RelayRules) {
  const toXvnc: Buffer[] = [];
  const proxy = await listen((relaySide) => {
    const upstream = net.connect(xvnc.port, '127.0.0.1');
    relaySide.on('data', (chunk: Buffer) => { toXvnc.push(Buffer.from(chunk)); upstream.write(chunk); });
    upstream.on('data', (chunk: Buffer) => relaySide.write(chunk));
    relaySide.on('close', () => upstream.destroy());
    upstream.on('close', () => relaySide.destroy());
  });
  const serverSocket = await connect(proxy.port);
  const server = await rfbHandshake(serverSocket, { password: 'relay-pass', target: 'lab' });
  const handshakeBytes = Buffer.concat(toXvnc).length;
  const relayEnd = await listen((viewerSocket) => {
    void greetViewer(viewerSocket, server.serverInit).then((first) => relayRfb(viewerSocket, serverSocket, rules, first, server.rest));
  });
  const viewer = await connect(relayEnd.port);
  const seen = await rfbHandshake(viewer, { password: null, target: 'relay' });
  let fromServer = Buffer.alloc(0);
  viewer.on('data', (chunk: Buffer) => { fromServer = Buffer.concat([fromServer, chunk]); });
  /** Sends input, then an update request; once its answer comes, everything before it reached Xvnc. */
  const sendThenSync = async (...messages: Buffer[]) => {
    const before = fromServer.length;
    viewer.write(Buffer.concat([...messages, Buffer.from([3, 0]), u16(0), u16(0), u16(16), u16(16)]));
    await expect.poll(() => fromServer.length > before && fromServer[before] === 0, { timeout: 10_000 }).toBe(true);
  };
  const reachedXvnc = () => new ClientMessageFramer().push(Buffer.concat(toXvnc).subarray(handshakeBytes)).map((m) => m.name);
  const close = () => { viewer.destroy(); proxy.close(); relayEnd.close(); };
  return { seen, sendThenSync, reachedXvnc, close };
}

const KEY_A = Buffer.concat([Buffer.from([4, 1, 0, 0]), u32(0x61)]);
const POINTER = Buffer.concat([Buffer.from([5, 1]), u16(5), u16(5)]);
const CLIPBOARD = Buffer.concat([Buffer.from([6, 0, 0, 0]), u32(5), Buffer.from('hello')]);

describe('the RFB relay against a real Xvnc', () => {
  it('offers the viewer no authentication and hands on the real screen', async () => {
    const s = await session({ viewOnly: false, clipboardToServer: true });
    try {
      expect(s.seen).toMatchObject({ security: 'None', width: xvnc.width, height: xvnc.height });
      await s.sendThenSync();
      expect(s.reachedXvnc()).toEqual(['framebufferUpdateRequest']);
    } finally {
      s.close();
    }
  });

  it('passes keys, pointer and clipboard in a full-control session', async () => {
    const s = await session({ viewOnly: false, clipboardToServer: true });
    try {
      await s.sendThenSync(KEY_A, POINTER, CLIPBOARD);
      expect(s.reachedXvnc()).toEqual(['keyEvent', 'pointerEvent', 'clientCutText', 'framebufferUpdateRequest']);
    } finally {
      s.close();
    }
  });

  it('view-only: the server receives no input at all, only the viewer\'s requests for pictures', async () => {
    const s = await session({ viewOnly: true, clipboardToServer: true });
    try {
      await s.sendThenSync(KEY_A, POINTER, CLIPBOARD, KEY_A);
      expect(s.reachedXvnc()).toEqual(['framebufferUpdateRequest']);
    } finally {
      s.close();
    }
  });

  it('keeps the engineer\'s clipboard from the server when the site says so, and passes keys', async () => {
    const s = await session({ viewOnly: false, clipboardToServer: false });
    try {
      await s.sendThenSync(CLIPBOARD, KEY_A);
      expect(s.reachedXvnc()).toEqual(['keyEvent', 'framebufferUpdateRequest']);
    } finally {
      s.close();
    }
  });
});
