import type { RawData, WebSocket } from 'ws';
import { SESSION_ID_PATTERN } from '../../contract/terminal-protocol';
import { linkVnc, type VncSessions } from '../core';

/**
 * Browser mode's carrier for one VNC viewer: a WebSocket at `/<token>/vnc/<sessionId>`. noVNC reads it as
 * its channel; what the bytes mean is decided by the core's VNC link and relay.
 */

export const VNC_PATH = new RegExp(`^/vnc/(${SESSION_ID_PATTERN})$`);

function bytesOf(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

export function serveVnc(ws: WebSocket, sessions: VncSessions, sessionId: string): void {
  const link = linkVnc({
    // The write callback is what tells the relay the window keeps up (backpressure to the server).
    send: (frame, sent) => ws.send(frame, { binary: typeof frame !== 'string' }, () => sent?.()),
    close: (code, reason) => ws.close(code, reason),
    get open() { return ws.readyState === ws.OPEN; },
  }, sessions, sessionId);
  ws.on('close', () => link.closed());
  ws.on('message', (data, isBinary) => link.receive(bytesOf(data), isBinary));
}
