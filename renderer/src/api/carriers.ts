/**
 * The carriers of a session's own byte channel (a terminal's, a VNC viewer's): in browser mode a
 * WebSocket at /<token>/<kind>/<sessionId>; in the desktop window a MessagePort that main hands over
 * through the preload. Binary frames are bytes, strings are JSON messages; what they mean is the caller's.
 */
import { TERMINAL_PORT_MESSAGE } from '../../../contract/terminal-protocol';
import { VNC_PORT_MESSAGE } from '../../../contract/vnc-protocol';
import { portCarrier, socketCarrier, type Carrier, type CarrierEvents } from './channel-carriers';
import type { TerminalWorkerCommand, TerminalWorkerEvent } from './terminal-worker-protocol';
import { runningInElectron, tokenFromLocation } from './transport';

export type { Carrier, CarrierEvents };

declare global {
  interface Window { switchboardTerminals?: { requestPort(sessionId: string): void; requestVncPort(sessionId: string): void } }
}

export type CarrierKind = 'terminal' | 'vnc';

function socketUrl(kind: CarrierKind, sessionId: string): string {
  const token = tokenFromLocation(window.location.pathname);
  return `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/${token}/${kind}/${sessionId}`;
}

function webSocketCarrier(kind: CarrierKind, sessionId: string, on: CarrierEvents): Carrier {
  return socketCarrier(socketUrl(kind, sessionId), on);
}

/**
 * Asks main for the session's MessagePort (through the preload) and calls `got` with it once. Only the
 * preload, posting to this very window, hands over ports. Returns a cancel for a window that goes first.
 */
function requestPort(kind: CarrierKind, sessionId: string, got: (port: MessagePort) => void): () => void {
  const bridge = window.switchboardTerminals;
  if (!bridge) throw new Error('This window has no terminal channel (the preload did not load).');
  const portMessage = kind === 'vnc' ? VNC_PORT_MESSAGE : TERMINAL_PORT_MESSAGE;
  const receivePort = (event: MessageEvent<{ type?: unknown; sessionId?: unknown }>) => {
    if (event.source !== window || event.origin !== window.location.origin) return;
    if (event.data?.type !== portMessage || event.data.sessionId !== sessionId || event.ports.length !== 1) return;
    window.removeEventListener('message', receivePort);
    got(event.ports[0]!);
  };
  window.addEventListener('message', receivePort);
  if (kind === 'vnc') bridge.requestVncPort(sessionId);
  else bridge.requestPort(sessionId);
  return () => window.removeEventListener('message', receivePort);
}

function messagePortCarrier(kind: CarrierKind, sessionId: string, on: CarrierEvents): Carrier {
  let carrier: Carrier | null = null;
  let closed = false;
  const pending: Array<string | Uint8Array> = [];
  const cancel = requestPort(kind, sessionId, (port) => {
    if (closed) { port.close(); return; }
    carrier = portCarrier(port, on);
    for (const frame of pending.splice(0)) carrier.send(frame);
  });
  return {
    send: (frame) => {
      if (carrier) carrier.send(frame);
      else if (!closed) pending.push(frame);
    },
    close: () => {
      closed = true;
      cancel();
      carrier?.close();
    },
  };
}

/** A terminal's carrier: its channel is read by a worker, which joins and paces the output (terminal-pump.ts). */
export interface TerminalCarrier extends Carrier {
  /** xterm.js has written the oldest bytes this carrier gave (the worker acks them to the core). */
  written(): void;
}

export function openTerminalCarrier(sessionId: string, on: CarrierEvents): TerminalCarrier {
  const worker = new Worker(new URL('./terminal-worker.ts', import.meta.url), { type: 'module' });
  const command = (message: TerminalWorkerCommand, transfer: Transferable[] = []) => worker.postMessage(message, transfer);
  let ended = false;
  const end = (reason: string, code: number | null) => {
    if (ended) return;
    ended = true;
    worker.terminate();
    on.ended(reason, code);
  };
  worker.onmessage = (event: MessageEvent<TerminalWorkerEvent>) => {
    const message = event.data;
    if (message.type === 'bytes') on.bytes(message.data);
    else if (message.type === 'text') on.text(message.text);
    else end(message.reason, message.code);
  };
  worker.onerror = () => end('The terminal\'s connection in this window failed.', null);
  let cancelPort = () => undefined as void;
  if (runningInElectron) cancelPort = requestPort('terminal', sessionId, (port) => command({ type: 'port', port }, [port]));
  else command({ type: 'socket', url: socketUrl('terminal', sessionId) });
  return {
    send: (frame) => command({ type: 'send', frame }),
    written: () => command({ type: 'written' }),
    close: () => {
      cancelPort();
      if (!ended) command({ type: 'close' });
      ended = true;
    },
  };
}

export function openCarrier(kind: CarrierKind, sessionId: string, on: CarrierEvents): Carrier {
  return (runningInElectron ? messagePortCarrier : webSocketCarrier)(kind, sessionId, on);
}
