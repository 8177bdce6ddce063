import type { RawData, WebSocket } from 'ws';
import { SESSION_ID_PATTERN } from '../../contract/terminal-protocol';
import { linkTerminal, type TerminalSessions } from '../core';

/**
 * Browser mode's carrier for one terminal: a WebSocket at `/<token>/terminal/<sessionId>`.
 * The protocol (contract/terminal-protocol.ts) is handled by the core's terminal link.
 */

export const TERMINAL_PATH = new RegExp(`^/terminal/(${SESSION_ID_PATTERN})$`);

function bytesOf(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

export function serveTerminal(ws: WebSocket, terminals: TerminalSessions, sessionId: string): void {
  const link = linkTerminal({
    send: (frame) => ws.send(frame, { binary: typeof frame !== 'string' }),
    close: (code, reason) => ws.close(code, reason),
    get open() { return ws.readyState === ws.OPEN; },
  }, terminals, sessionId);
  ws.on('close', () => link.closed());
  ws.on('message', (data, isBinary) => link.receive(bytesOf(data), isBinary));
}
