import { Duplex, PassThrough, Writable } from 'node:stream';
import { MessageChannel } from 'node:worker_threads';
import { linkPort } from '../../main/electron/terminal-port-link';
import { nodePortEnd } from './node-port';
import type { VncServerMessage } from '../../contract/vnc-protocol';
import { linkVnc, type VncSessions } from '../../main/core';
import { ByteReader } from '../../main/core/vnc/byte-reader';

/** A window's viewer as the core sees it, without a window: the carrier's frames, split into RFB bytes and messages. */
export interface TestViewer {
  /** The RFB stream as noVNC would have it (bytes from the relay; writes go to the relay). */
  rfb: Duplex;
  /** The core's JSON messages, in order. */
  messages: VncServerMessage[];
  /** Resolves with the close the core gave the carrier. */
  closed: Promise<{ code: number; reason: string }>;
  /** The window goes away (a closed tab). */
  leave(): void;
  /** Resolves when a message of this type has come. */
  message<T extends VncServerMessage['type']>(type: T): Promise<Extract<VncServerMessage, { type: T }>>;
}

/** Resolves when a message of the type has come (`waiting` is woken on every message). */
function messageWaiter(messages: VncServerMessage[], waiting: Array<() => void>) {
  return <T extends VncServerMessage['type']>(type: T) => new Promise<Extract<VncServerMessage, { type: T }>>((resolve) => {
    const look = () => {
      const found = messages.find((m) => m.type === type);
      if (found) resolve(found as Extract<VncServerMessage, { type: T }>);
      else waiting.push(look);
    };
    look();
  });
}

export function attachViewer(sessions: VncSessions, sessionId: string): TestViewer {
  const messages: VncServerMessage[] = [];
  const waiting: Array<() => void> = [];
  const fromCore = new PassThrough();
  let open = true;
  let closedWith!: (close: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (closedWith = resolve));
  const link = linkVnc({
    send: (frame, sent) => {
      if (typeof frame === 'string') {
        messages.push(JSON.parse(frame) as VncServerMessage);
        for (const wake of waiting.splice(0)) wake();
      } else fromCore.write(Buffer.from(frame));
      sent?.();
    },
    close: (code, reason) => {
      open = false;
      fromCore.end();
      closedWith({ code, reason });
    },
    get open() { return open; },
  }, sessions, sessionId);
  const toCore = new Writable({ write: (chunk: Buffer, _encoding, done) => { link.receive(Buffer.from(chunk), true); done(); } });
  const rfb = Duplex.from({ readable: fromCore, writable: toCore });
  const message = messageWaiter(messages, waiting);
  return { rfb, messages, closed, message, leave: () => { open = false; link.closed(); } };
}

/** The client's side of the relay's greeting (RFB 3.8, security None); resolves with the ServerInit's size. */
export async function viewerHandshake(rfb: Duplex): Promise<{ width: number; height: number; name: string; rest: Buffer }> {
  const reader = new ByteReader(rfb);
  const version = (await reader.read(12, 'version')).toString('latin1');
  if (version !== 'RFB 003.008\n') throw new Error(`the relay greeted with ${JSON.stringify(version)}`);
  rfb.write('RFB 003.008\n');
  const count = (await reader.read(1, 'security count'))[0]!;
  const types = [...(await reader.read(count, 'security types'))];
  if (types.join() !== '1') throw new Error(`the relay offered security types ${types.join()}, not only None`);
  rfb.write(Buffer.from([1]));
  if ((await reader.read(4, 'security result')).readUInt32BE(0) !== 0) throw new Error('the relay refused None');
  rfb.write(Buffer.from([1]));
  const init = await reader.read(24, 'ServerInit');
  const name = (await reader.read(init.readUInt32BE(20), 'desktop name')).toString('utf8');
  return { width: init.readUInt16BE(0), height: init.readUInt16BE(2), name, rest: reader.detach() };
}

/**
 * The desktop window's viewer: the session linked to a Node MessageChannel exactly as main/electron links
 * an Electron MessagePortMain, and the window's end of it as an RFB stream.
 */
export function attachViewerOverPort(sessions: VncSessions, sessionId: string): Pick<TestViewer, 'rfb' | 'messages' | 'message'> & { frames: number[] } {
  const { port1, port2 } = new MessageChannel();
  linkPort(nodePortEnd(port1), (carrier) => linkVnc(carrier, sessions, sessionId));
  const messages: VncServerMessage[] = [];
  const frames: number[] = [];
  const waiting: Array<() => void> = [];
  const fromCore = new PassThrough();
  port2.on('message', (data: unknown) => {
    if (typeof data === 'string') {
      messages.push(JSON.parse(data) as VncServerMessage);
      for (const wake of waiting.splice(0)) wake();
    } else if (data instanceof Uint8Array) {
      frames.push(data.length);
      fromCore.write(Buffer.from(data));
    }
  });
  const toCore = new Writable({ write: (chunk: Buffer, _encoding, done) => { port2.postMessage(new Uint8Array(chunk)); done(); } });
  const message = messageWaiter(messages, waiting);
  return { rfb: Duplex.from({ readable: fromCore, writable: toCore }), messages, message, frames };
}
