import type { RawData, WebSocket } from 'ws';
import { terminalControl } from '../../contract/inputs';
import type { TerminalEvent, TerminalSessions } from '../core/sessions/terminal-sessions';

/**
 * One terminal's byte stream in browser mode, `/<token>/terminal/<sessionId>`. Binary frames carry raw
 * bytes (output to the window, keystrokes from it); small JSON text frames carry control:
 * window→host `{"type":"resize","cols","rows"}` and `{"type":"ack","bytes"}`; host→window
 * `{"type":"hostKey","host","fingerprint"}`, `{"type":"connected"}` and `{"type":"exit",…}`.
 * (Electron will carry the same frames over a MessagePort; not built yet.)
 */

export const TERMINAL_PATH = /^\/terminal\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** Close codes the window can tell apart. */
export const CLOSE_UNKNOWN_TERMINAL = 4404;
export const CLOSE_IN_USE = 4409;
export const CLOSE_BAD_FRAME = 4400;

/** Keystrokes and pastes: a frame above this is not typing. */
const MAX_INPUT_FRAME = 1024 * 1024;

function frame(event: TerminalEvent): string | Buffer {
  switch (event.type) {
    case 'output': return event.data;
    case 'hostKey': return JSON.stringify({ type: 'hostKey', host: event.host, fingerprint: event.fingerprint });
    case 'connected': return JSON.stringify({ type: 'connected' });
    case 'exit': return JSON.stringify({ type: 'exit', ...event.exit });
  }
}

function bytesOf(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

export function serveTerminal(ws: WebSocket, terminals: TerminalSessions, sessionId: string): void {
  if (!terminals.has(sessionId)) {
    ws.close(CLOSE_UNKNOWN_TERMINAL, 'No such terminal; it may have ended.');
    return;
  }
  let detach: () => void;
  try {
    detach = terminals.attach(sessionId, (event) => {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(frame(event), { binary: event.type === 'output' });
      if (event.type === 'exit') ws.close(1000, 'ended');
    });
  } catch (error) {
    ws.close(CLOSE_IN_USE, (error as Error).message.slice(0, 120));
    return;
  }
  ws.on('close', () => detach());
  ws.on('message', (data, isBinary) => {
    try {
      const bytes = bytesOf(data);
      if (isBinary) {
        if (bytes.length > MAX_INPUT_FRAME) throw new Error('input frame too large');
        terminals.write(sessionId, bytes);
        return;
      }
      const control = terminalControl.parse(JSON.parse(bytes.toString('utf8')));
      if (control.type === 'resize') terminals.resize(sessionId, control.cols, control.rows);
      else terminals.ack(sessionId, control.bytes);
    } catch {
      // The terminal may have just ended; anything else is a window that does not speak the protocol.
      if (terminals.has(sessionId)) ws.close(CLOSE_BAD_FRAME, 'Bad terminal frame.');
    }
  });
}
