/**
 * A terminal's byte stream (browser mode): its own WebSocket at /<token>/terminal/<sessionId>, beside
 * the contract's /api socket. Binary frames are raw bytes both ways; text frames are small JSON
 * control messages. The Electron shell will carry the same frames over a MessagePort (not built yet).
 */
import { AckBatcher } from './ack-batcher';
import { tokenFromLocation, runningInElectron } from './transport';

export type TerminalServerMessage =
  | { type: 'hostKey'; host: string; fingerprint: string }
  | { type: 'connected' }
  | { type: 'exit'; code: number | null; signal: string | null; recording: string | null; sha256: string | null; error: string | null };

export interface TerminalStreamHandlers {
  output(data: Uint8Array): void;
  message(message: TerminalServerMessage): void;
  /** The stream ended without an exit message (the host went away, or the terminal was unknown). */
  lost(reason: string): void;
}

export interface TerminalStream {
  input(data: string | Uint8Array): void;
  resize(cols: number, rows: number): void;
  ack(bytes: number): void;
  close(): void;
}

function parse(text: string): TerminalServerMessage | null {
  try {
    const value = JSON.parse(text) as { type?: unknown };
    return value && (value.type === 'hostKey' || value.type === 'connected' || value.type === 'exit') ? (value as TerminalServerMessage) : null;
  } catch {
    return null;
  }
}

export function openTerminalStream(sessionId: string, handlers: TerminalStreamHandlers): TerminalStream {
  if (runningInElectron) throw new Error('Terminals run in the browser mode for now; the desktop window gets them with the MessagePort transport.');
  const token = tokenFromLocation(window.location.pathname);
  const ws = new WebSocket(`${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/${token}/terminal/${sessionId}`);
  ws.binaryType = 'arraybuffer';
  const encoder = new TextEncoder();
  const pending: Array<string | Uint8Array> = [];
  let exited = false;
  const acks = new AckBatcher((bytes) => send(JSON.stringify({ type: 'ack', bytes })));
  const send = (frame: string | Uint8Array) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(frame);
    else if (ws.readyState === WebSocket.CONNECTING) pending.push(frame);
  };
  ws.onopen = () => { for (const frame of pending.splice(0)) ws.send(frame); };
  ws.onmessage = (event: MessageEvent<ArrayBuffer | string>) => {
    if (typeof event.data !== 'string') { handlers.output(new Uint8Array(event.data)); return; }
    const message = parse(event.data);
    if (!message) return;
    if (message.type === 'exit') exited = true;
    handlers.message(message);
  };
  ws.onclose = (event) => {
    if (!exited) handlers.lost(event.reason || 'The connection to the Switchboard host closed.');
  };
  return {
    input: (data) => send(typeof data === 'string' ? encoder.encode(data) : data),
    resize: (cols, rows) => send(JSON.stringify({ type: 'resize', cols, rows })),
    ack: (bytes) => acks.add(bytes),
    close: () => { exited = true; ws.close(); },
  };
}
