/**
 * A terminal's byte stream: raw bytes both ways, small JSON control messages beside them
 * (contract/terminal-protocol.ts). Two carriers: in browser mode a WebSocket of its own at
 * /<token>/terminal/<sessionId>; in the desktop window a MessagePort that main hands over
 * through the preload. Either is read by a worker that joins and paces the output and sends the acks
 * (terminal-pump.ts); everything above it (parsing, exit vs. lost) is shared.
 */
import type { TerminalServerMessage } from '../../../contract/terminal-protocol';
import { openTerminalCarrier } from './carriers';

export type { TerminalServerMessage };

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
  /** xterm.js has written the oldest output not yet reported (each `output` call is reported once, in order). */
  written(): void;
  close(): void;
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

export function openTerminalStream(sessionId: string, handlers: TerminalStreamHandlers): TerminalStream {
  const encoder = new TextEncoder();
  let exited = false;
  const carrier = openTerminalCarrier(sessionId, {
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
  return {
    input: (data) => {
      // A big paste goes as several frames: the core refuses a single input frame over 1 MiB.
      const bytes = typeof data === 'string' ? encoder.encode(data) : data;
      for (let offset = 0; offset < bytes.length; offset += INPUT_FRAME_BYTES) carrier.send(bytes.subarray(offset, offset + INPUT_FRAME_BYTES));
    },
    resize: (cols, rows) => carrier.send(JSON.stringify({ type: 'resize', cols, rows })),
    written: () => carrier.written(),
    close: () => { exited = true; carrier.close(); },
  };
}
