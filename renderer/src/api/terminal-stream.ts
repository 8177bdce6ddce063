/**
 * A terminal's byte stream: raw bytes both ways, small JSON control messages beside them
 * (contract/terminal-protocol.ts). Two carriers: in browser mode a WebSocket of its own at
 * /<token>/terminal/<sessionId>; in the desktop window a MessagePort that main hands over
 * through the preload. Everything above the carrier (acks, parsing, exit vs. lost) is shared.
 */
import type { TerminalServerMessage } from '../../../contract/terminal-protocol';
import { AckBatcher } from './ack-batcher';
import { openCarrier } from './carriers';

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
  /** `heldMs`: how long the newest of these bytes were held back on purpose before xterm.js got them. */
  ack(bytes: number, heldMs?: number): void;
  close(): void;
}

/** The largest `heldMs` an ack may carry (contract/inputs.ts `terminalControl`). */
const MAX_HELD_MS = 60_000;

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
  const carrier = openCarrier('terminal', sessionId, {
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
  const acks = new AckBatcher((bytes, heldMs) => {
    // Whole milliseconds within what the core accepts (contract/inputs.ts), else the core closes the stream.
    const held = Math.min(MAX_HELD_MS, Math.round(heldMs));
    carrier.send(JSON.stringify(held > 0 ? { type: 'ack', bytes, heldMs: held } : { type: 'ack', bytes }));
  });
  return {
    input: (data) => {
      // A big paste goes as several frames: the core refuses a single input frame over 1 MiB.
      const bytes = typeof data === 'string' ? encoder.encode(data) : data;
      for (let offset = 0; offset < bytes.length; offset += INPUT_FRAME_BYTES) carrier.send(bytes.subarray(offset, offset + INPUT_FRAME_BYTES));
    },
    resize: (cols, rows) => carrier.send(JSON.stringify({ type: 'resize', cols, rows })),
    ack: (bytes, heldMs) => acks.add(bytes, heldMs),
    close: () => { exited = true; carrier.close(); },
  };
}
