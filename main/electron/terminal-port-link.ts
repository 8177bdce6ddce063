/**
 * A terminal or a VNC viewer carried over a MessagePort. No `electron` import: main/electron/terminal-port.ts wraps
 * Electron's MessagePortMain into a PortEnd, and the tests use Node's own MessageChannel, so the whole
 * port side of the protocol runs under Node. The window sends keystrokes as Uint8Array (structured
 * clone keeps the type) and control messages as strings; anything else is a window that does not
 * speak the protocol.
 */
import { CLOSE_BAD_FRAME, SESSION_ID_PATTERN } from '../../contract/terminal-protocol';
import type { TerminalCarrier, TerminalLink } from '../core';

/** The core's end of a MessageChannel, whichever implementation it is. */
export interface PortEnd {
  post(data: Buffer | string): void;
  onMessage(listener: (data: unknown) => void): void;
  onClose(listener: () => void): void;
  start(): void;
  close(): void;
}

const SESSION_ID = new RegExp(`^${SESSION_ID_PATTERN}$`);

/** The session id a window asks a port for: a lower-case UUID, nothing else. */
export function portSessionId(value: unknown): string | null {
  return typeof value === 'string' && SESSION_ID.test(value) ? value : null;
}

export function portFrame(data: unknown): { frame: Buffer; binary: boolean } | null {
  if (typeof data === 'string') return { frame: Buffer.from(data, 'utf8'), binary: false };
  if (data instanceof Uint8Array) return { frame: Buffer.from(data.buffer, data.byteOffset, data.byteLength), binary: true };
  if (data instanceof ArrayBuffer) return { frame: Buffer.from(data), binary: true };
  return null;
}

/** MessagePorts have no close codes: the last message says why the core closed the port. */
export function closedMessage(code: number, reason: string): string {
  return JSON.stringify({ type: 'closed', code, reason });
}

/** `attach` links the carrier to what the port is for (a terminal, a VNC viewer). */
export function linkPort(port: PortEnd, attach: (carrier: TerminalCarrier) => TerminalLink): void {
  let open = true;
  const close = (code: number, reason: string) => {
    if (!open) return;
    open = false;
    port.post(closedMessage(code, reason));
    port.close();
  };
  // A sender that waits for `sent` (the VNC relay) has what it writes meanwhile joined into the next message:
  // Blink yields after ~200 queued port messages (electron#22404), so many small ones would stall the window.
  const link = attach({ send: (data, sent?: () => void) => { port.post(data); if (sent) setImmediate(sent); }, close, get open() { return open; } });
  port.onMessage((data) => {
    if (!open) return;
    const received = portFrame(data);
    if (received) return link.receive(received.frame, received.binary);
    close(CLOSE_BAD_FRAME, 'Bad terminal frame.');
    link.closed();
  });
  port.onClose(() => {
    open = false;
    link.closed();
  });
  port.start();
}
