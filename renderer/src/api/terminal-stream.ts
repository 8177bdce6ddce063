/**
 * A terminal's byte stream: raw bytes both ways, small JSON control messages beside them
 * (contract/terminal-protocol.ts). Two carriers: in browser mode a WebSocket of its own at
 * /<token>/terminal/<sessionId>; in the desktop window a MessagePort that main hands over
 * through the preload. Everything above the carrier (acks, parsing, exit vs. lost) is shared.
 */
import type { TerminalServerMessage } from '../../../contract/terminal-protocol';
import { TERMINAL_PORT_MESSAGE } from '../../../contract/terminal-protocol';
import { AckBatcher } from './ack-batcher';
import { tokenFromLocation, runningInElectron } from './transport';

export type { TerminalServerMessage };

declare global {
  interface Window { switchboardTerminals?: { requestPort(sessionId: string): void } }
}

export interface TerminalStreamHandlers {
  output(data: Uint8Array): void;
  message(message: Exclude<TerminalServerMessage, { type: 'closed' }>): void;
  /**
   * The stream ended without an exit message: the host went away, the terminal was unknown, or (code
   * CLOSE_TAKEN_OVER) another window took the terminal over and it runs on there.
   */
  lost(reason: string, code: number | null): void;
}

export interface TerminalStream {
  input(data: string | Uint8Array): void;
  resize(cols: number, rows: number): void;
  ack(bytes: number): void;
  close(): void;
}

/** Moves frames; knows nothing of what they mean. */
interface Carrier {
  send(frame: string | Uint8Array): void;
  close(): void;
}

interface CarrierEvents {
  bytes(data: Uint8Array): void;
  text(text: string): void;
  ended(reason: string, code: number | null): void;
}

/** Keystrokes go as they come; a paste is cut into frames of at most this. */
const INPUT_FRAME_BYTES = 64 * 1024;

function parse(text: string): TerminalServerMessage | null {
  try {
    const value = JSON.parse(text) as { type?: unknown };
    return value && ['hostKey', 'prompt', 'connected', 'exit', 'closed'].includes(value.type as string) ? (value as TerminalServerMessage) : null;
  } catch {
    return null;
  }
}

function webSocketCarrier(sessionId: string, on: CarrierEvents): Carrier {
  const token = tokenFromLocation(window.location.pathname);
  const ws = new WebSocket(`${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/${token}/terminal/${sessionId}`);
  ws.binaryType = 'arraybuffer';
  const pending: Array<string | Uint8Array> = [];
  ws.onopen = () => { for (const frame of pending.splice(0)) ws.send(frame); };
  ws.onmessage = (event: MessageEvent<ArrayBuffer | string>) => {
    if (typeof event.data === 'string') on.text(event.data);
    else on.bytes(new Uint8Array(event.data));
  };
  ws.onclose = (event) => on.ended(event.reason || 'The connection to the Switchboard host closed.', event.code);
  return {
    send: (frame) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(frame);
      else if (ws.readyState === WebSocket.CONNECTING) pending.push(frame);
    },
    close: () => ws.close(),
  };
}

function messagePortCarrier(sessionId: string, on: CarrierEvents): Carrier {
  const bridge = window.switchboardTerminals;
  if (!bridge) throw new Error('This window has no terminal channel (the preload did not load).');
  let port: MessagePort | null = null;
  let closed = false;
  const pending: Array<string | Uint8Array> = [];
  const receivePort = (event: MessageEvent<{ type?: unknown; sessionId?: unknown }>) => {
    // Only the preload, posting to this very window, hands over ports.
    if (event.source !== window || event.origin !== window.location.origin) return;
    if (event.data?.type !== TERMINAL_PORT_MESSAGE || event.data.sessionId !== sessionId || event.ports.length !== 1) return;
    window.removeEventListener('message', receivePort);
    port = event.ports[0]!;
    if (closed) { port.close(); return; }
    port.onmessage = (message: MessageEvent<unknown>) => {
      if (typeof message.data === 'string') on.text(message.data);
      else if (message.data instanceof Uint8Array) on.bytes(message.data);
    };
    port.start();
    for (const frame of pending.splice(0)) port.postMessage(frame);
  };
  window.addEventListener('message', receivePort);
  bridge.requestPort(sessionId);
  return {
    send: (frame) => {
      if (port) port.postMessage(frame);
      else if (!closed) pending.push(frame);
    },
    close: () => {
      closed = true;
      window.removeEventListener('message', receivePort);
      port?.close();
    },
  };
}

export function openTerminalStream(sessionId: string, handlers: TerminalStreamHandlers): TerminalStream {
  const encoder = new TextEncoder();
  let exited = false;
  const carrier = (runningInElectron ? messagePortCarrier : webSocketCarrier)(sessionId, {
    bytes: (data) => handlers.output(data),
    text: (text) => {
      const message = parse(text);
      if (!message) return;
      // A port's last word before it closes; a WebSocket says the same with its close frame.
      if (message.type === 'closed') {
        if (!exited && message.code !== 1000) { exited = true; handlers.lost(message.reason, message.code); }
        return;
      }
      if (message.type === 'exit') exited = true;
      handlers.message(message);
    },
    ended: (reason, code) => {
      if (!exited) handlers.lost(reason, code);
    },
  });
  const acks = new AckBatcher((bytes) => carrier.send(JSON.stringify({ type: 'ack', bytes })));
  return {
    input: (data) => {
      // A big paste goes as several frames: the core refuses a single input frame over 1 MiB.
      const bytes = typeof data === 'string' ? encoder.encode(data) : data;
      for (let offset = 0; offset < bytes.length; offset += INPUT_FRAME_BYTES) carrier.send(bytes.subarray(offset, offset + INPUT_FRAME_BYTES));
    },
    resize: (cols, rows) => carrier.send(JSON.stringify({ type: 'resize', cols, rows })),
    ack: (bytes) => acks.add(bytes),
    close: () => { exited = true; carrier.close(); },
  };
}
